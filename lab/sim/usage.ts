// The text of `opamp-lab sim --help`, in a module of its own so the launcher's quick help
// (electron/cliUsage.ts) prints it without loading the emulator.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_KUBECONFIG = join(homedir(), '.opamp-lab', 'sim.kubeconfig');

export const SIM_USAGE = `Usage: opamp-lab sim [--port N] [--kubeconfig FILE] [--replicas N] [--blank]

Runs the lab on an emulated Kubernetes cluster (API on 127.0.0.1) and writes a
kubeconfig (context opamp-lab, namespace opamp) for kubectl.

  --port N           API server port (default: any free port)
  --kubeconfig FILE  where to write the kubeconfig (default: ${DEFAULT_KUBECONFIG})
  --replicas N       replicas of the opamp-agent Deployment (default: 1)
  --blank            start from scratch: only the namespace, you deploy the lab
  --help             show this help`;

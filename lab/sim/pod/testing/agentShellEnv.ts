// A pod's shell environment as the agent container leaves it: supervisor PID 1,
// collector PID 2 as its child, and the given files. For tests of the shell and
// of scripts run through it.
import { ProcessTable } from '../processTable';
import { addAgentBinaries, populateRootfs } from '../rootfs';
import type { ShellEnv } from '../shell';
import { Vfs } from '../vfs';

export function agentShellEnv(files: Record<string, string>): ShellEnv {
  const fs = new Vfs();
  const procs = new ProcessTable();
  procs.mount(fs);
  populateRootfs(fs, { namespace: 'opamp', name: 'pod-a', ip: '10.244.0.5' });
  addAgentBinaries(fs);
  procs.spawn(['/opampsupervisor', '--config=/supervisor.yaml'], 0);
  procs.spawn(['/otelcol-contrib', '--config', '/storage/effective.yaml', '--config=/collector.yaml'], 1);
  for (const [path, data] of Object.entries(files)) fs.write(path, data);
  return { fs, procs, cwd: '/', vars: { HOME: '/root' }, hostname: 'pod-a' };
}

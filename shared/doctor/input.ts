// What the doctor looks at. The engine (or a test) gathers it; the rules are pure.
import type { AgentPodState, KubeEventView, LabErrorInfo, PodView, ServerAgentView } from '../state';

export interface DoctorLogLine {
  text: string;
  pod?: string;
  /** Epoch ms when known. */
  at?: number;
  /** From the previous container instance (kubectl logs --previous). */
  previous?: boolean;
  stream?: 'stdout' | 'stderr';
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
}

export interface DoctorInput {
  namespace: string;
  pods: PodView[];
  events: KubeEventView[];
  /** Recent lines of the agent container, current and previous instance, oldest first. */
  logs: DoctorLogLine[];
  /** supervisor.yaml as mounted (from the ConfigMap), when known. */
  supervisorYaml?: string;
  /** The opamp-server Service, when it exists. */
  service?: { name: string; ports: ServicePort[] };
  serverAgents: ServerAgentView[];
  agents: AgentPodState[];
  /** The last error talking to the cluster (kubeconfig, exec plugin, 401…). */
  clusterError?: LabErrorInfo;
}

export function emptyDoctorInput(namespace = 'opamp'): DoctorInput {
  return { namespace, pods: [], events: [], logs: [], serverAgents: [], agents: [] };
}

// What the guide's checks read: the LabState plus a few facts only the engine
// knows (the ConfigMap, the deployment's rollout). Built by a pure function.
import type { CriterionId, CriterionStatus, Diagnosis, LabState } from '../state';

export interface ClusterFacts {
  /** Data keys of the agent ConfigMap, undefined when it does not exist. */
  configMap?: { name: string; data: Record<string, string> };
  deployment?: {
    name: string;
    exists: boolean;
    /** observedGeneration caught up and all replicas updated and available. */
    rolledOut: boolean;
    /** spec.template annotation kubectl.kubernetes.io/restartedAt, when set. */
    restartedAt?: string;
    image?: string;
  };
}

export interface GuideObservations {
  connected: boolean;
  namespace: string;
  /** The first Ready (else first) agent pod, used to fill commands. */
  pod?: string;
  agentPodRunning: boolean;
  agentImagePulled: boolean;
  serverReady: boolean;
  configMap?: ClusterFacts['configMap'];
  deployment?: ClusterFacts['deployment'];
  /** Best status of each criterion over the agent pods. */
  criteria: Partial<Record<CriterionId, CriterionStatus>>;
  overlayStatus: LabState['overlay']['status'];
  overlayError?: string;
  rolloutStatus: LabState['rollout']['status'];
  /** The restartedAt annotation when the step became current (to see a new restart). */
  restartedAtBaseline?: string;
  diagnoses: Diagnosis[];
}

const RANK: Record<CriterionStatus, number> = { fail: 0, pending: 1, pass: 2 };

export function buildGuideObservations(state: LabState, facts: ClusterFacts = {}, restartedAtBaseline?: string): GuideObservations {
  const agents = state.pods.filter((p) => p.app === 'opamp-agent' && !p.terminating);
  const readyPod = agents.find((p) => p.ready) ?? agents[0];
  const criteria: Partial<Record<CriterionId, CriterionStatus>> = {};
  for (const a of state.agents) {
    if (!agents.some((p) => p.name === a.pod)) continue;
    for (const c of a.criteria) {
      const prev = criteria[c.id];
      if (prev === undefined || RANK[c.status] > RANK[prev]) criteria[c.id] = c.status;
    }
  }
  const pulled = agents.some((p) =>
    p.containers.some((c) => c.name === 'agent' && (c.state === 'running' || c.restartCount > 0 || c.lastTermination !== undefined)),
  );
  return {
    connected: state.connection.status === 'connected',
    namespace: state.connection.namespace ?? 'opamp',
    ...(readyPod ? { pod: readyPod.name } : {}),
    agentPodRunning: agents.some((p) => p.phase === 'Running' && p.containers.some((c) => c.name === 'agent' && c.state === 'running')),
    agentImagePulled: pulled,
    serverReady: state.pods.some((p) => p.app === 'opamp-server' && p.ready && !p.terminating),
    ...(facts.configMap ? { configMap: facts.configMap } : {}),
    ...(facts.deployment ? { deployment: facts.deployment } : {}),
    criteria,
    overlayStatus: state.overlay.status,
    ...(state.overlay.error ? { overlayError: state.overlay.error } : {}),
    rolloutStatus: state.rollout.status,
    ...(restartedAtBaseline !== undefined ? { restartedAtBaseline } : {}),
    diagnoses: state.diagnoses,
  };
}

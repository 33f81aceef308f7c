// What the guide's checks read: the LabState plus a few facts only the engine
// knows (the ConfigMap, the deployment's rollout). Built by a pure function.
import type { CriterionId, CriterionStatus, Diagnosis, LabState } from '../state';

export interface ClusterFacts {
  /** Data keys of the agent ConfigMap, undefined when it does not exist. */
  configMap?: { name: string; data: Record<string, string>; resourceVersion?: string };
  deployment?: {
    name: string;
    exists: boolean;
    uid?: string;
    /** observedGeneration caught up and all replicas updated and available. */
    rolledOut: boolean;
    /** spec.template annotation kubectl.kubernetes.io/restartedAt, when set. */
    restartedAt?: string;
    image?: string;
  };
  /** The agent Deployment's ReplicaSets (names carry the pod-template-hash). */
  replicaSets?: { name: string; createdAt: number }[];
}

export interface GuideObservations {
  connected: boolean;
  /** The embedded lab (it ships the agent image, so Step 1 is in place). */
  embedded: boolean;
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
  /** The overlays the server keeps for connected agents, as hashes (hex). */
  serverSentHashes: string[];
  overlayStatus: LabState['overlay']['status'];
  overlayError?: string;
  rolloutStatus: LabState['rollout']['status'];
  diagnoses: Diagnosis[];
}

const RANK: Record<CriterionStatus, number> = { fail: 0, pending: 1, pass: 2 };

export function buildGuideObservations(state: LabState, facts: ClusterFacts = {}): GuideObservations {
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
    embedded: state.connection.target?.kind === 'embedded',
    namespace: state.connection.namespace ?? 'opamp',
    ...(readyPod ? { pod: readyPod.name } : {}),
    agentPodRunning: agents.some((p) => p.phase === 'Running' && p.containers.some((c) => c.name === 'agent' && c.state === 'running')),
    agentImagePulled: pulled,
    serverReady: state.pods.some((p) => p.app === 'opamp-server' && p.ready && !p.terminating),
    ...(facts.configMap ? { configMap: facts.configMap } : {}),
    ...(facts.deployment ? { deployment: facts.deployment } : {}),
    criteria,
    serverSentHashes: [...new Set(state.serverAgents.filter((a) => a.connected).map((a) => a.overlayHash ?? a.remoteConfig?.sentHash).filter((h): h is string => Boolean(h)))],
    overlayStatus: state.overlay.status,
    ...(state.overlay.error ? { overlayError: state.overlay.error } : {}),
    rolloutStatus: state.rollout.status,
    diagnoses: state.diagnoses,
  };
}

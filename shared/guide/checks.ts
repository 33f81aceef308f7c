// The step checks: pure functions of GuideObservations.
import { parseYaml } from '../yamlSafe';
import type { CriterionId } from '../state';
import { findSupervisorFault } from './faults';
import type { GuideObservations } from './observations';

export interface CheckResult {
  ok: boolean;
  detail: string;
}

export type StepCheck = (o: GuideObservations) => CheckResult;

function parseMap(text: string | undefined): { map?: Record<string, unknown>; error?: string } {
  if (text === undefined) return { error: 'missing' };
  try {
    const v: unknown = parseYaml(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return { error: 'not a YAML mapping' };
    return { map: v as Record<string, unknown> };
  } catch (err) {
    return { error: (err as Error).message.split('\n')[0] ?? 'invalid YAML' };
  }
}

function sub(v: unknown, key: string): unknown {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;
}

export function criteriaPass(o: GuideObservations, ids: CriterionId[]): CheckResult {
  const missing = ids.filter((id) => o.criteria[id] !== 'pass');
  if (missing.length === 0) return { ok: true, detail: `${ids.join(', ')}: pass` };
  const failing = missing.filter((id) => o.criteria[id] === 'fail');
  return { ok: false, detail: failing.length > 0 ? `failing: ${failing.join(', ')}` : `waiting for: ${missing.join(', ')}` };
}

export const checkImage: StepCheck = (o) => {
  if (o.embedded) return { ok: true, detail: 'the embedded lab ships the agent image opamp-agent:v0.1' };
  if (o.agentImagePulled) return { ok: true, detail: `the agent image${o.deployment?.image ? ` ${o.deployment.image}` : ''} was pulled and started` };
  const pull = o.diagnoses.find((d) => d.id === 'image-pull');
  return { ok: false, detail: pull ? pull.title : 'no agent container has started from the image yet' };
};

export const checkCollectorConfig: StepCheck = (o) => {
  if (!o.configMap) return { ok: false, detail: `ConfigMap opamp-agent-config not found in ${o.namespace}` };
  const { map, error } = parseMap(o.configMap.data['collector.yaml']);
  if (!map) return { ok: false, detail: `collector.yaml: ${error}` };
  const pipelines = sub(sub(map, 'service'), 'pipelines');
  if (!pipelines || typeof pipelines !== 'object') return { ok: false, detail: 'collector.yaml has no service.pipelines' };
  return { ok: true, detail: `collector.yaml has pipelines: ${Object.keys(pipelines).join(', ')}` };
};

export const checkSupervisorConfig: StepCheck = (o) => {
  if (!o.configMap) return { ok: false, detail: `ConfigMap opamp-agent-config not found in ${o.namespace}` };
  const text = o.configMap.data['supervisor.yaml'];
  const { map, error } = parseMap(text);
  if (!map) return { ok: false, detail: `supervisor.yaml: ${error}` };
  // One rule set for this check and the failure-mode exercise (faults.ts).
  const fault = findSupervisorFault(text);
  if (fault) return { ok: false, detail: `supervisor.yaml: ${fault.detail}` };
  return { ok: true, detail: `endpoint ${String(sub(sub(map, 'server'), 'endpoint'))}, collector ${String(sub(sub(map, 'agent'), 'executable'))}` };
};

export const checkDeploy: StepCheck = (o) => {
  if (!o.deployment?.exists) return { ok: false, detail: `deployment opamp-agent not found in ${o.namespace}` };
  if (!o.serverReady) return { ok: false, detail: 'the opamp-server pod is not Ready yet' };
  if (!o.agentPodRunning) return { ok: false, detail: 'the agent container is not running yet' };
  return { ok: true, detail: `${o.pod ?? 'agent pod'} is running` };
};

/** The state half of Step 5; the credit needs a new ReplicaSet on top (see credit.ts). */
export const checkRollout: StepCheck = (o) => {
  if (!o.deployment?.exists) return { ok: false, detail: `deployment opamp-agent not found in ${o.namespace}` };
  if (!o.deployment.rolledOut) return { ok: false, detail: 'the rollout has not finished yet' };
  return { ok: true, detail: 'all replicas updated and available' };
};

export const checkProcesses: StepCheck = (o) => criteriaPass(o, ['supervisor-pid1', 'collector-child']);
export const checkConnection: StepCheck = (o) => criteriaPass(o, ['opamp-connected']);
export const checkEffective: StepCheck = (o) => criteriaPass(o, ['effective-config']);

export const checkPushed: StepCheck = (o) => {
  const hash = o.serverSentHashes[0];
  if (hash) return { ok: true, detail: `the server sent config ${hash.slice(0, 8)} to the agent` };
  if (o.overlayStatus === 'failed') return { ok: false, detail: `the push failed: ${o.overlayError ?? 'see the doctor'}` };
  return { ok: false, detail: 'the server has not sent an overlay to a connected agent yet' };
};

export const checkApplied: StepCheck = (o) => criteriaPass(o, ['remote-config-applied', 'overlay-visible']);

export const checkNoFaults: StepCheck = (o) => {
  const errors = o.diagnoses.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { ok: false, detail: `the doctor sees: ${errors.map((d) => d.title).join('; ')}` };
  return criteriaPass(o, ['supervisor-pid1', 'collector-child', 'opamp-connected', 'effective-config']);
};

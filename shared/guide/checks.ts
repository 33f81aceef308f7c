// The step checks: pure functions of GuideObservations.
import { parse } from 'yaml';
import type { CriterionId } from '../state';
import type { GuideObservations } from './observations';

export interface CheckResult {
  ok: boolean;
  detail: string;
}

export type StepCheck = (o: GuideObservations) => CheckResult;

function parseMap(text: string | undefined): { map?: Record<string, unknown>; error?: string } {
  if (text === undefined) return { error: 'missing' };
  try {
    const v: unknown = parse(text);
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

const SUPERVISOR_SECTIONS = new Set(['server', 'agent', 'capabilities', 'storage', 'telemetry', 'healthcheck']);

export const checkSupervisorConfig: StepCheck = (o) => {
  if (!o.configMap) return { ok: false, detail: `ConfigMap opamp-agent-config not found in ${o.namespace}` };
  const { map, error } = parseMap(o.configMap.data['supervisor.yaml']);
  if (!map) return { ok: false, detail: `supervisor.yaml: ${error}` };
  const unknown = Object.keys(map).filter((k) => !SUPERVISOR_SECTIONS.has(k));
  if (unknown.length > 0) return { ok: false, detail: `supervisor.yaml has unknown top-level keys: ${unknown.join(', ')}` };
  const exe = sub(sub(map, 'agent'), 'executable');
  if (typeof exe !== 'string' || exe === '') return { ok: false, detail: 'supervisor.yaml sets no agent.executable' };
  const endpoint = sub(sub(map, 'server'), 'endpoint');
  if (typeof endpoint !== 'string' || !/^wss?:\/\/[^/]+:4320\/v1\/opamp$/.test(endpoint)) {
    return { ok: false, detail: `server.endpoint ${String(endpoint)} is not ws(s)://…:4320/v1/opamp` };
  }
  return { ok: true, detail: `endpoint ${endpoint}, collector ${exe}` };
};

export const checkDeploy: StepCheck = (o) => {
  if (!o.deployment?.exists) return { ok: false, detail: `deployment opamp-agent not found in ${o.namespace}` };
  if (!o.serverReady) return { ok: false, detail: 'the opamp-server pod is not Ready yet' };
  if (!o.agentPodRunning) return { ok: false, detail: 'the agent container is not running yet' };
  return { ok: true, detail: `${o.pod ?? 'agent pod'} is running` };
};

export const checkRollout: StepCheck = (o) => {
  const at = o.deployment?.restartedAt;
  if (!at || at === o.restartedAtBaseline) return { ok: false, detail: 'no rollout restart seen yet' };
  if (!o.deployment?.rolledOut) return { ok: false, detail: `restart at ${at} still rolling out` };
  return { ok: true, detail: `restarted at ${at} and rolled out` };
};

export const checkProcesses: StepCheck = (o) => criteriaPass(o, ['supervisor-pid1', 'collector-child']);
export const checkConnection: StepCheck = (o) => criteriaPass(o, ['opamp-connected']);
export const checkEffective: StepCheck = (o) => criteriaPass(o, ['effective-config']);

export const checkPushed: StepCheck = (o) => {
  if (o.overlayStatus === 'failed') return { ok: false, detail: `the push failed: ${o.overlayError ?? 'see the doctor'}` };
  if (o.overlayStatus === 'idle') return { ok: false, detail: 'no overlay sent yet' };
  return { ok: true, detail: `overlay ${o.overlayStatus}` };
};

export const checkApplied: StepCheck = (o) => criteriaPass(o, ['remote-config-applied', 'overlay-visible']);

export const checkNoFaults: StepCheck = (o) => {
  const errors = o.diagnoses.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { ok: false, detail: `the doctor sees: ${errors.map((d) => d.title).join('; ')}` };
  return criteriaPass(o, ['supervisor-pid1', 'collector-child', 'opamp-connected', 'effective-config']);
};

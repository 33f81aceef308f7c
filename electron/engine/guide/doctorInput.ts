// Gathers a DoctorInput straight from the API (pods, events, agent logs incl.
// the previous container, supervisor.yaml, the Service). Used by the fault
// tests and by the engine when its own caches do not hold these facts.
import type * as k8s from '@kubernetes/client-node';
import type { DoctorInput, DoctorLogLine } from '../../../shared/doctor/input';
import type { ContainerView, KubeEventView, PodView } from '../../../shared/state';
import { readAgentConfigMap, type GuideDeps } from './actions';

function ms(d: Date | string | undefined): number | undefined {
  return d === undefined ? undefined : new Date(d).getTime();
}

export function toPodView(p: k8s.V1Pod): PodView {
  const app = p.metadata?.labels?.['app'];
  const containers: ContainerView[] = (p.status?.containerStatuses ?? []).map((c) => {
    const st = c.state;
    const state: ContainerView['state'] = st?.running ? 'running' : st?.waiting ? 'waiting' : st?.terminated ? 'terminated' : 'unknown';
    const reason = st?.waiting?.reason ?? st?.terminated?.reason;
    const message = st?.waiting?.message ?? st?.terminated?.message;
    const lt = c.lastState?.terminated;
    return {
      name: c.name, ready: c.ready, restartCount: c.restartCount, state,
      ...(reason ? { reason } : {}), ...(message ? { message } : {}),
      ...(lt ? { lastTermination: { exitCode: lt.exitCode, ...(lt.reason ? { reason: lt.reason } : {}) } } : {}),
    };
  });
  return {
    name: p.metadata?.name ?? '', namespace: p.metadata?.namespace ?? '',
    app: app === 'opamp-agent' || app === 'opamp-server' ? app : 'other',
    phase: p.status?.phase ?? 'Unknown',
    ready: (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    terminating: p.metadata?.deletionTimestamp !== undefined,
    createdAt: ms(p.metadata?.creationTimestamp) ?? 0,
    containers,
  };
}

async function logLines(deps: GuideDeps, pod: string, previous: boolean): Promise<DoctorLogLine[]> {
  try {
    const text = await deps.core.readNamespacedPodLog({ name: pod, namespace: deps.namespace, container: 'agent', previous, tailLines: 100 });
    return String(text).split('\n').filter((t) => t.trim() !== '').map((t) => ({ text: t, pod, ...(previous ? { previous } : {}) }));
  } catch {
    return []; // no previous instance, or the container has not started
  }
}

export async function gatherDoctorInput(deps: GuideDeps): Promise<DoctorInput> {
  const [podList, eventList, cm, svc] = await Promise.all([
    deps.core.listNamespacedPod({ namespace: deps.namespace }),
    deps.core.listNamespacedEvent({ namespace: deps.namespace }),
    readAgentConfigMap(deps),
    deps.core.readNamespacedService({ name: 'opamp-server', namespace: deps.namespace }).catch(() => undefined),
  ]);
  const pods = podList.items.map(toPodView);
  const events: KubeEventView[] = eventList.items.map((e) => ({
    at: ms(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp) ?? 0,
    type: e.type === 'Warning' ? 'Warning' : 'Normal',
    reason: e.reason ?? '',
    message: e.message ?? '',
    object: `${e.involvedObject.kind}/${e.involvedObject.name}`,
    count: e.count ?? 1,
  }));
  const logs: DoctorLogLine[] = [];
  for (const p of pods.filter((x) => x.app === 'opamp-agent' && !x.terminating)) {
    logs.push(...(await logLines(deps, p.name, true)), ...(await logLines(deps, p.name, false)));
  }
  return {
    namespace: deps.namespace, pods, events, logs, serverAgents: [], agents: [],
    ...(cm?.['supervisor.yaml'] !== undefined ? { supervisorYaml: cm['supervisor.yaml'] } : {}),
    ...(svc ? { service: { name: 'opamp-server', ports: (svc.spec?.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port })) } } : {}),
  };
}

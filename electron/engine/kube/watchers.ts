// Informers (list + watch, no polling) for the pods, deployments, ReplicaSets,
// ConfigMaps and events of the lab namespace. Each keeps its cache; `onChange` fires after every change.
import * as k8s from '@kubernetes/client-node';
import type { ContainerView, KubeEventView, PodView } from '../../../shared/state';
import { apiGetJson } from './apiGet';
import type { KubeSession } from './session';

export type WatchKind = 'pods' | 'deployments' | 'events' | 'replicasets' | 'configmaps';
type Kind = WatchKind;

export interface ClusterCache {
  pods: Map<string, k8s.V1Pod>;
  deployments: Map<string, k8s.V1Deployment>;
  events: Map<string, k8s.CoreV1Event>;
  replicasets: Map<string, k8s.V1ReplicaSet>;
  configmaps: Map<string, k8s.V1ConfigMap>;
}

export class Watchers {
  readonly cache: ClusterCache = { pods: new Map(), deployments: new Map(), events: new Map(), replicasets: new Map(), configmaps: new Map() };
  private informers: k8s.Informer<k8s.KubernetesObject>[] = [];
  private stopped = false;
  private timers = new Set<NodeJS.Timeout>();
  readonly synced: Promise<void>;

  /**
   * `only`: the kinds to follow (default all). `once`: list them once and watch nothing, for a one-look
   * `verify`, whose verdict is a snapshot (a watch would only add a request and a connection).
   */
  constructor(session: KubeSession, private readonly onChange: (kind: Kind) => void, private readonly onError: (kind: Kind, err: unknown) => void, opts: { only?: readonly Kind[]; once?: boolean } = {}) {
    const { only, once } = opts;
    const ns = session.namespace;
    // The typed clients only inside the list functions: a one-look list reads plain JSON (apiGet.ts).
    const specs: [Kind, string, () => Promise<k8s.KubernetesListObject<k8s.KubernetesObject>>][] = [
      ['pods', `/api/v1/namespaces/${ns}/pods`, () => session.core.listNamespacedPod({ namespace: ns })],
      ['deployments', `/apis/apps/v1/namespaces/${ns}/deployments`, () => session.apps.listNamespacedDeployment({ namespace: ns })],
      ['events', `/api/v1/namespaces/${ns}/events`, () => session.core.listNamespacedEvent({ namespace: ns })],
      ['replicasets', `/apis/apps/v1/namespaces/${ns}/replicasets`, () => session.apps.listNamespacedReplicaSet({ namespace: ns })],
      ['configmaps', `/api/v1/namespaces/${ns}/configmaps`, () => session.core.listNamespacedConfigMap({ namespace: ns })],
    ];
    const ready: Promise<void>[] = [];
    for (const [kind, path, list] of specs) {
      if (only && !only.includes(kind)) continue;
      const map = this.cache[kind] as Map<string, k8s.KubernetesObject>;
      if (once) {
        ready.push(
          apiGetJson<k8s.KubernetesListObject<k8s.KubernetesObject>>(session.kc, path).then(
            (l) => {
              for (const obj of l.items) map.set(obj.metadata?.name ?? '', obj);
              this.onChange(kind);
            },
            (err: unknown) => this.onError(kind, err),
          ),
        );
        continue;
      }
      const informer = k8s.makeInformer(session.kc, path, list);
      const put = (obj: k8s.KubernetesObject): void => {
        map.set(obj.metadata?.name ?? '', obj);
        this.onChange(kind);
      };
      informer.on('add', put);
      informer.on('update', put);
      informer.on('delete', (obj) => {
        map.delete(obj.metadata?.name ?? '');
        this.onChange(kind);
      });
      informer.on('error', (err: unknown) => {
        if (this.stopped) return;
        this.onError(kind, err);
        // The informer stops on error; start it again (it re-lists, so nothing is missed).
        const t = setTimeout(() => {
          this.timers.delete(t);
          if (!this.stopped) informer.start().catch((e: unknown) => this.onError(kind, e));
        }, 1000);
        this.timers.add(t);
      });
      this.informers.push(informer);
      ready.push(informer.start().then(() => {
        // The initial list is in the informer's cache: take it even if no add events fire.
        for (const obj of informer.list()) map.set(obj.metadata?.name ?? '', obj);
        this.onChange(kind);
      }));
    }
    this.synced = Promise.all(ready).then(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    await Promise.all(this.informers.map((i) => i.stop().catch(() => undefined)));
  }
}

const ms = (d: Date | string | undefined): number | undefined => (d === undefined ? undefined : new Date(d).getTime());

export function podApp(pod: k8s.V1Pod): PodView['app'] {
  const app = pod.metadata?.labels?.app;
  return app === 'opamp-agent' || app === 'opamp-server' ? app : 'other';
}

export function isPodReady(pod: k8s.V1Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function containerView(status: k8s.V1ContainerStatus): ContainerView {
  const st = status.state;
  const state: ContainerView['state'] = st?.running ? 'running' : st?.waiting ? 'waiting' : st?.terminated ? 'terminated' : 'unknown';
  const view: ContainerView = { name: status.name, ready: status.ready, restartCount: status.restartCount, state };
  const reason = st?.waiting?.reason ?? st?.terminated?.reason;
  const message = st?.waiting?.message ?? st?.terminated?.message;
  if (reason) view.reason = reason;
  if (message) view.message = message;
  const started = ms(st?.running?.startedAt);
  if (started !== undefined) view.startedAt = started;
  const last = status.lastState?.terminated;
  if (last) view.lastTermination = { exitCode: last.exitCode, ...(last.reason ? { reason: last.reason } : {}), ...(last.message ? { message: last.message } : {}), ...(last.finishedAt ? { finishedAt: ms(last.finishedAt) } : {}) };
  return view;
}

export function podView(pod: k8s.V1Pod): PodView {
  return {
    name: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? '',
    app: podApp(pod),
    phase: pod.status?.phase ?? 'Unknown',
    ready: isPodReady(pod),
    terminating: pod.metadata?.deletionTimestamp !== undefined,
    createdAt: ms(pod.metadata?.creationTimestamp) ?? 0,
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    containers: (pod.status?.containerStatuses ?? []).map(containerView),
  };
}

export function eventView(e: k8s.CoreV1Event): KubeEventView {
  const at = ms(e.lastTimestamp) ?? ms(e.eventTime) ?? ms(e.firstTimestamp) ?? ms(e.metadata?.creationTimestamp) ?? 0;
  return {
    at,
    type: e.type === 'Warning' ? 'Warning' : 'Normal',
    reason: e.reason ?? '',
    message: e.message ?? '',
    object: `${(e.involvedObject.kind ?? '').toLowerCase()}/${e.involvedObject.name ?? ''}`,
    count: e.count ?? 1,
  };
}

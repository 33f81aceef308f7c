// Endpoints (and one EndpointSlice) per Service with a selector: ready pods
// as addresses, not-ready ones as notReadyAddresses, ports resolved by
// number or by container port name.
import type { KubeApi } from './kubeApi';
import { isReady, selectorMatches } from './podUtil';
import type { ObjectStore } from './store';
import type { KubeObject } from './types';
import { nsName, splitKey, WorkQueue } from './workQueue';

type Loose = Record<string, any>;

function resolveTargetPort(svcPort: Loose, pods: KubeObject[]): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port;
  if (typeof target === 'number') return target;
  for (const pod of pods) {
    for (const c of (pod.spec?.containers ?? []) as Loose[]) {
      const found = ((c.ports ?? []) as Loose[]).find((p) => p.name === target);
      if (found) return Number(found.containerPort);
    }
  }
  return undefined;
}

export class EndpointsController {
  private readonly queue = new WorkQueue((key) => this.sync(key));
  private readonly unsubscribe: () => void;

  constructor(private readonly api: KubeApi, store: ObjectStore) {
    this.unsubscribe = store.subscribe((e) => {
      if (e.resource === 'services') this.queue.add(nsName(e.object.metadata.namespace, e.object.metadata.name));
      if (e.resource === 'pods') {
        for (const svc of store.list('services', e.object.metadata.namespace)) {
          if (selectorMatches({ matchLabels: svc.spec?.selector }, e.object.metadata.labels)) this.queue.add(nsName(svc.metadata.namespace, svc.metadata.name));
        }
      }
    });
    for (const svc of store.list('services')) this.queue.add(nsName(svc.metadata.namespace, svc.metadata.name));
  }

  stop(): void {
    this.unsubscribe();
    this.queue.stop();
  }

  private sync(key: string): void {
    const [ns, name] = splitKey(key);
    const svc = this.api.tryGet('services', ns, name);
    if (!svc) {
      if (this.api.tryGet('endpoints', ns, name)) this.api.delete('endpoints', ns, name);
      for (const slice of this.api.list('endpointslices', ns)) if (slice.metadata.labels?.['kubernetes.io/service-name'] === name) this.api.delete('endpointslices', ns, slice.metadata.name ?? '');
      return;
    }
    if (!svc.spec?.selector) return;
    const pods = this.api.list('pods', ns).filter((p) => selectorMatches({ matchLabels: svc.spec.selector }, p.metadata.labels) && p.status?.podIP && !p.metadata.deletionTimestamp);
    const address = (p: KubeObject): Loose => ({ ip: p.status.podIP, nodeName: p.spec?.nodeName, targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid } });
    const ports = ((svc.spec.ports ?? []) as Loose[]).map((sp) => ({ ...(sp.name ? { name: sp.name } : {}), port: resolveTargetPort(sp, pods) ?? sp.port, protocol: sp.protocol ?? 'TCP' }));
    const ready = pods.filter(isReady).map(address);
    const notReady = pods.filter((p) => !isReady(p)).map(address);
    const subsets = pods.length === 0 ? undefined : [{ ...(ready.length ? { addresses: ready } : {}), ...(notReady.length ? { notReadyAddresses: notReady } : {}), ports }];
    const desired = { metadata: { name, namespace: ns, labels: { ...(svc.metadata.labels ?? {}) } }, ...(subsets ? { subsets } : {}) };
    const existing = this.api.tryGet('endpoints', ns, name);
    if (!existing) this.api.create('endpoints', ns, desired);
    else if (JSON.stringify(existing.subsets) !== JSON.stringify(desired.subsets)) {
      const { subsets: _old, ...rest } = existing;
      this.api.update('endpoints', ns, name, { ...rest, ...(subsets ? { subsets } : {}) });
    }
    this.syncSlice(svc, pods, ports);
  }

  private syncSlice(svc: KubeObject, pods: KubeObject[], ports: Loose[]): void {
    const ns = svc.metadata.namespace;
    const name = svc.metadata.name ?? '';
    const endpoints = pods.map((p) => ({
      addresses: [p.status.podIP],
      conditions: { ready: isReady(p), serving: isReady(p), terminating: false },
      nodeName: p.spec?.nodeName,
      targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid },
    }));
    const existing = this.api.list('endpointslices', ns).find((s) => s.metadata.labels?.['kubernetes.io/service-name'] === name);
    const body = { addressType: 'IPv4', endpoints, ports };
    if (!existing) {
      this.api.create('endpointslices', ns, {
        metadata: { generateName: `${name}-`, namespace: ns, labels: { 'kubernetes.io/service-name': name, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' }, ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }] },
        ...body,
      });
    } else if (JSON.stringify({ addressType: existing.addressType, endpoints: existing.endpoints, ports: existing.ports }) !== JSON.stringify(body)) {
      this.api.update('endpointslices', ns, existing.metadata.name ?? '', { ...existing, ...body });
    }
  }
}

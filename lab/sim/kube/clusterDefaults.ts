// What a new cluster holds besides the lab: the `kubernetes` Service in
// `default` (the API server, at the node's address on 6443, with its
// Endpoints and EndpointSlice), and a `default` ServiceAccount in every
// namespace, kept there as the ServiceAccount controller keeps it.
import type { KubeApi } from './kubeApi';
import { HOST_IP } from './kubelet';
import type { ObjectStore } from './store';

export function createKubernetesService(api: KubeApi): void {
  const labels = { component: 'apiserver', provider: 'kubernetes' };
  const port = { name: 'https', port: 6443, protocol: 'TCP' };
  api.create('services', 'default', { metadata: { name: 'kubernetes', labels }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None', type: 'ClusterIP' } });
  api.create('endpoints', 'default', { metadata: { name: 'kubernetes', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } }, subsets: [{ addresses: [{ ip: HOST_IP }], ports: [port] }] });
  api.create('endpointslices', 'default', { metadata: { name: 'kubernetes', labels: { 'kubernetes.io/service-name': 'kubernetes' } }, addressType: 'IPv4', endpoints: [{ addresses: [HOST_IP], conditions: { ready: true } }], ports: [port] });
}

export class ServiceAccountController {
  private readonly unsubscribe: () => void;

  constructor(private readonly api: KubeApi, store: ObjectStore) {
    this.unsubscribe = store.subscribe((e) => {
      if (e.type === 'DELETED' && e.resource !== 'serviceaccounts') return;
      if (e.resource === 'namespaces' || (e.resource === 'serviceaccounts' && e.object.metadata.name === 'default')) {
        const ns = e.resource === 'namespaces' ? e.object.metadata.name : e.object.metadata.namespace;
        if (ns) setImmediate(() => this.ensure(ns));
      }
    });
    for (const ns of store.list('namespaces')) this.ensure(ns.metadata.name ?? '');
  }

  private ensure(namespace: string): void {
    const ns = this.api.tryGet('namespaces', undefined, namespace);
    if (!ns || ns.metadata.deletionTimestamp || this.api.tryGet('serviceaccounts', namespace, 'default')) return;
    this.api.create('serviceaccounts', namespace, { metadata: { name: 'default' } });
  }

  stop(): void {
    this.unsubscribe();
  }
}

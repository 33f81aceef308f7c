// Garbage collection by ownerReferences (background propagation): when an
// owner is gone, its dependents are deleted (pods gracefully). Also finishes
// namespace deletion once the namespace is empty.
import type { KubeApi } from './kubeApi';
import type { ObjectStore } from './store';
import { WorkQueue } from './workQueue';

const DEPENDENT_RESOURCES = ['replicasets', 'pods', 'endpointslices'];
const NAMESPACED = ['deployments', 'replicasets', 'pods', 'services', 'endpoints', 'endpointslices', 'configmaps', 'events'];

export class GarbageCollector {
  private readonly queue = new WorkQueue((key) => this.sync(key));
  private readonly unsubscribe: () => void;

  constructor(private readonly api: KubeApi, private readonly store: ObjectStore) {
    this.unsubscribe = store.subscribe((e) => {
      if (e.type === 'DELETED' && e.object.metadata.uid) this.queue.add(`owner|${e.object.metadata.namespace ?? ''}|${e.object.metadata.uid}`);
      if (e.resource === 'namespaces' && e.object.metadata.deletionTimestamp) this.queue.add(`ns|${e.object.metadata.name}`);
      if (e.type === 'DELETED' && e.object.metadata.namespace) {
        const ns = this.store.get('namespaces', undefined, e.object.metadata.namespace);
        if (ns?.metadata.deletionTimestamp) this.queue.add(`ns|${ns.metadata.name}`);
      }
    });
  }

  stop(): void {
    this.unsubscribe();
    this.queue.stop();
  }

  private sync(key: string): void {
    const parts = key.split('|');
    if (parts[0] === 'owner') {
      const [, ns, uid] = parts;
      for (const resource of DEPENDENT_RESOURCES) {
        for (const dep of this.store.list(resource, ns || undefined)) {
          if (!dep.metadata.ownerReferences?.some((r) => r.uid === uid)) continue;
          if (this.store.get(resource, dep.metadata.namespace, dep.metadata.name ?? '')) this.api.delete(resource, dep.metadata.namespace, dep.metadata.name ?? '');
        }
      }
      return;
    }
    const name = parts[1] ?? '';
    let remaining = 0;
    for (const resource of NAMESPACED) {
      for (const obj of this.store.list(resource, name)) {
        remaining += 1;
        if (!obj.metadata.deletionTimestamp) this.api.delete(resource, name, obj.metadata.name ?? '');
      }
    }
    if (remaining === 0 && this.store.get('namespaces', undefined, name)) this.store.remove('namespaces', undefined, name);
    else if (remaining > 0) this.queue.addAfter(key, 200);
  }
}

// The ReplicaSet controller: keeps `spec.replicas` active pods of the template,
// names them <rs>-<5 chars>, deletes not-ready and newest pods first, and
// reports replicas/readyReplicas/availableReplicas.
import type { EventRecorder } from './events';
import type { KubeApi } from './kubeApi';
import { isActive, isReady, ownedBy } from './podUtil';
import type { ObjectStore } from './store';
import type { KubeObject } from './types';
import { nsName, splitKey, WorkQueue } from './workQueue';
import { byteOrder } from '../../../shared/byteOrder';

const SOURCE = { component: 'replicaset-controller' };

export class ReplicaSetController {
  private readonly queue = new WorkQueue((key) => this.sync(key));
  private readonly unsubscribe: () => void;

  constructor(private readonly api: KubeApi, store: ObjectStore, private readonly events: EventRecorder) {
    this.unsubscribe = store.subscribe((e) => {
      if (e.resource === 'replicasets') this.queue.add(nsName(e.object.metadata.namespace, e.object.metadata.name));
      if (e.resource === 'pods') {
        const owner = e.object.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'ReplicaSet');
        if (owner) this.queue.add(nsName(e.object.metadata.namespace, owner.name));
      }
    });
    for (const rs of store.list('replicasets')) this.queue.add(nsName(rs.metadata.namespace, rs.metadata.name));
  }

  stop(): void {
    this.unsubscribe();
    this.queue.stop();
  }

  private sync(key: string): void {
    const [ns, name] = splitKey(key);
    const rs = this.api.tryGet('replicasets', ns, name);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const pods = this.api.list('pods', ns).filter((p) => ownedBy(p, rs));
    const active = pods.filter(isActive);
    const want = Number(rs.spec?.replicas ?? 1);
    if (active.length < want) {
      for (let i = active.length; i < want; i += 1) {
        const pod = this.createPod(rs);
        this.events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, SOURCE);
      }
    } else if (active.length > want) {
      for (const pod of rankForDeletion(active).slice(0, active.length - want)) {
        this.api.delete('pods', ns, pod.metadata.name ?? '');
        this.events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, SOURCE);
      }
    }
    const now = this.api.list('pods', ns).filter((p) => ownedBy(p, rs) && isActive(p));
    const ready = now.filter(isReady).length;
    const status = {
      replicas: now.length,
      fullyLabeledReplicas: now.length,
      readyReplicas: ready,
      availableReplicas: ready,
      terminatingReplicas: pods.filter((p) => p.metadata.deletionTimestamp).length,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    const fresh = this.api.get('replicasets', ns, name);
    if (JSON.stringify(fresh.status ?? {}) !== JSON.stringify(status)) {
      this.api.update('replicasets', ns, name, { ...fresh, status }, { subresource: 'status' });
    }
  }

  private createPod(rs: KubeObject): KubeObject {
    const template = rs.spec?.template ?? {};
    return this.api.create('pods', rs.metadata.namespace, {
      metadata: {
        generateName: `${rs.metadata.name}-`,
        namespace: rs.metadata.namespace,
        labels: { ...(template.metadata?.labels ?? {}) },
        ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name ?? '', uid: rs.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
      },
      spec: structuredClone(template.spec ?? {}),
    });
  }
}

/** Pods to delete first: unscheduled, then not ready, then the most recently created. */
function rankForDeletion(pods: KubeObject[]): KubeObject[] {
  const score = (p: KubeObject): number => (p.spec?.nodeName ? 2 : 0) + (isReady(p) ? 1 : 0);
  return [...pods].sort((a, b) => score(a) - score(b) || byteOrder(String(b.metadata.creationTimestamp), String(a.metadata.creationTimestamp)));
}

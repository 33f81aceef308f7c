// The Deployment controller: one ReplicaSet per pod template (named by its
// pod-template-hash), RollingUpdate with maxSurge/maxUnavailable (or Recreate),
// revisions, and status/conditions that `kubectl rollout status` reads.
import type { EventRecorder } from './events';
import type { KubeApi } from './kubeApi';
import { isActive, ownedBy, stableStringify } from './podUtil';
import type { ObjectStore } from './store';
import { podTemplateHash } from './templateHash';
import { nowIso, type KubeObject } from './types';
import { nsName, splitKey, WorkQueue } from './workQueue';
import { byteOrder } from '../../../shared/byteOrder';

const SOURCE = { component: 'deployment-controller' };
const REVISION = 'deployment.kubernetes.io/revision';

type Condition = { type: string; status: string; reason: string; message: string; lastUpdateTime?: string; lastTransitionTime?: string };

function resolvePercent(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(String(value ?? '0'));
  if (!m) return Number(value) || 0;
  const raw = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(raw) : Math.floor(raw);
}

function templateWithoutHash(rs: KubeObject): unknown {
  const t = structuredClone(rs.spec?.template ?? {});
  if (t.metadata?.labels) delete t.metadata.labels['pod-template-hash'];
  return t;
}

const replicasOf = (rs: KubeObject): number => Number(rs.spec?.replicas ?? 0);

export class DeploymentController {
  private readonly queue = new WorkQueue((key) => this.sync(key));
  private readonly unsubscribe: () => void;

  constructor(private readonly api: KubeApi, store: ObjectStore, private readonly events: EventRecorder) {
    this.unsubscribe = store.subscribe((e) => {
      if (e.resource === 'deployments') this.queue.add(nsName(e.object.metadata.namespace, e.object.metadata.name));
      if (e.resource === 'replicasets') {
        const owner = e.object.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Deployment');
        if (owner) this.queue.add(nsName(e.object.metadata.namespace, owner.name));
      }
    });
    for (const d of store.list('deployments')) this.queue.add(nsName(d.metadata.namespace, d.metadata.name));
  }

  stop(): void {
    this.unsubscribe();
    this.queue.stop();
  }

  private sync(key: string): void {
    const [ns, name] = splitKey(key);
    const d = this.api.tryGet('deployments', ns, name);
    if (!d || d.metadata.deletionTimestamp) return;
    const owned = this.api.list('replicasets', ns).filter((rs) => ownedBy(rs, d));
    const templateKey = stableStringify(d.spec.template);
    let newRs = owned.find((rs) => stableStringify(templateWithoutHash(rs)) === templateKey);
    const oldRses = owned.filter((rs) => rs !== newRs).sort((a, b) => byteOrder(String(a.metadata.creationTimestamp), String(b.metadata.creationTimestamp)));
    const replicas = Number(d.spec.replicas ?? 1);
    const rolling = (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
    const maxSurge = rolling ? resolvePercent(d.spec.strategy?.rollingUpdate?.maxSurge ?? '25%', replicas, true) : 0;
    let maxUnavailable = rolling ? resolvePercent(d.spec.strategy?.rollingUpdate?.maxUnavailable ?? '25%', replicas, false) : 0;
    if (rolling && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
    let progressReason: string | undefined;

    const maxRevision = Math.max(0, ...owned.map((rs) => Number(rs.metadata.annotations?.[REVISION] ?? 0)));
    if (d.spec.paused) {
      // `kubectl rollout pause`: no new ReplicaSet and no scaling until resumed; status still moves.
      // Without a ReplicaSet for the new template, nothing counts as updated (as the real controller reports).
      const current = newRs ?? { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: '' }, spec: { replicas: 0 }, status: {} };
      this.updateStatus(d, current, owned.filter((rs) => rs !== current), replicas, maxUnavailable, 'DeploymentPaused');
      return;
    }
    if (!newRs) {
      const hash = podTemplateHash(d.spec.template, d.status?.collisionCount ?? 0);
      const initial = !rolling ? (oldRses.some((rs) => replicasOf(rs) > 0) ? 0 : replicas) : this.newReplicas(replicas, maxSurge, owned, undefined);
      newRs = this.createReplicaSet(d, hash, initial, maxRevision + 1, maxSurge);
      progressReason = 'NewReplicaSetCreated';
      if (initial > 0) this.events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${newRs.metadata.name} from 0 to ${initial}`, SOURCE);
    } else if (Number(newRs.metadata.annotations?.[REVISION] ?? 0) < maxRevision) {
      newRs = this.api.patch('replicasets', ns, newRs.metadata.name ?? '', 'merge', JSON.stringify({ metadata: { annotations: { [REVISION]: String(maxRevision + 1) } } }));
    }

    if (rolling) {
      const target = this.newReplicas(replicas, maxSurge, [newRs, ...oldRses], newRs);
      if (target !== replicasOf(newRs)) {
        newRs = this.scale(d, newRs, target);
        progressReason ??= 'ReplicaSetUpdated';
      }
      if (this.scaleDownOld(d, newRs, oldRses, replicas, maxUnavailable)) progressReason ??= 'ReplicaSetUpdated';
    } else {
      for (const rs of oldRses) if (replicasOf(rs) > 0) { this.scale(d, rs, 0); progressReason ??= 'ReplicaSetUpdated'; }
      const oldPodsLeft = this.api.list('pods', ns).some((p) => oldRses.some((rs) => ownedBy(p, rs)));
      if (!oldPodsLeft && replicasOf(newRs) !== replicas) { newRs = this.scale(d, newRs, replicas); progressReason ??= 'ReplicaSetUpdated'; }
    }
    this.cleanupOldReplicaSets(d, oldRses);
    this.updateStatus(d, newRs, oldRses.filter((rs) => this.api.tryGet('replicasets', ns, rs.metadata.name ?? '')), replicas, maxUnavailable, progressReason);
  }

  /** Keeps at most revisionHistoryLimit scaled-down old ReplicaSets, dropping the oldest revisions. */
  private cleanupOldReplicaSets(d: KubeObject, oldRses: KubeObject[]): void {
    const limit = Number(d.spec.revisionHistoryLimit ?? 10);
    const idle = oldRses
      .map((rs) => this.api.tryGet('replicasets', rs.metadata.namespace, rs.metadata.name ?? ''))
      .filter((rs): rs is KubeObject => rs !== undefined && replicasOf(rs) === 0 && Number(rs.status?.replicas ?? 0) === 0)
      .sort((a, b) => Number(a.metadata.annotations?.[REVISION] ?? 0) - Number(b.metadata.annotations?.[REVISION] ?? 0));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) this.api.delete('replicasets', rs.metadata.namespace, rs.metadata.name ?? '');
  }

  /** How many replicas the new ReplicaSet may have now (the NewRSNewReplicas rule). */
  private newReplicas(replicas: number, maxSurge: number, all: KubeObject[], newRs: KubeObject | undefined): number {
    const current = newRs ? replicasOf(newRs) : 0;
    if (current >= replicas) return replicas;
    const total = all.reduce((sum, rs) => sum + replicasOf(rs), 0);
    const maxTotal = replicas + maxSurge;
    if (total >= maxTotal) return current;
    return current + Math.min(maxTotal - total, replicas - current);
  }

  private scaleDownOld(d: KubeObject, newRs: KubeObject, oldRses: KubeObject[], replicas: number, maxUnavailable: number): boolean {
    const all = [newRs, ...oldRses];
    const allPods = all.reduce((sum, rs) => sum + replicasOf(rs), 0);
    const minAvailable = replicas - maxUnavailable;
    const newUnavailable = replicasOf(newRs) - Number(newRs.status?.availableReplicas ?? 0);
    let budget = allPods - minAvailable - newUnavailable;
    let changed = false;
    // Unhealthy old replicas go first: removing them costs no availability.
    for (const rs of oldRses) {
      if (budget <= 0) break;
      const unhealthy = replicasOf(rs) - Number(rs.status?.availableReplicas ?? 0);
      if (unhealthy <= 0) continue;
      const down = Math.min(budget, unhealthy);
      this.scale(d, rs, replicasOf(rs) - down);
      rs.spec.replicas = replicasOf(rs) - down;
      budget -= down;
      changed = true;
    }
    const available = all.reduce((sum, rs) => sum + Number(rs.status?.availableReplicas ?? 0), 0);
    let canRemove = Math.min(budget, available - minAvailable);
    for (const rs of oldRses) {
      if (canRemove <= 0) break;
      if (replicasOf(rs) === 0) continue;
      const down = Math.min(replicasOf(rs), canRemove);
      this.scale(d, rs, replicasOf(rs) - down);
      canRemove -= down;
      changed = true;
    }
    return changed;
  }

  private scale(d: KubeObject, rs: KubeObject, to: number): KubeObject {
    const from = replicasOf(rs);
    const updated = this.api.patch('replicasets', rs.metadata.namespace, rs.metadata.name ?? '', 'merge', JSON.stringify({
      metadata: { annotations: { 'deployment.kubernetes.io/desired-replicas': String(d.spec.replicas ?? 1) } },
      spec: { replicas: to },
    }));
    this.events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`, SOURCE);
    return updated;
  }

  private createReplicaSet(d: KubeObject, hash: string, replicas: number, revision: number, maxSurge: number): KubeObject {
    const template = structuredClone(d.spec.template);
    template.metadata ??= {};
    template.metadata.labels = { ...(template.metadata.labels ?? {}), 'pod-template-hash': hash };
    return this.api.create('replicasets', d.metadata.namespace, {
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels: { ...template.metadata.labels },
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(d.spec.replicas ?? 1),
          'deployment.kubernetes.io/max-replicas': String(Number(d.spec.replicas ?? 1) + maxSurge),
          [REVISION]: String(revision),
        },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name ?? '', uid: d.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
      },
      spec: {
        replicas,
        minReadySeconds: d.spec.minReadySeconds ?? 0,
        selector: { ...d.spec.selector, matchLabels: { ...(d.spec.selector?.matchLabels ?? {}), 'pod-template-hash': hash } },
        template,
      },
    });
  }

  /** No progress for progressDeadlineSeconds: Progressing=False, ProgressDeadlineExceeded (rollout status then fails). */
  private checkProgressDeadline(d: KubeObject, conditions: Condition[], rsName: string, setCondition: (c: Condition, touch?: boolean) => void): void {
    const progressing = conditions.find((c) => c.type === 'Progressing');
    if (!progressing || progressing.status !== 'True' || progressing.reason === 'NewReplicaSetAvailable') return;
    const deadlineMs = Number(d.spec.progressDeadlineSeconds ?? 600) * 1000;
    const since = Date.parse(progressing.lastUpdateTime ?? '') || Date.now();
    const left = since + deadlineMs - Date.now();
    if (left > 0) {
      this.queue.addAfter(nsName(d.metadata.namespace, d.metadata.name), left + 50);
      return;
    }
    setCondition({ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rsName}" has timed out progressing.` });
  }

  private updateStatus(d: KubeObject, newRs: KubeObject, oldRses: KubeObject[], replicas: number, maxUnavailable: number, progressReason: string | undefined): void {
    const ns = d.metadata.namespace;
    const fresh = (rs: KubeObject): KubeObject => this.api.tryGet('replicasets', ns, rs.metadata.name ?? '') ?? rs;
    const all = [newRs, ...oldRses].map(fresh);
    const sum = (f: (rs: KubeObject) => number): number => all.reduce((s, rs) => s + f(rs), 0);
    const newFresh = all[0] as KubeObject;
    const available = sum((rs) => Number(rs.status?.availableReplicas ?? 0));
    const status: Record<string, unknown> = {
      observedGeneration: d.metadata.generation ?? 1,
      replicas: sum((rs) => Number(rs.status?.replicas ?? 0)),
      updatedReplicas: Number(newFresh.status?.replicas ?? 0),
      readyReplicas: sum((rs) => Number(rs.status?.readyReplicas ?? 0)),
      availableReplicas: available,
      // As the controller counts it: replicas the ReplicaSets ask for, less those available.
      unavailableReplicas: Math.max(sum(replicasOf) - available, 0),
    };
    const terminating = this.api.list('pods', ns).filter((p) => all.some((rs) => ownedBy(p, rs)) && !isActive(p) && p.metadata.deletionTimestamp).length;
    if (terminating > 0) status.terminatingReplicas = terminating;
    for (const k of ['readyReplicas', 'availableReplicas', 'unavailableReplicas', 'updatedReplicas', 'replicas']) if (status[k] === 0) delete status[k];
    if (d.status?.collisionCount) status.collisionCount = d.status.collisionCount;

    const conditions: Condition[] = structuredClone(d.status?.conditions ?? []);
    const now = nowIso();
    const setCondition = (c: Condition, touch = false): void => {
      const i = conditions.findIndex((x) => x.type === c.type);
      const prev = conditions[i];
      if (prev && prev.status === c.status && prev.reason === c.reason && prev.message === c.message && !touch) return;
      const next = { ...c, lastUpdateTime: now, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : now };
      if (i >= 0) conditions[i] = next;
      else conditions.push(next);
    };
    setCondition(available >= replicas - maxUnavailable
      ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
      : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });
    const rsName = newRs.metadata.name;
    const complete = status.updatedReplicas === replicas && available >= replicas && (status.replicas ?? 0) === replicas || (replicas === 0 && (status.replicas ?? 0) === 0);
    if (progressReason === 'DeploymentPaused') setCondition({ type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    else if (conditions.find((c) => c.type === 'Progressing')?.reason === 'DeploymentPaused') setCondition({ type: 'Progressing', status: 'Unknown', reason: 'DeploymentResumed', message: 'Deployment is resumed' });
    else if (complete) setCondition({ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rsName}" has successfully progressed.` });
    else if (progressReason === 'NewReplicaSetCreated') setCondition({ type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${rsName}"` });
    // Each step of progress renews lastUpdateTime, which the progress deadline counts from.
    else if (progressReason) setCondition({ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" is progressing.` }, true);
    else if (!conditions.some((c) => c.type === 'Progressing')) setCondition({ type: 'Progressing', status: 'True', reason: 'FoundNewReplicaSet', message: `Found new replica set "${rsName}"` });
    else this.checkProgressDeadline(d, conditions, rsName ?? '', setCondition);
    // Available is listed first, as the real controller orders them.
    conditions.sort((a, b) => (a.type === 'Available' ? -1 : b.type === 'Available' ? 1 : 0));
    status.conditions = conditions;

    const current = this.api.get('deployments', ns, d.metadata.name ?? '');
    const revision = newRs.metadata.annotations?.[REVISION];
    if (revision && current.metadata.annotations?.[REVISION] !== revision) {
      this.api.patch('deployments', ns, d.metadata.name ?? '', 'merge', JSON.stringify({ metadata: { annotations: { [REVISION]: revision } } }));
    }
    const latest = this.api.get('deployments', ns, d.metadata.name ?? '');
    if (JSON.stringify(latest.status ?? {}) !== JSON.stringify(status)) {
      this.api.update('deployments', ns, d.metadata.name ?? '', { ...latest, status }, { subresource: 'status' });
    }
  }
}

// Rolling updates as the real controller does them: ReplicaSets named by the
// template hash, pods never above replicas + maxSurge nor available below
// replicas - maxUnavailable, revisions, history limit, status conditions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimCluster } from './cluster';
import { isActive, isReady } from './podUtil';
import { createMiniSandbox, isTestImage } from './testing/miniSandbox';
import type { KubeObject } from './types';

let cluster: SimCluster;

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const deployment = (image: string, replicas: number): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'roll', namespace: 'default' },
  spec: { replicas, revisionHistoryLimit: 1, selector: { matchLabels: { app: 'roll' } }, template: { metadata: { labels: { app: 'roll' } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image }] } } },
});
const pods = (): KubeObject[] => cluster.api.list('pods', 'default').filter((p) => p.metadata.labels?.app === 'roll');
const done = (): KubeObject | undefined => {
  const d = cluster.api.get('deployments', 'default', 'roll');
  const s = d.status ?? {};
  return s.observedGeneration === d.metadata.generation && s.updatedReplicas === d.spec.replicas && s.availableReplicas === d.spec.replicas && s.replicas === d.spec.replicas ? d : undefined;
};

beforeAll(async () => {
  cluster = await SimCluster.start({ createSandbox: createMiniSandbox, isKnownImage: isTestImage, speed: 50 });
});
afterAll(async () => {
  await cluster.stop();
});

describe('deployment controller', () => {
  it('creates <deploy>-<hash> with pods <deploy>-<hash>-<5 chars> and reports completion', async () => {
    cluster.api.create('deployments', 'default', deployment('test/slow:1', 4));
    const d = await until('rolled out', done);
    const rs = cluster.api.list('replicasets', 'default');
    expect(rs).toHaveLength(1);
    const hash = rs[0]?.metadata.labels?.['pod-template-hash'];
    expect(rs[0]?.metadata.name).toBe(`roll-${hash}`);
    for (const p of pods()) expect(p.metadata.name).toMatch(new RegExp(`^roll-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(d.status.conditions.map((c: { type: string; reason: string }) => `${c.type}:${c.reason}`)).toEqual(['Available:MinimumReplicasAvailable', 'Progressing:NewReplicaSetAvailable']);
  });

  it('rolls a template change within maxSurge 25% / maxUnavailable 25% and keeps revisionHistoryLimit', async () => {
    // The controller's bounds are on ReplicaSet sizes (pods follow them as the ReplicaSet controller acts).
    let maxDesired = 0;
    let minAvailable = Infinity;
    const stop = cluster.store.subscribe(() => {
      const desired = cluster.api.list('replicasets', 'default').reduce((sum, rs) => sum + Number(rs.spec?.replicas ?? 0), 0);
      maxDesired = Math.max(maxDesired, desired);
      minAvailable = Math.min(minAvailable, pods().filter((p) => isActive(p) && isReady(p)).length);
    });
    for (const tag of ['2', '3']) {
      cluster.api.patch('deployments', 'default', 'roll', 'strategic', JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'main', image: `test/slow:${tag}` }] } } } }));
      await until(`rollout to ${tag}`, done);
    }
    stop();
    expect(maxDesired).toBe(5);
    expect(minAvailable).toBeGreaterThanOrEqual(3);
    const d = cluster.api.get('deployments', 'default', 'roll');
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    // One current and one old ReplicaSet (revisionHistoryLimit: 1).
    expect(cluster.api.list('replicasets', 'default').map((r) => r.metadata.annotations?.['deployment.kubernetes.io/revision']).sort()).toEqual(['2', '3']);
    const events = cluster.api.list('events', 'default').map((e) => String(e.message));
    expect(events.some((m) => /^Scaled down replica set roll-\w+ from \d to \d$/.test(m))).toBe(true);
  });

  it('holds a paused rollout (no new ReplicaSet, nothing updated) until resumed', async () => {
    cluster.api.patch('deployments', 'default', 'roll', 'merge', JSON.stringify({ spec: { paused: true } }));
    cluster.api.patch('deployments', 'default', 'roll', 'strategic', JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'main', image: 'test/printer:9' }] } } } }));
    const paused = await until('paused status', () => {
      const d = cluster.api.get('deployments', 'default', 'roll');
      return d.status?.observedGeneration === d.metadata.generation ? d : undefined;
    });
    expect(paused.status.updatedReplicas).toBeUndefined();
    expect(paused.status.conditions.find((c: { type: string }) => c.type === 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused' });
    expect(cluster.api.list('replicasets', 'default').some((r) => r.spec.template.spec.containers[0].image === 'test/printer:9')).toBe(false);
    cluster.api.patch('deployments', 'default', 'roll', 'merge', JSON.stringify({ spec: { paused: null } }));
    await until('resumed rollout done', done);
    expect(cluster.api.list('replicasets', 'default').some((r) => r.spec.template.spec.containers[0].image === 'test/printer:9' && r.spec.replicas === 4)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { ObjectStore } from './store';
import type { KubeObject } from './types';

const cm = (name: string, data: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns' }, data });

describe('ObjectStore', () => {
  it('versions every write and refuses stale updates with a Conflict', () => {
    const store = new ObjectStore();
    const created = store.create('configmaps', cm('a'));
    expect(Number(created.metadata.resourceVersion)).toBeGreaterThan(1);
    const updated = store.update('configmaps', { ...created, data: { k: 'v' } }, created.metadata.resourceVersion);
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    expect(() => store.update('configmaps', { ...created, data: { k: 'w' } }, created.metadata.resourceVersion)).toThrow(/the object has been modified/);
    expect(() => store.create('configmaps', cm('a'))).toThrow('configmaps "a" already exists');
  });

  it('keeps a change history for watches and answers 410 Gone once it is compacted', () => {
    const store = new ObjectStore({ historyLimit: 2 });
    const a = store.create('configmaps', cm('a'));
    store.create('configmaps', cm('b'));
    store.create('configmaps', cm('c'));
    expect(() => store.changesSince(Number(a.metadata.resourceVersion) - 1)).toThrow(/too old resource version/);
    expect(store.changesSince(Number(a.metadata.resourceVersion) + 1).map((e) => e.object.metadata.name)).toEqual(['c']);
  });

  it('moves generation only when the spec changes', () => {
    const store = new ObjectStore();
    const d = store.create('deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'ns' }, spec: { replicas: 1 } });
    const statusOnly = store.update('deployments', { ...d, status: { replicas: 1 } });
    expect(statusOnly.metadata.generation).toBe(1);
    const specChange = store.update('deployments', { ...statusOnly, spec: { replicas: 2 } });
    expect(specChange.metadata.generation).toBe(2);
  });
});

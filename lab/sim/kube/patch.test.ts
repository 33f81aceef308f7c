import { describe, expect, it } from 'vitest';
import { applyJsonPatch, applyMergePatch, applyStrategicPatch } from './patch';

describe('patches', () => {
  it('JSON merge patch replaces lists and deletes nulls', () => {
    expect(applyMergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { a: null, b: { c: 5 }, l: [3] })).toEqual({ b: { c: 5, d: 3 }, l: [3] });
  });

  it('JSON patch adds, replaces, removes and tests', () => {
    const doc = { metadata: { labels: { a: 'b' } }, list: [1, 2] };
    expect(applyJsonPatch(doc, [{ op: 'add', path: '/metadata/labels/x~1y', value: 'z' }, { op: 'remove', path: '/list/0' }, { op: 'replace', path: '/metadata/labels/a', value: 'c' }])).toEqual({ metadata: { labels: { a: 'c', 'x/y': 'z' } }, list: [2] });
    expect(() => applyJsonPatch(doc, [{ op: 'test', path: '/list/0', value: 9 }])).toThrow(/testing value/);
  });

  it('strategic merge patch merges containers by name (what `rollout restart` and apply send)', () => {
    const live = { spec: { template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'agent', image: 'a:1', env: [{ name: 'A', value: '1' }] }, { name: 'side', image: 's:1' }] } } } };
    const restart = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } } } } };
    const restarted = applyStrategicPatch(live, restart) as typeof live & { spec: { template: { metadata: { annotations: Record<string, string> } } } };
    expect(restarted.spec.template.metadata).toEqual({ labels: { app: 'x' }, annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } });
    const apply = { spec: { template: { spec: { $setElementOrder: undefined, '$setElementOrder/containers': [{ name: 'agent' }, { name: 'side' }], containers: [{ name: 'agent', image: 'a:2' }, { name: 'side', $patch: 'delete' }] } } } };
    expect((applyStrategicPatch(live, apply) as typeof live).spec.template.spec.containers).toEqual([{ name: 'agent', image: 'a:2', env: [{ name: 'A', value: '1' }] }]);
  });
});

// The engine's dashboard views against the embedded lab (issue 15): the log
// history a late page gets (from the container's start, across a restart),
// one-off pod logs with and without --previous, watched Deployments /
// ReplicaSets / ConfigMaps, any object's YAML, and the ConfigMap applied in
// place with optimistic concurrency.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabResult, LogLine, PodLogText } from '../../shared/api';
import { createEngineService, type EngineService } from '../../electron/engine/index';
import { eventually } from '../conformance/eventually';

let service: EngineService;
const state = () => service.store.current;
async function ok<T>(p: Promise<LabResult<unknown>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`call failed: ${r.error.message}`);
  return r.value as T;
}
const agentPod = () => state().pods.find((p) => p.app === 'opamp-agent' && p.ready && !p.terminating)?.name;

describe('engine dashboard views on the embedded lab', () => {
  beforeAll(async () => {
    service = createEngineService({ shell: 'test', version: 'test', dataDir: mkdtempSync(join(tmpdir(), 'engine-views-')) });
    const r = await service.call('connect', { target: { kind: 'embedded' } });
    expect(r).toEqual({ ok: true, value: undefined });
  }, 120_000);

  afterAll(async () => {
    await service?.close();
  });

  it('a page that attaches late gets the history from the container start', async () => {
    await eventually('agent running', () => agentPod() !== undefined, 60_000);
    const history = async () => (await ok<{ lines: LogLine[] }>(service.call('getLogHistory', {}))).lines;
    await eventually('connected line in the history', async () => (await history()).some((l) => l.text.includes('Connected to the server.')), 30_000);
    const lines = await history();
    expect(lines.some((l) => /Supervisor starting/i.test(l.text))).toBe(true);
    expect(lines.some((l) => l.marker?.kind === 'container-start')).toBe(true);
    // In the order they were sent, no line twice.
    const seqs = lines.map((l) => l.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
  }, 90_000);

  it('reads a container log once; --previous of a container that never restarted is a clear error', async () => {
    const pod = agentPod()!;
    const log = await ok<PodLogText>(service.call('readPodLog', { pod, container: 'agent' }));
    expect(log.lines.some((l) => /Supervisor starting/i.test(l.text))).toBe(true);
    expect(log.lines.every((l) => l.at > 0 && !/^\d{4}-\d\d-\d\dT/.test(l.text))).toBe(true);
    const previous = await service.call('readPodLog', { pod, container: 'agent', previous: true });
    expect(previous.ok).toBe(false);
    if (!previous.ok) expect(previous.error.message).toMatch(/previous terminated container "agent" in pod ".*" not found/);
    const bad = await service.call('readPodLog', { pod, container: 'nope' });
    expect(!bad.ok && bad.error.message).toMatch(/container nope is not valid/);
  });

  it('watches Deployments with their ReplicaSets and revisions, and shows any object as YAML', async () => {
    await eventually('workloads synced', () => state().workloads.synced && state().workloads.deployments.length >= 2, 30_000);
    const agent = state().workloads.deployments.find((d) => d.name === 'opamp-agent')!;
    expect(agent.revision).toBe('1');
    const rs = state().workloads.replicaSets.filter((r) => r.deployment === 'opamp-agent');
    expect(rs.map((r) => r.revision)).toContain('1');
    const yaml = await ok<{ yaml: string }>(service.call('getObjectYaml', { kind: 'Deployment', name: 'opamp-agent' }));
    const obj = YAML.parse(yaml.yaml) as { apiVersion: string; kind: string; metadata: { name: string; managedFields?: unknown } };
    expect(obj).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'opamp-agent' } });
    expect(obj.metadata.managedFields).toBeUndefined();
    const missing = await service.call('getObjectYaml', { kind: 'Pod', name: 'no-such-pod' });
    expect(!missing.ok && missing.error.message).toMatch(/Pod no-such-pod is not in namespace opamp/);
    const bad = await service.call('getObjectYaml', { kind: 'Secret', name: 'x' });
    expect(!bad.ok && bad.error.kind).toBe('invalid-input');
  });

  it('applies the agent ConfigMap in place; a stale resourceVersion is refused with a clear message', async () => {
    await eventually('configmap watched', () => state().workloads.configMaps.some((c) => c.name === 'opamp-agent-config'), 10_000);
    const cm = state().workloads.configMaps.find((c) => c.name === 'opamp-agent-config')!;
    const edited = { ...cm.data, 'collector.yaml': `${cm.data['collector.yaml']}\n# edited from the dashboard\n` };
    const r = await ok<{ resourceVersion: string }>(service.call('applyConfigMap', { name: cm.name, data: edited, resourceVersion: cm.resourceVersion }));
    expect(r.resourceVersion).not.toBe(cm.resourceVersion);
    await eventually('watch sees the edit', () => state().workloads.configMaps.find((c) => c.name === cm.name)?.data['collector.yaml']?.includes('# edited from the dashboard') === true, 10_000);
    const stale = await service.call('applyConfigMap', { name: cm.name, data: cm.data, resourceVersion: cm.resourceVersion });
    expect(!stale.ok && stale.error.message).toMatch(/changed in the cluster since you started editing/);
  });
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { breakSupervisorYaml } from './faults';
import { GuideProgressStore } from './progressStore';
import { readAgentFiles, readK8sObjects } from './labFiles';

const good = readFileSync(new URL('../../../lab/agent/supervisor.yaml', import.meta.url), 'utf8');

describe('fault edits', () => {
  it('each fault changes exactly the key it is about', () => {
    const inv = YAML.parse(breakSupervisorYaml(good, 'invalid-key'));
    expect(inv.agent.id).toBe('opamp-agent-1');
    const ep = YAML.parse(breakSupervisorYaml(good, 'bad-endpoint'));
    expect(ep.server.endpoint).toBe('wss://opamp-server.opamp.svc.cluster.local:4321/opamp');
    const exe = YAML.parse(breakSupervisorYaml(good, 'no-executable'));
    expect(exe.agent.executable).toBe('/usr/bin/otelcol');
    expect(exe.server).toEqual(YAML.parse(good).server);
  });
  it('rejects a file that does not parse', () => {
    expect(() => breakSupervisorYaml('a: [', 'invalid-key')).toThrow(/does not parse/);
  });
});

describe('lab files', () => {
  it('reads lab/agent and lab/k8s with the namespace applied', async () => {
    const files = await readAgentFiles();
    expect(files['supervisor.yaml']).toContain('agent:');
    const objs = await readK8sObjects('team-a');
    expect(objs.map((o) => o.kind)).toEqual(expect.arrayContaining(['Namespace', 'ConfigMap', 'Deployment', 'Service']));
    expect(objs.find((o) => o.kind === 'Namespace')?.metadata?.name).toBe('team-a');
    expect(objs.filter((o) => o.kind !== 'Namespace').every((o) => o.metadata?.namespace === 'team-a')).toBe(true);
  });
});

describe('guide progress store', () => {
  it('keeps progress per cluster/namespace across instances and survives a corrupt file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guide-progress-'));
    const a = new GuideProgressStore(dir);
    await a.set(GuideProgressStore.key('embedded', 'opamp'), 'build-image', 'skipped');
    await a.set(GuideProgressStore.key('embedded', 'opamp'), 'rollout', 'done');
    await a.set(GuideProgressStore.key('eks-1', 'opamp'), 'deploy', 'done');
    await a.set(GuideProgressStore.key('embedded', 'opamp'), 'rollout', 'todo');
    const b = new GuideProgressStore(dir);
    expect(await b.get('embedded/opamp')).toEqual({ 'build-image': 'skipped' });
    expect(await b.get('eks-1/opamp')).toEqual({ deploy: 'done' });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'guide-progress.json'), '{not json');
    expect(await new GuideProgressStore(dir).get('embedded/opamp')).toEqual({});
  });
});

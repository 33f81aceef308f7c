import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { newLedger } from '../../../shared/guide/credit';
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
  it('keeps ledgers per cluster/namespace in a 0600 file in a 0700 folder', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'guide-progress-')), 'data');
    const a = new GuideProgressStore(dir);
    const one = { ...newLedger(1), steps: { rollout: { credit: { at: 2, by: 'you' as const, how: 'new ReplicaSet x' } } } };
    await a.set(GuideProgressStore.key('eks-1', 'opamp'), one);
    await a.set(GuideProgressStore.key('eks-2', 'team-a'), newLedger(3));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(a.path).mode & 0o777).toBe(0o600);
    const b = new GuideProgressStore(dir);
    expect(await b.get('eks-1/opamp')).toEqual(one);
    expect(await b.get('eks-2/team-a')).toEqual(newLedger(3));
    expect(b.notice).toBeUndefined();
  });

  it('keeps a corrupt file aside under a new name and says so, instead of resetting it silently', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guide-progress-'));
    writeFileSync(join(dir, 'guide-progress.json'), '{not json');
    const store = new GuideProgressStore(dir);
    expect(await store.get('eks-1/opamp')).toBeUndefined();
    expect(store.notice).toMatch(/could not be read .*kept as .*guide-progress\.corrupt-.*\.json/);
    const aside = readdirSync(dir).filter((f) => f.startsWith('guide-progress.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe('{not json');
    await store.set('eks-1/opamp', newLedger(5));
    expect(JSON.parse(readFileSync(join(dir, 'guide-progress.json'), 'utf8')).sessions['eks-1/opamp'].startedAt).toBe(5);
  });
});

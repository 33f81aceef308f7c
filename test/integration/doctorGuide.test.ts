// Lab mode hosted by the engine on the embedded lab (stand-in pods): the guide
// state appears, Skip runs the step's action, steps auto-advance through the
// overlay to "verify applied", progress is saved per cluster/namespace.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineService, type EngineService } from '../../electron/engine/index';
import { startSim, type Sim } from '../../lab/sim/boot';
import type { StepStatus } from '../../shared/state';
import { eventually } from '../conformance/eventually';
import { createTestLabRuntime } from './engineTestLab';

let sim: Sim;
let service: EngineService;
let dataDir: string;
const status = (id: string): StepStatus | undefined => service.store.current.guide.steps.find((s) => s.id === id)?.status;

describe('lab mode in the engine', () => {
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doctor-guide-'));
    dataDir = join(dir, 'data');
    sim = await startSim({ kubeconfigPath: join(dir, 'kubeconfig'), runtime: createTestLabRuntime(), speed: 10 });
    service = createEngineService({ shell: 'test', version: 'test', dataDir });
    const r = await service.call('connect', { target: { kind: 'kubeconfig', kubeconfigPath: sim.kubeconfigPath } });
    expect(r).toEqual({ ok: true, value: undefined });
  }, 120_000);
  afterAll(async () => {
    await service?.close();
    await sim?.close();
  });

  it('walks from the deploy step to verify-applied', async () => {
    await eventually('deploy step done', () => status('deploy') === 'done', 20_000);
    await eventually('current is rollout', () => service.store.current.guide.currentStepId === 'rollout', 5_000);
    expect(await service.call('runStepAction', { stepId: 'rollout' })).toMatchObject({ ok: true });
    await eventually('rollout step done', () => status('rollout') === 'done', 30_000);
    await eventually('current is push-overlay', () => service.store.current.guide.currentStepId === 'push-overlay', 30_000);
    expect(await service.call('runStepAction', { stepId: 'push-overlay' })).toMatchObject({ ok: true });
    await eventually('verify-applied done', () => status('verify-applied') === 'done', 30_000);
    // The insecure_skip_verify warning rests on the ConfigMap.
    // The doctor runs on its own timer, so its findings can trail the guide.
    await eventually('insecure-skip-verify diagnosis', () => service.store.current.diagnoses.some((d) => d.id === 'insecure-skip-verify'), 10_000);
  }, 90_000);

  it('saves skips per cluster/namespace and rejects unknown steps', async () => {
    expect(await service.call('setGuideProgress', { stepId: 'build-image', status: 'skipped' })).toMatchObject({ ok: true });
    await eventually('skipped shows', () => status('build-image') === 'skipped', 5_000);
    const file = join(dataDir, 'guide-progress.json');
    expect(existsSync(file)).toBe(true);
    expect(JSON.stringify(JSON.parse(readFileSync(file, 'utf8')))).toContain('"build-image":"skipped"');
    const bad = await service.call('runStepAction', { stepId: 'no-such-step' });
    expect(bad.ok).toBe(false);
  });
});

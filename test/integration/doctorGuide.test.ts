// Lab mode hosted by the engine on a deployed lab (the emulator with stand-in
// pods, reached as a kubeconfig cluster): what is there at the start is "already
// in place"; "Do it for me" credits the app and says what it ran; Skip only
// skips; the ledger is saved per cluster/namespace.
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
const step = (id: string) => service.store.current.guide.steps.find((s) => s.id === id);
const status = (id: string): StepStatus | undefined => step(id)?.status;

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

  it('starts with what is in place, then credits the app for each "Do it for me"', async () => {
    await eventually('deploy already in place', () => status('deploy') === 'in-place', 30_000);
    await eventually('current is rollout', () => service.store.current.guide.currentStepId === 'rollout', 5_000);
    expect(status('verify-applied')).toBe('todo');
    // Check now is an attempt: before any overlay the check does not pass, so the step fails with its hint.
    expect(await service.call('checkGuideNow', { stepId: 'verify-applied' })).toMatchObject({ ok: true });
    await eventually('verify-applied failed after Check now', () => status('verify-applied') === 'failed', 10_000);
    expect(step('verify-applied')?.detail).toMatch(/^waiting for: remote-config-applied, overlay-visible — after Check now$/);
    const restart = await service.call('runStepAction', { stepId: 'rollout' });
    expect(restart).toMatchObject({ ok: true, value: { ran: ['kubectl -n opamp rollout restart deploy/opamp-agent', 'kubectl -n opamp rollout status deploy/opamp-agent --timeout=180s'] } });
    await eventually('rollout step done by the app', () => status('rollout') === 'done', 30_000);
    expect(step('rollout')).toMatchObject({ by: 'app', detail: expect.stringContaining('by the app (Do it for me: Restart the rollout)') });
    // Steps 6–8 were in place before the restart and stay so: the overlay step is next.
    await eventually('current is push-overlay', () => service.store.current.guide.currentStepId === 'push-overlay', 30_000);
    await eventually('the new pod alone, connected', () => {
      const agents = service.store.current.pods.filter((p) => p.app === 'opamp-agent');
      return agents.length === 1 && service.store.current.agents.some((a) => a.pod === agents[0]?.name && a.criteria.some((c) => c.id === 'opamp-connected' && c.status === 'pass'));
    }, 30_000);
    // The engine's server view trails a restart by a read or two; the button is pressed again as a person would.
    const push = await eventually('the overlay sent', async () => {
      const r = await service.call('runStepAction', { stepId: 'push-overlay' });
      return r.ok ? r : undefined;
    }, 20_000);
    expect(push).toMatchObject({ ok: true });
    await eventually('push-overlay done by the app', () => status('push-overlay') === 'done', 30_000);
    expect(step('push-overlay')?.detail).toMatch(/sent with the app's button$/);
    // "Sent" is credited when the server takes the overlay; the agent writes effective.yaml a moment later,
    // and a person checks after that, so the grep runs once the overlay is visible.
    await eventually('overlay visible in effective.yaml', () => service.store.current.agents.some((a) => a.criteria.some((c) => c.id === 'overlay-visible' && c.status === 'pass')), 30_000);
    const verify = await service.call('runStepAction', { stepId: 'verify-applied' });
    expect(verify).toMatchObject({ ok: true, value: { ran: [expect.stringMatching(/^kubectl -n opamp exec opamp-agent-\S+ -c agent -- sh -c 'grep -R "test_opamp" -n \/storage\/effective.yaml'$/)], output: expect.stringContaining('attributes/test_opamp') } });
    await eventually('verify-applied done', () => status('verify-applied') === 'done', 30_000);
    // The doctor runs on its own timer, so its findings can trail the guide.
    await eventually('insecure-skip-verify diagnosis', () => service.store.current.diagnoses.some((d) => d.id === 'insecure-skip-verify'), 10_000);
  }, 120_000);

  it('Skip only marks; the ledger is saved per cluster/namespace; unknown steps are refused', async () => {
    const before = step('failure-modes')?.status;
    expect(await service.call('setGuideProgress', { stepId: 'failure-modes', status: 'skipped' })).toMatchObject({ ok: true });
    await eventually('skipped shows', () => status('failure-modes') === 'skipped', 5_000);
    expect(before).not.toBe('skipped');
    const file = join(dataDir, 'guide-progress.json');
    await eventually('saved', () => existsSync(file) && readFileSync(file, 'utf8').includes('"skipped":true'), 10_000);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(saved.sessions)).toEqual(['opamp-lab/opamp']);
    expect(await service.call('setGuideProgress', { stepId: 'failure-modes', status: 'done' })).toMatchObject({ ok: false });
    const bad = await service.call('runStepAction', { stepId: 'no-such-step' });
    expect(bad.ok).toBe(false);
  });
});

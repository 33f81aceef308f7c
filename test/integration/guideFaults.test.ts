// Step 11 through the engine on the embedded lab (the emulated supervisor fails
// as the real one does): each failure mode is exercised with the fault buttons'
// API, diagnosed by the doctor, then put right; only after all three is the step
// done. Before that it is never "failed" and never done.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineService, type EngineService } from '../../electron/engine/index';
import { FAULT_IDS, FAULTS } from '../../shared/guide/faults';
import { eventually } from '../conformance/eventually';

let service: EngineService;
const step11 = () => service.store.current.guide.steps.find((s) => s.id === 'failure-modes');

beforeAll(async () => {
  service = createEngineService({ shell: 'test', version: 'test', dataDir: mkdtempSync(join(tmpdir(), 'guide-faults-')), sim: { speed: 10 } });
  expect(await service.call('connect', { target: { kind: 'embedded' } })).toEqual({ ok: true, value: undefined });
  await eventually('Lab mode baseline', () => service.store.current.guide.steps.find((s) => s.id === 'deploy')?.status === 'in-place', 60_000);
}, 90_000);

afterAll(async () => {
  await service?.close();
});

describe('Step 11: the three failure modes', () => {
  it('is done only when each was exercised, diagnosed by the doctor and recovered from', async () => {
    expect(step11()?.status).toBe('todo');
    for (const [i, id] of FAULT_IDS.entries()) {
      const name = FAULTS[id].label.toLowerCase();
      const broke = await service.call('injectFault', { fault: id });
      expect(broke).toMatchObject({ ok: true, value: { ran: expect.arrayContaining(['kubectl -n opamp rollout restart deploy/opamp-agent']) } });
      await eventually(`${id} diagnosed`, () => step11()?.detail?.includes(`${name}: diagnosed`), 60_000);
      expect(step11()?.status).not.toBe('failed');
      expect(await service.call('resetLab', {})).toMatchObject({ ok: true });
      await eventually(`${id} recovered`, () => step11()?.detail?.includes(`${name} ✓`) || step11()?.status === 'done', 90_000);
      expect(step11()?.status).toBe(i === FAULT_IDS.length - 1 ? 'done' : 'todo');
    }
    expect(step11()?.detail).toBe('all three failure modes exercised, diagnosed and recovered from');
  }, 400_000);
});

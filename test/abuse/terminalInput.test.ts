// Issue 10: 1.9 MB of terminal input took the web shell from 241 MB to 1.2 GB. Input is now limited
// per terminal (shared/inputBudget.ts): a burst passes, what exceeds the rate is dropped whole with
// an error to the caller and one notice in the terminal, and typing works again a moment later.
// The RSS figures are in the terminalInput bench.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineService, type EngineService } from '../../electron/engine/index';
import { TERMINAL_INPUT_LIMITS } from '../../shared/inputBudget';
import { eventually } from '../conformance/eventually';

let service: EngineService;
const output = new Map<string, string>();

beforeAll(async () => {
  service = createEngineService({ shell: 'test', version: 'test', dataDir: mkdtempSync(join(tmpdir(), 'abuse-terminal-')) });
  service.subscribe((e) => {
    if (e.type === 'terminal-output') output.set(e.terminalId, (output.get(e.terminalId) ?? '') + e.data);
  });
  expect(await service.call('connect', { target: { kind: 'embedded' } })).toEqual({ ok: true, value: undefined });
  await eventually('an agent pod', () => service.store.current.agents[0]?.processes.length, 30_000);
}, 60_000);

afterAll(async () => {
  await service?.close();
});

describe('terminal input limits', () => {
  it('refuses oversized messages and floods with a clear message, then accepts typing again', async () => {
    const opened = await service.call('terminalOpen', { cols: 80, rows: 24 });
    if (!opened.ok) throw new Error(opened.error.message);
    const terminalId = (opened.value as { terminalId: string }).terminalId;
    await eventually('the prompt', () => (output.get(terminalId) ?? '').includes('/ # '), 10_000);

    const tooBig = await service.call('terminalWrite', { terminalId, data: 'x'.repeat(TERMINAL_INPUT_LIMITS.maxMessageBytes + 1) });
    expect(tooBig).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });

    // A flood of 64 KiB messages: the burst passes, the rest is dropped.
    const chunk = 'y'.repeat(TERMINAL_INPUT_LIMITS.maxMessageBytes);
    const results = await Promise.all(Array.from({ length: 8 }, () => service.call('terminalWrite', { terminalId, data: chunk })));
    const accepted = results.filter((r) => r.ok).length;
    expect(accepted).toBe(TERMINAL_INPUT_LIMITS.burstBytes / TERMINAL_INPUT_LIMITS.maxMessageBytes);
    const refused = results.find((r) => !r.ok);
    expect(refused).toMatchObject({ ok: false, error: { kind: 'invalid-input', message: expect.stringMatching(/^Terminal input dropped: at most 64 KiB per message and 64 KiB per second per terminal\.$/) } });
    expect(output.get(terminalId)).toContain('[opamp-lab: Terminal input dropped:');
    expect(output.get(terminalId)!.split('[opamp-lab: Terminal input dropped').length - 1).toBe(1);

    // The budget refills: after a pause, a command is typed and runs.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await service.call('terminalWrite', { terminalId, data: '\u0003echo still-$((40+2))\r' })).toEqual({ ok: true, value: undefined });
    await eventually('the command output', () => (output.get(terminalId) ?? '').includes('still-42'), 20_000);
  }, 60_000);
});

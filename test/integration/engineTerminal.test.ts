// The Terminal tab's path without the browser: the engine opens an interactive
// `sh` with a tty in the agent container over the real exec WebSocket, keystrokes
// go in, the prompt and output come back, a resize reaches the pod, exit ends it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../shared/api';
import { createEngineService, type EngineService } from '../../electron/engine/index';
import { eventually } from '../conformance/eventually';

let service: EngineService;
const output = new Map<string, string>();
const exits = new Map<string, number>();

beforeAll(async () => {
  service = createEngineService({ shell: 'test', version: 'test', dataDir: mkdtempSync(join(tmpdir(), 'engine-terminal-')) });
  service.subscribe((e: LabEvent) => {
    if (e.type === 'terminal-output') output.set(e.terminalId, (output.get(e.terminalId) ?? '') + e.data);
    if (e.type === 'terminal-exit') exits.set(e.terminalId, e.code);
  });
  expect(await service.call('connect', { target: { kind: 'embedded' } })).toEqual({ ok: true, value: undefined });
  await eventually('an agent pod', () => service.store.current.agents[0]?.processes.length, 30_000);
}, 60_000);

afterAll(async () => {
  await service?.close();
});

describe('terminal in the agent container', () => {
  it('runs commands at a prompt, follows a resize and ends on exit', async () => {
    const opened = await service.call('terminalOpen', { cols: 80, rows: 24 });
    if (!opened.ok) throw new Error(opened.error.message);
    const id = (opened.value as { terminalId: string }).terminalId;
    const seen = (): string => output.get(id) ?? '';
    await eventually('the prompt', () => seen().includes('/ # '), 10_000);

    await service.call('terminalWrite', { terminalId: id, data: 'ps -ef | grep otelcol\r' });
    await eventually('the collector in ps output', () => /\r\n +\d+ root +0:00 \/otelcol-contrib/.test(seen()), 10_000);

    await service.call('terminalResize', { terminalId: id, cols: 132, rows: 40 });
    await service.call('terminalWrite', { terminalId: id, data: 'stty size\r' });
    await eventually('the new size inside the pod', () => seen().includes('40 132\r\n'), 10_000);

    await service.call('terminalWrite', { terminalId: id, data: 'exit\r' });
    await eventually('the terminal exit', () => exits.has(id), 10_000);
    const again = await service.call('terminalWrite', { terminalId: id, data: 'ls\r' });
    expect(again.ok).toBe(false);
  }, 60_000);
});

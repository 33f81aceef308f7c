// RSS of the engine with the web shell when a page floods a terminal with input (issue 10: 1.9 MB
// took the web shell from 241 MB to 1.2 GB, never released). The flood goes the real way: a
// WebSocket to the web shell, terminalWrite calls of 64 KiB, into a shell in the emulated agent
// pod. Figures: RSS before the flood, the peak while it lasts, RSS 10 s later, and how many
// writes the per-terminal input budget let through.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createEngineService } from '../../electron/engine/index';
import { DEFAULT_RENDERER_DIR } from '../../electron/web/cli';
import { startWebShell } from '../../electron/web/server';
import { TERMINAL_INPUT_LIMITS } from '../../shared/inputBudget';

const WRITES = 30;
const CHUNK = 'x'.repeat(64 * 1024);
const mb = () => Math.round(process.memoryUsage().rss / 1048576);

export default async function run(): Promise<Record<string, unknown>> {
  const service = createEngineService({ shell: 'web', version: 'bench', dataDir: mkdtempSync(join(tmpdir(), 'term-bench-')) });
  const shell = await startWebShell({ service, rendererDir: DEFAULT_RENDERER_DIR });
  const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/lab?token=${shell.token}`, { origin: `http://127.0.0.1:${shell.port}` });
  const replies = new Map<number, { ok: boolean; value?: unknown }>();
  ws.on('message', (raw) => {
    const msg = JSON.parse(raw.toString()) as { id?: number; result?: { ok: boolean; value?: unknown } };
    if (msg.id !== undefined && msg.result) replies.set(msg.id, msg.result);
  });
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  let nextId = 1;
  const call = async (method: string, request: unknown) => {
    const id = nextId++;
    ws.send(JSON.stringify({ id, method, request }));
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
      const r = replies.get(id);
      if (r) return r;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`bench: ${method} did not answer`);
  };
  try {
    const connected = await call('connect', { target: { kind: 'embedded' } });
    if (!connected.ok) throw new Error('bench: connect failed');
    await new Promise((r) => setTimeout(r, 3_000));
    const opened = await call('terminalOpen', { cols: 80, rows: 24 });
    if (!opened.ok) throw new Error('bench: terminalOpen failed');
    const terminalId = (opened.value as { terminalId: string }).terminalId;
    await new Promise((r) => setTimeout(r, 1_000));
    global.gc?.();
    const before = mb();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, mb())), 50);
    const first = nextId;
    for (let i = 0; i < WRITES; i++) ws.send(JSON.stringify({ id: nextId++, method: 'terminalWrite', request: { terminalId, data: CHUNK } }));
    await new Promise((r) => setTimeout(r, 10_000));
    clearInterval(sampler);
    global.gc?.();
    const after = mb();
    const results = Array.from({ length: WRITES }, (_, i) => replies.get(first + i));
    return {
      'flood (writes x bytes)': `${WRITES} x ${CHUNK.length} = ${((WRITES * CHUNK.length) / 1048576).toFixed(2)} MiB`,
      'input budget': `${TERMINAL_INPUT_LIMITS.bytesPerSecond / 1024} KiB/s, burst ${TERMINAL_INPUT_LIMITS.burstBytes / 1024} KiB`,
      'rss before flood (MB)': before,
      'rss peak during flood (MB)': peak,
      'rss 10 s after (MB)': after,
      'writes accepted': results.filter((r) => r?.ok).length,
      'writes refused': results.filter((r) => r && !r.ok).length,
      'gc exposed': Boolean(global.gc),
    };
  } finally {
    ws.terminate();
    await shell.close();
    await service.close();
  }
}

// The built renderer in Chromium fed 10k log lines/s for 30 s through the real
// web bridge (a stand-in Node side, see rendererFixture.ts), after loading a full
// kept history (20k lines, as the engine hands a page that attaches): frame-time
// p95 and JS heap growth after GC. Goals: p95 < 50 ms, heap flat once the buffer is full.
import type { LogLine } from '../../shared/api';
import { launchChromium, artifactPath } from '../e2e/browser';
import { startRendererFixture } from './rendererFixture';

const RATE = 10_000;
const SECONDS = Number(process.env.RENDERER_BENCH_SECONDS ?? 30);
const TICK_MS = 50;
/** The engine's LogHistory capacity (electron/engine/logs/logHistory.ts). */
const HISTORY_LINES = 20_000;

function batch(start: number, n: number, now: number): LogLine[] {
  const lines: LogLine[] = [];
  for (let i = 0; i < n; i++) {
    const seq = start + i;
    lines.push(
      seq % 7 === 0
        ? { seq, pod: 'opamp-agent-1', container: 'supervisor', source: 'pod-log', at: now, text: JSON.stringify({ level: 'info', ts: now / 1000, msg: 'Connected to the server.', seq }) }
        : { seq, pod: 'opamp-agent-1', container: 'collector', source: 'agent.log', at: now, text: `2026-01-01T00:00:00Z info traces exporter {"kind": "exporter", "seq": ${seq}, "spans": ${seq % 50}}` },
    );
  }
  return lines;
}

export default async function run(): Promise<Record<string, number | string>> {
  const fixture = await startRendererFixture(undefined, batch(-HISTORY_LINES, HISTORY_LINES, Date.now() - 60_000));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
      return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
    };
    await page.goto(fixture.url);
    await page.waitForSelector('[data-testid=log-pane] .xterm');
    // The history is in the pane before the flood starts (the seq -1 line is its last).
    // (Polled with evaluate: the page's CSP refuses waitForFunction's string form.)
    for (let waited = 0; !(await page.evaluate(`/"seq":\\s-1,/.test(document.querySelector('[data-testid=log-pane] .xterm-rows')?.textContent.replace(/\\u00a0/g, ' ') ?? '')`)); waited += 100) {
      if (waited > 15_000) throw new Error('the kept history never reached the log pane');
      await new Promise((r) => setTimeout(r, 100));
    }
    // A string, not a function: tsx's name helpers do not exist in the page.
    await page.evaluate(`(() => {
      window.frames_ = [];
      let last = performance.now();
      const tick = (t) => { window.frames_.push(t - last); last = t; requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    })()`);

    let seq = 0;
    const perTick = (RATE * TICK_MS) / 1000;
    const started = Date.now();
    let heapWarm = NaN;
    while (Date.now() - started < SECONDS * 1000) {
      fixture.broadcast({ type: 'logs', lines: batch(seq, perTick, Date.now()) });
      seq += perTick;
      if (Number.isNaN(heapWarm) && Date.now() - started > 5_000) heapWarm = await heap();
      const next = started + (seq / perTick) * TICK_MS;
      await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
    }
    const elapsed = (Date.now() - started) / 1000;
    const frames = (await page.evaluate('window.frames_.slice(60)')) as number[];
    const heapEnd = await heap();
    await page.screenshot({ path: await artifactPath('renderer-bench.png') });
    const sorted = [...frames].sort((a, b) => a - b);
    const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
    return {
      linesSent: seq,
      linesPerSecond: Math.round(seq / elapsed),
      seconds: Number(elapsed.toFixed(1)),
      frames: frames.length,
      frameMsP50: Number(pct(0.5).toFixed(1)),
      frameMsP95: Number(pct(0.95).toFixed(1)),
      frameMsMax: Number((sorted.at(-1) ?? NaN).toFixed(1)),
      heapMbAt5s: Number((heapWarm / 1e6).toFixed(1)),
      heapMbAtEnd: Number((heapEnd / 1e6).toFixed(1)),
      heapGrowthMb: Number(((heapEnd - heapWarm) / 1e6).toFixed(1)),
      goal: 'frame p95 < 50 ms; heap flat after warm-up',
    };
  } finally {
    await browser.close();
    await fixture.close();
  }
}

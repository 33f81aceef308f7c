// Dev aid (npx tsx test/bench/rendererScreens.ts): screenshots of every tab against the stand-in Node side.
import { mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { startRendererFixture } from './rendererFixture';
await mkdir('/tmp/opl', { recursive: true });
const fx = await startRendererFixture();
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
const p = await b.newPage({ viewport: { width: 1280, height: 800 } });
p.on('pageerror', (e) => console.log('PAGEERROR', e.message));
p.on('console', (m) => m.type() === 'error' && console.log('CONSOLE', m.text()));
await p.goto(fx.url);
await p.waitForTimeout(1000);
fx.broadcast({ type: 'logs', lines: [
  { seq: 1, pod: 'a', container: 'supervisor', source: 'pod-log', at: Date.now(), text: '{"level":"info","msg":"Connected to the server."}' },
  { seq: 2, pod: 'a', container: 'supervisor', source: 'pod-log', at: Date.now(), text: 'read: connection reset by peer', expected: true },
  { seq: 3, pod: 'b', container: 'supervisor', source: 'pod-log', at: Date.now(), text: '', marker: { kind: 'new-pod', detail: 'opamp-agent-b' } },
] });
await p.waitForTimeout(500);
console.log('rows has connected line:', await p.evaluate(`document.querySelector('[data-testid=log-pane] .xterm-rows')?.textContent?.includes('Connected to the server.')`));
await p.screenshot({ path: '/tmp/opl/logs.png' });
for (const tab of ['config', 'overlay', 'pipeline', 'terminal']) {
  await p.click(`#tab-${tab}`);
  await p.waitForTimeout(400);
  await p.screenshot({ path: `/tmp/opl/${tab}.png` });
}
await p.click('button[aria-label^="Switch to"]');
await p.click('#tab-config');
await p.click('[data-criterion="overlay-visible"] summary');
await p.waitForTimeout(300);
await p.screenshot({ path: `/tmp/opl/theme2.png` });
await p.selectOption('select[aria-label="Diff against version"]', { index: 1 });
await p.waitForTimeout(400);
await p.screenshot({ path: `/tmp/opl/diff.png` });
await b.close();
await fx.close();

// Dev aid (npx tsx test/bench/rendererScreens.ts): screenshots of every tab against the stand-in Node side.
import { chromium } from 'playwright-core';
import { startRendererFixture } from './rendererFixture';
const fx = await startRendererFixture();
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
const p = await b.newPage({ viewport: { width: 1280, height: 800 } });
p.on('pageerror', (e) => console.log('PAGEERROR', e.message));
p.on('console', (m) => m.type() === 'error' && console.log('CONSOLE', m.text()));
await p.goto(fx.url);
await p.waitForTimeout(1000);
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

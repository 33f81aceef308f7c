// The overlay editor and the agent agree (issue 11): a broken overlay is flagged inline with the
// collector's own words, line/column and "did you mean"; sent anyway (after a confirmation) it ends
// FAILED on screen with nothing saying "valid"; the guide's overlay then draws its round-trip
// timeline and the seventh check passes. Screenshots at 1280x800 go to test-results/.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineService } from '../../electron/engine/index';
import type { LabService } from '../../electron/engine/labService';
import { DEFAULT_RENDERER_DIR } from '../../electron/web/cli';
import { startWebShell, type WebShell } from '../../electron/web/server';
import { BROKEN_OVERLAYS } from '../../shared/collectorConfig/overlayCases';
import { TEST_OPAMP_OVERLAY } from '../../shared/guideOverlays';
import { artifactPath, launchChromium } from './browser';
import type { PageGlobals } from './pageDom';

let browser: Browser;
let shell: WebShell;
let service: LabService;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  service = createEngineService({ shell: 'web', version: 'test', dataDir: '/tmp/opamp-lab-e2e-overlay-verdict' });
  shell = await startWebShell({ service, rendererDir: DEFAULT_RENDERER_DIR });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(shell.url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await shell?.close();
  await service?.close();
});

/** Toasts of finished operations sit over the timeline; the screenshot is of the timeline. */
async function dismissToasts(): Promise<void> {
  for (const b of await page.$$('button:has-text("Dismiss")')) await b.click().catch(() => undefined);
}

const passing = (n: number, timeout: number) =>
  page.waitForFunction((k) => (globalThis as unknown as PageGlobals).document.querySelectorAll('[data-criterion][data-status="pass"]').length >= k, n, { timeout, polling: 250 });

describe('overlay verdict on screen', () => {
  it('flags a typo inline, sends it anyway after a confirmation, and shows FAILED without a "valid"', async () => {
    await page.selectOption('select[aria-label="Cluster context"]', '__embedded__');
    await page.click('button:has-text("Connect")');
    await page.waitForSelector('[data-pod]', { timeout: 60_000 });
    await passing(4, 60_000);
    await page.click('#tab-overlay');
    const typo = BROKEN_OVERLAYS.find((c) => c.name === 'typo procesors')!;
    await page.fill('textarea[aria-label="Overlay YAML"]', typo.text);
    await page.waitForSelector('[data-testid=overlay-problems][data-verdict=invalid] .problem');
    const problem = await page.textContent('[data-testid=overlay-problems] .problem');
    expect(problem).toContain(`line 1, col 1: '' has invalid keys: procesors — did you mean "processors"?`);
    expect(await page.isDisabled('button:has-text("Send to agent")').catch(() => true)).toBe(true);
    await page.click('button:has-text("Send anyway…")');
    await page.waitForSelector('[data-testid=overlay-confirm]');
    await page.click('[data-testid=overlay-confirm] button:has-text("Send anyway")');
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelector('[data-testid=overlay-status]')?.textContent?.includes('failed'), undefined, { timeout: 30_000, polling: 250 });
    expect(await page.textContent('[data-testid=overlay-status]')).toContain('Config apply timeout exceeded');
    expect(await page.textContent('[data-testid=overlay-problems]')).not.toMatch(/valid for|valid ·/);
    await page.waitForSelector('[data-criterion=remote-config-applied][data-status=fail]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid=overlay-timeline] [data-step=verdict][data-status=failed]', { timeout: 15_000 });
    await dismissToasts();
    await page.screenshot({ path: await artifactPath('overlay-failed.png') });
  }, 150_000);

  it("the guide's overlay: round-trip timeline complete and the seventh check passes", async () => {
    await page.fill('textarea[aria-label="Overlay YAML"]', TEST_OPAMP_OVERLAY);
    await page.waitForSelector('[data-testid=overlay-problems][data-verdict=valid]');
    await page.click('button:has-text("Send to agent")');
    await passing(6, 60_000);
    await page.click('[data-check=telemetry] button');
    await page.waitForSelector('[data-check=telemetry][data-status=pass]', { timeout: 30_000 });
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelectorAll('[data-testid=overlay-timeline] [data-status=done]').length === 7, undefined, { timeout: 20_000, polling: 250 });
    await dismissToasts();
    await page.screenshot({ path: await artifactPath('overlay-timeline.png') });
    expect(pageErrors).toEqual([]);
  }, 150_000);
});

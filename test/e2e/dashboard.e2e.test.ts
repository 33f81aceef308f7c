// The dashboard end to end: built renderer in Chromium, web shell, engine and
// the embedded lab. Drives the UI the way an attendee would and reads only
// what the page shows.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineService } from '../../electron/engine/index';
import type { LabService } from '../../electron/engine/labService';
import { DEFAULT_RENDERER_DIR } from '../../electron/web/cli';
import { startWebShell, type WebShell } from '../../electron/web/server';
import { TEST_OPAMP_OVERLAY } from '../../shared/guideOverlays';
import { artifactPath, launchChromium } from './browser';
import { captureLabOutput, stackFrames, type LabOutput } from './labOutput';
import type { PageGlobals } from './pageDom';

let browser: Browser;
let shell: WebShell;
let service: LabService;
let page: Page;
const pageErrors: string[] = [];
let labOutput: LabOutput;

beforeAll(async () => {
  labOutput = captureLabOutput();
  // Logs where `opamp-lab web` logs them (stderr), so the last test can read them.
  service = createEngineService({ shell: 'web', version: 'test', dataDir: '/tmp/opamp-lab-e2e-dashboard', log: (line) => console.error(line) });
  shell = await startWebShell({ service, rendererDir: DEFAULT_RENDERER_DIR });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(shell.url);
});

afterAll(async () => {
  labOutput?.stop();
  await browser?.close();
  await shell?.close();
  await service?.close();
});

const statuses = (p: Page) =>
  p.$$eval('[data-criterion]', (els) => els.map((el) => `${el.getAttribute('data-criterion')}=${el.getAttribute('data-status')}`));

async function waitForPassing(p: Page, count: number, timeout: number): Promise<void> {
  try {
    await p.waitForFunction(
      (n) => (globalThis as unknown as PageGlobals).document.querySelectorAll('[data-criterion][data-status="pass"]').length >= n,
      count,
      { timeout, polling: 250 },
    );
  } catch (err) {
    // Say what the page said about the overlay too, so a failure explains itself.
    const notes = await p.$$eval('[data-testid=overlay-status], [role=alert]', (els) => els.map((el) => el.textContent?.trim()).filter(Boolean));
    throw new Error(`expected ${count} criteria passing within ${timeout} ms; page shows ${(await statuses(p)).join(', ')}; overlay notes: ${notes.join(' | ') || 'none'}: ${(err as Error).message}`);
  }
}

describe('dashboard', () => {
  it('keeps the guide overlay copy identical to lab/overlays/test_opamp.yaml', () => {
    expect(TEST_OPAMP_OVERLAY).toBe(readFileSync(new URL('../../lab/overlays/test_opamp.yaml', import.meta.url), 'utf8'));
  });

  it('starts with six pending criteria, no cluster, and keyboard-reachable tabs', async () => {
    await page.waitForSelector('[data-criterion]');
    expect(await statuses(page)).toHaveLength(6);
    expect((await statuses(page)).every((s) => s.endsWith('=pending'))).toBe(true);
    await expect.poll(() => page.textContent('[data-testid=connection]')).toContain('not connected');
    await page.focus('#tab-logs');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id)).toBe('tab-config');
    expect(await page.getAttribute('#tab-config', 'aria-selected')).toBe('true');
    await page.screenshot({ path: await artifactPath('dashboard-empty.png') });
    await page.click('#tab-logs');
    expect(pageErrors).toEqual([]);
  });

  it(
    'embedded lab: four criteria green, overlay makes six, viewer marks it, logs show the connection, rollout resets and recovers',
    async () => {
      await page.selectOption('select[aria-label="Cluster context"]', '__embedded__');
      await page.click('button:has-text("Connect")');
      await page.waitForSelector('[data-pod]', { timeout: 60_000 });
      await waitForPassing(page, 4, 60_000);
      await page.screenshot({ path: await artifactPath('dashboard-four.png') });

      // The log pane, filtered to the supervisor's connection line.
      await page.fill('input[aria-label="Filter log lines"]', 'Connected to the server');
      await page.waitForFunction(
        (text) => Boolean((globalThis as unknown as PageGlobals).document.querySelector('[data-testid=log-pane] .xterm-rows')?.textContent?.includes(text)),
        'Connected to the server.',
        { timeout: 30_000 },
      );
      await page.screenshot({ path: await artifactPath('dashboard-logs.png') });
      await page.fill('input[aria-label="Filter log lines"]', '');

      // Send the guide's overlay from the editor.
      await page.click('#tab-overlay');
      await page.waitForSelector('button:has-text("Send to agent"):not([disabled])', { timeout: 10_000 });
      await page.click('button:has-text("Send to agent")');
      await waitForPassing(page, 6, 60_000);

      await page.click('#tab-config');
      await page.waitForFunction(
        (key) =>
          Array.from((globalThis as unknown as PageGlobals).document.querySelectorAll('[data-testid=effective-yaml] .cm-line[data-origin=overlay]')).some((l) =>
            Boolean(l.textContent?.includes(key)),
          ),
        'attributes/test_opamp',
        { timeout: 15_000 },
      );
      await page.click('button:has-text("Jump to overlay")');
      await page.screenshot({ path: await artifactPath('dashboard-effective-yaml.png') });
      await page.click('#tab-pipeline');
      await page.waitForSelector('.node.from-overlay');
      await page.screenshot({ path: await artifactPath('dashboard-pipeline.png') });

      // Rollout restart: confirm, see criteria reset on the new pod, then come back.
      const before = await page.getAttribute('[data-pod]', 'data-pod');
      await page.click('button:has-text("Rollout restart")');
      await page.click('button:has-text("Yes, restart")');
      // A new pod is shown (the old one gone) and its criteria are not all green yet.
      await page.waitForFunction(
        (oldPod) => {
          const doc = (globalThis as unknown as PageGlobals).document;
          const pods = Array.from(doc.querySelectorAll('[data-pod]')).map((e) => e.getAttribute('data-pod'));
          return pods.length > 0 && !pods.includes(oldPod) && doc.querySelectorAll('[data-criterion][data-status="pass"]').length < 6;
        },
        before,
        { timeout: 60_000, polling: 100 },
      );
      await page.screenshot({ path: await artifactPath('dashboard-rollout.png') });
      await waitForPassing(page, 6, 90_000);
      await page.click('#tab-logs');
      await page.screenshot({ path: await artifactPath('dashboard-recovered.png') });

      // A shell in the new pod's agent container: type at the prompt, read the answer in xterm.
      await page.click('#tab-terminal');
      await page.click('button:has-text("Shell in the agent container")');
      const terminalShows = (text: string) =>
        page.waitForFunction(
          // xterm's DOM renderer writes spaces as U+00A0.
          (t) => Boolean((globalThis as unknown as PageGlobals).document.querySelector('[aria-label^="Terminal: agent"] .xterm-rows')?.textContent?.replace(/\u00a0/g, ' ').includes(t)),
          text,
          { timeout: 15_000 },
        ).catch(async (err: Error) => {
          await page.screenshot({ path: await artifactPath('dashboard-terminal-failed.png') });
          const seen = await page.$eval('[aria-label^="Terminal: agent"] .xterm-rows', (el) => el.textContent ?? '').catch(() => '(no terminal)');
          throw new Error(`terminal never showed ${JSON.stringify(text)}; it shows ${JSON.stringify(seen.slice(-400))}: ${err.message}`);
        });
      await terminalShows('/ # ');
      await page.keyboard.type('ps -ef | grep supervisor');
      await page.keyboard.press('Enter');
      await terminalShows('/opampsupervisor --config=/supervisor.yaml');
      await page.screenshot({ path: await artifactPath('dashboard-terminal.png') });
      expect(pageErrors).toEqual([]);
    },
    240_000,
  );

  it('the lab wrote no stack trace to its output during the whole run', () => {
    expect(stackFrames(labOutput.lines)).toEqual([]);
  });
});

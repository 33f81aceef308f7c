// The dashboard's issue-15 views end to end (built renderer in Chromium, web
// shell, engine, embedded lab): logs with their history after a reload, the
// log tools, toasts and confirmations, the Resources view with the ConfigMap
// applied in place, keyboard exits from the terminals, axe-core in both themes,
// a wrong namespace, a lost backend, and the lab's own output free of stack
// traces. Screenshots of each at 1280x800 in both themes go to test-results/.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineService, type EngineService } from '../../electron/engine/index';
import { DEFAULT_RENDERER_DIR } from '../../electron/web/cli';
import { startWebShell, type WebShell } from '../../electron/web/server';
import type { LabApi } from '../../shared/api';
import { startSim, type Sim } from '../../lab/sim/boot';
import { artifactPath, launchChromium } from './browser';
import { captureLabOutput, stackFrames, type LabOutput } from './labOutput';
import { axeViolations, objectObjectText, truncatedStatusText } from './pageChecks';
import type { PageGlobals } from './pageDom';

type ThemeGlobals = { document: { documentElement: { dataset: { theme?: string } } } };
type FocusGlobals = { document: { activeElement: { closest(s: string): unknown; tagName: string; className: string } | null } };

let browser: Browser;
let shell: WebShell;
let service: EngineService;
let page: Page;
let otherSim: Sim | undefined;
let labOutput: LabOutput;
const pageErrors: string[] = [];

beforeAll(async () => {
  labOutput = captureLabOutput();
  service = createEngineService({ shell: 'web', version: 'test', dataDir: mkdtempSync(join(tmpdir(), 'opamp-lab-e2e-views-')), log: (line) => console.error(line) });
  shell = await startWebShell({ service, rendererDir: DEFAULT_RENDERER_DIR });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(shell.url);
}, 60_000);

afterAll(async () => {
  labOutput?.stop();
  await browser?.close();
  await shell?.close();
  await service?.close();
  await otherSim?.close();
});

const theme = () => page.evaluate(() => (globalThis as unknown as ThemeGlobals).document.documentElement.dataset.theme);

/** Screenshots in both themes; the theme is put back afterwards. */
async function shots(name: string): Promise<void> {
  const first = await theme();
  await page.screenshot({ path: await artifactPath(`views-${name}-${first}.png`) });
  await page.click('button[aria-label^="Switch to"]');
  await page.screenshot({ path: await artifactPath(`views-${name}-${await theme()}.png`) });
  await page.click('button[aria-label^="Switch to"]');
}

const logShows = (text: string, timeout = 30_000) =>
  page.waitForFunction((t) => Boolean((globalThis as unknown as PageGlobals).document.querySelector('[data-testid=log-pane] .xterm-rows')?.textContent?.replace(/\u00a0/g, ' ').includes(t)), text, { timeout, polling: 250 });

const toastDone = (title: string, timeout = 60_000) => page.waitForSelector(`.toast[data-operation=done]:has-text("${title}")`, { timeout });

/** Dismisses the notifications (as a person would) so they cover no button the test clicks next. */
async function dismissToasts(): Promise<void> {
  for (const b of await page.$$('.toasts button[aria-label^="Dismiss"]')) await b.click();
}

async function expectCleanPage(): Promise<void> {
  expect(await objectObjectText(page)).toEqual([]);
  expect(await truncatedStatusText(page)).toEqual([]);
}

describe('dashboard views (issue 15)', () => {
  it('keeps the theme across a reload', async () => {
    await page.waitForSelector('[data-criterion]');
    const before = await theme();
    await page.click('button[aria-label^="Switch to"]');
    const picked = await theme();
    expect(picked).not.toBe(before);
    await page.reload();
    await page.waitForSelector('[data-criterion]');
    expect(await theme()).toBe(picked);
    await page.click('button[aria-label^="Switch to"]');
    expect(await theme()).toBe(before);
  });

  it('connect shows a toast with progress, then its result', async () => {
    await page.selectOption('select[aria-label="Cluster context"]', '__embedded__');
    await page.click('button:has-text("Connect")');
    await page.waitForSelector('.toast[data-operation=running]:has-text("Connect to the embedded lab") progress', { timeout: 10_000 });
    await page.screenshot({ path: await artifactPath('views-toast-running-dark.png') });
    await toastDone('Connect to the embedded lab', 90_000);
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelectorAll('[data-criterion][data-status="pass"]').length >= 4, undefined, { timeout: 60_000, polling: 250 });
    await expectCleanPage();
    await shots('connected');
  }, 150_000);

  it('logs: a reload keeps the history from the container start; search counts; wrap; download', async () => {
    await logShows('Connected to the server.');
    await page.reload();
    await page.waitForSelector('[data-pod]', { timeout: 30_000 });
    await page.fill('input[aria-label="Filter log lines"]', 'Supervisor starting');
    await logShows('Supervisor starting');
    const download = page.waitForEvent('download');
    await page.click('button:has-text("Download")');
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^opamp-agent-.*\.log$/);
    expect(readFileSync((await file.path())!, 'utf8')).toMatch(/^\d{4}-\d\d-\d\dT\S+ opamp-agent-\S+ agent .*Supervisor starting/m);
    await page.fill('input[aria-label="Filter log lines"]', '');

    await page.fill('input[aria-label="Search in log"]', 'Connected to the server');
    await expect.poll(() => page.textContent('[data-testid=log-search-count]'), { timeout: 5000 }).toMatch(/^\d+ match(es)?$/);
    await page.fill('input[aria-label="Search in log"]', 'no-such-text-in-any-log');
    await expect.poll(() => page.textContent('[data-testid=log-search-count]'), { timeout: 5000 }).toBe('no match');
    await page.fill('input[aria-label="Search in log"]', '');

    await page.uncheck('label:has-text("wrap") input');
    expect(await page.getAttribute('[data-testid=log-pane]', 'class')).toContain('nowrap');
    await page.check('label:has-text("wrap") input');
    await expectCleanPage();
    await shots('logs');
  }, 90_000);

  it('logs: the pod/container picker reads another container; --previous of a fresh container says why not', async () => {
    const server = await page.$eval('select[aria-label^="Log source"]', (el) =>
      Array.from((el as unknown as { options: ArrayLike<{ value: string }> }).options).map((o) => o.value).find((v) => v.startsWith('opamp-server-')),
    );
    expect(server).toBeTruthy();
    await page.selectOption('select[aria-label^="Log source"]', server!);
    await page.waitForSelector('.logs [role=status]:has-text("read once")', { timeout: 15_000 });
    const agent = (await page.getAttribute('[data-pod]', 'data-pod'))!;
    await page.selectOption('select[aria-label^="Log source"]', `${agent}/agent`);
    await page.check('label:has-text("previous container") input');
    await page.waitForSelector(`.toast[data-operation=failed]:has-text('previous terminated container "agent" in pod "${agent}" not found')`, { timeout: 15_000 });
    await page.uncheck('label:has-text("previous container") input');
    await page.selectOption('select[aria-label^="Log source"]', '');
  }, 60_000);

  it('keyboard: Ctrl+Shift+ArrowUp and Tab leave the log pane; Ctrl+Shift+ArrowUp leaves a shell', async () => {
    await page.focus('[data-testid=log-pane] textarea');
    await page.keyboard.press('Control+Shift+ArrowUp');
    expect(await page.evaluate(() => Boolean((globalThis as unknown as FocusGlobals).document.activeElement?.closest('.logs [role=toolbar]')))).toBe(true);
    await page.focus('[data-testid=log-pane] textarea');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as unknown as FocusGlobals).document.activeElement?.className ?? '')).not.toContain('xterm-helper-textarea');

    await page.click('#tab-terminal');
    await page.click('button:has-text("Shell in the agent container")');
    await page.waitForFunction(() => Boolean((globalThis as unknown as PageGlobals).document.querySelector('[aria-label^="Terminal: agent"] .xterm-rows')?.textContent?.includes('/ #')), undefined, { timeout: 20_000 });
    await page.focus('[aria-label^="Terminal: agent"] textarea');
    await page.keyboard.press('Tab');
    // Tab stays in the shell (completion) …
    expect(await page.evaluate(() => Boolean((globalThis as unknown as FocusGlobals).document.activeElement?.closest('[aria-label^="Terminal: agent"]')))).toBe(true);
    // … and the documented key leaves it.
    await page.keyboard.press('Control+Shift+ArrowUp');
    expect(await page.evaluate(() => Boolean((globalThis as unknown as FocusGlobals).document.activeElement?.closest('.terminal [role=toolbar]')))).toBe(true);
    await shots('terminal');
  }, 60_000);

  it('rollout restart asks first, shows progress, and the paused log counts new lines', async () => {
    await page.click('#tab-logs');
    await page.click('button:has-text("Pause")');
    await page.click('button:has-text("Rollout restart")');
    await page.waitForSelector('[role=alertdialog]:has-text("Restart the agent pods?")');
    await page.click('button:has-text("Yes, restart")');
    await page.waitForSelector('.toast[data-operation=running]:has-text("Rollout restart") progress', { timeout: 10_000 });
    await page.waitForSelector('button:has-text("new lines)")', { timeout: 60_000 });
    expect(await page.textContent('button[aria-pressed=true]')).toMatch(/^Follow \(\d+ new lines\)$/);
    await toastDone('Rollout restart', 120_000);
    expect(await page.textContent('.toast[data-operation=done]:has-text("Rollout restart") .toast-result')).toContain('successfully rolled out');
    await page.click('button:has-text("new lines)")');
    await expectCleanPage();
    await shots('rollout-done');
    // From the bar (the toast may have faded by now on a slow machine).
    await page.click('header button:has-text("Activity")');
    await page.waitForSelector('[role=dialog][aria-label=Activity] .toast-done:has-text("Rollout restart")');
    await shots('activity');
    await page.click('[role=dialog][aria-label=Activity] button:has-text("Close")');
  }, 180_000);

  it('Resources: pods, deployments with ReplicaSets and revision, events by object, YAML, the ConfigMap applied with a diff', async () => {
    await page.click('#tab-resources');
    const agent = (await page.getAttribute('[data-pod]', 'data-pod'))!;
    await page.waitForSelector(`[data-pod-row="${agent}"] .status-ok[data-status-text=Running]`, { timeout: 60_000 });
    await page.waitForSelector('[data-deployment=opamp-agent]');
    expect(await page.textContent('[data-deployment=opamp-agent] td:nth-child(4)')).toBe('2');
    expect((await page.$$('[data-replicaset^="opamp-agent-"]')).length).toBeGreaterThanOrEqual(2);
    await page.click(`[data-pod-row="${agent}"] button`);
    await page.waitForFunction(() => Boolean((globalThis as unknown as PageGlobals).document.querySelector('[data-testid=object-yaml] .cm-content')?.textContent?.includes('kind: Pod')), undefined, { timeout: 10_000 });
    expect(await page.$eval('select[aria-label="Events for object"]', (el) => (el as unknown as { value: string }).value)).toBe(`pod/${agent}`);
    await page.waitForSelector('.res-events td:has-text("Started")', { timeout: 10_000 });
    await expectCleanPage();
    await shots('resources-pod');

    await page.click('.res-cms button:has-text("opamp-agent-config")');
    await page.click('.res-detail button:has-text("Edit")');
    await page.click('[data-testid=configmap-editor] .cm-content');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n# edited in the dashboard e2e test');
    await page.click('button:has-text("Show diff")');
    await page.waitForSelector('[data-testid=configmap-diff] .cm-mergeView');
    await shots('configmap-diff');
    await page.click('.cm-editor-pane button:has-text("Apply")');
    await toastDone('Apply ConfigMap opamp-agent-config', 15_000);
    await expect.poll(() => page.textContent('.cm-editor-pane .toolbar [role=status]'), { timeout: 10_000 }).toMatch(/^as in the cluster/);
    // The engine's watch brings the applied version back (it may trail the toast by a moment).
    await expect.poll(() => service.store.current.workloads.configMaps.find((c) => c.name === 'opamp-agent-config')?.data['collector.yaml'], { timeout: 10_000 }).toContain('# edited in the dashboard e2e test');
    await shots('configmap-applied');
  }, 120_000);

  it('fault and reset buttons ask first; Cancel runs nothing', async () => {
    await dismissToasts();
    await page.click('#tab-guide');
    const before = service.store.current.diagnoses.length;
    await page.click('button:has-text("Break: Invalid key")');
    await page.waitForSelector('[role=alertdialog]:has-text("Break the lab (Invalid key)?")');
    await shots('fault-confirm');
    await page.click('[role=alertdialog] button:has-text("Cancel")');
    await page.click('button:has-text("Put it right")');
    await page.waitForSelector('[role=alertdialog]:has-text("Reset the lab to its working state?")');
    await page.keyboard.press('Escape');
    expect(await page.$('[role=alertdialog]')).toBeNull();
    expect(await page.$('.toast:has-text("Break:")')).toBeNull();
    expect(service.store.current.diagnoses.length).toBe(before);
  }, 60_000);

  it('"Open server UI" opens a new tab in the browser version', async () => {
    await page.click('#tab-overlay');
    await page.waitForSelector('button:has-text("Open server UI"):not([disabled])', { timeout: 30_000 });
    const opened = page.context().waitForEvent('page');
    await page.click('button:has-text("Open server UI")');
    const tab = await opened;
    await tab.waitForLoadState();
    expect(tab.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    await tab.close();
  });

  it('axe-core finds no serious or critical violation in either theme', async () => {
    const views: ((p: Page) => Promise<string>)[] = [];
    for (const light of [false, true]) {
      for (const tabId of ['logs', 'config', 'overlay', 'pipeline', 'resources', 'terminal', 'guide']) {
        views.push(async (p) => {
          await p.waitForSelector('[data-pod]', { timeout: 30_000 });
          const dark = await p.evaluate(() => (globalThis as unknown as ThemeGlobals).document.documentElement.dataset.theme === 'dark');
          if (dark === light) await p.click('button[aria-label^="Switch to"]');
          await p.click(`#tab-${tabId}`);
          await p.waitForTimeout(300);
          return `${light ? 'light' : 'dark'} theme, ${tabId} tab`;
        });
      }
    }
    expect(await axeViolations(browser, shell.url, views)).toEqual([]);
  }, 120_000);

  it('no truncated status text at 1920x1080 either', async () => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.click('#tab-logs');
    await expectCleanPage();
    await page.screenshot({ path: await artifactPath('views-1920-logs.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('a namespace without the lab says so and switches to opamp in one click', async () => {
    otherSim = await startSim({ kubeconfigPath: join(mkdtempSync(join(tmpdir(), 'opamp-lab-e2e-ns-')), 'kubeconfig'), replicas: 1 });
    const kubeconfigPath = otherSim.kubeconfigPath;
    await page.evaluate((path) => void (globalThis as unknown as { lab: LabApi }).lab.connect({ target: { kind: 'kubeconfig', kubeconfigPath: path, namespace: 'default' } }), kubeconfigPath);
    await page.waitForSelector('[data-testid=no-lab]:has-text("no lab found in default; the lab runs in opamp")', { timeout: 60_000 });
    expect(await page.getAttribute('[data-testid=connection]', 'class')).toContain('conn-nolab');
    await shots('no-lab');
    await page.click('[data-testid=no-lab] button:has-text("switch to opamp")');
    await page.waitForSelector('[data-testid=connection]:has-text("/ opamp")', { timeout: 60_000 });
    await page.waitForSelector('[data-pod]', { timeout: 60_000 });
    expect(await page.$('[data-testid=no-lab]')).toBeNull();
  }, 150_000);

  it('a lost backend shows a red banner and disables the controls until it is back', async () => {
    const { port, token } = shell;
    await shell.close();
    await page.waitForSelector('[data-testid=backend-lost]', { timeout: 10_000 });
    expect(await page.isDisabled('button:has-text("Reconnect")')).toBe(true);
    expect(await page.isDisabled('input[aria-label="Filter log lines"]')).toBe(true);
    expect(await page.getAttribute('[data-testid=connection]', 'class')).toContain('conn-error');
    // One theme only: the theme button is one of the disabled controls.
    await page.screenshot({ path: await artifactPath(`views-backend-lost-${await theme()}.png`) });
    shell = await startWebShell({ service, rendererDir: DEFAULT_RENDERER_DIR, port, token });
    await page.waitForSelector('[data-testid=backend-lost]', { state: 'detached', timeout: 20_000 });
    expect(await page.isDisabled('button:has-text("Reconnect")')).toBe(false);
    await expectCleanPage();
  }, 60_000);

  it('a page whose token is not accepted (an earlier start) is told so, not left reconnecting', async () => {
    const stale = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await stale.goto(`http://127.0.0.1:${shell.port}/?token=from-an-earlier-start`);
      await stale.waitForSelector('[data-testid=backend-lost]:has-text("does not accept this page")', { timeout: 20_000 });
      expect(await stale.textContent('[data-testid=connection]')).toBe('no link to the app: this page was refused');
      expect(await stale.isDisabled('button[aria-label^="Switch to"]')).toBe(true);
      await stale.screenshot({ path: await artifactPath('views-refused-page.png') });
    } finally {
      await stale.close();
    }
  }, 60_000);

  it('the page raised no error and the lab wrote no stack trace', () => {
    expect(pageErrors).toEqual([]);
    expect(stackFrames(labOutput.lines)).toEqual([]);
  });
});

// Lab mode end to end, as an attendee does the workshop: the freshly built
// renderer in Chromium through the web shell, a blank embedded lab started from
// Lab mode (the namespace only), and a lab shell (a real pty running bash with
// the real kubectl v1.35) in the Terminal tab. The test types the guide's
// commands — taken from the steps' copyable blocks and checked against the
// guide's own text — into the lab shell's xterm, saves the overlay in the
// server UI opened through the app's forward, and Lab mode credits each step in
// order. Screenshots go to test-results/.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineService, type EngineService } from '../../electron/engine/index';
import { startWebShell, type WebShell } from '../../electron/web/server';
import { TEST_OPAMP_OVERLAY } from '../../shared/guideOverlays';
import { artifactPath, launchChromium } from './browser';
import type { PageGlobals } from './pageDom';

let browser: Browser;
let shell: WebShell;
let service: EngineService;
let page: Page;
const pageErrors: string[] = [];

// The guide's commands as lab-guide.md prints them (Steps 4–10).
const GUIDE = {
  configMap: `kubectl -n opamp create configmap opamp-agent-config \\
  --from-file=supervisor.yaml \\
  --from-file=collector.yaml \\
  -o yaml --dry-run=client | kubectl apply -f -`,
  restart: 'kubectl -n opamp rollout restart deploy/opamp-agent',
  status: 'kubectl -n opamp rollout status deploy/opamp-agent --timeout=180s',
  pod: "POD=$(kubectl -n opamp get pod -l app=opamp-agent -o jsonpath='{.items[0].metadata.name}')",
  ps: `kubectl -n opamp exec -it $POD -c agent -- sh -c \\
'ps -ef | egrep "opampsupervisor|otelcol-contrib"'`,
  logs: 'kubectl -n opamp logs deploy/opamp-agent -c agent --since=5m',
  effective: `kubectl -n opamp exec -it $POD -c agent -- sh -c \\
'ls -l /storage/effective.yaml && head -n 40 /storage/effective.yaml'`,
  grep: `kubectl -n opamp exec -it $POD -c agent -- sh -c \\
'grep -R "test_opamp" -n /storage/effective.yaml'`,
};

const stepStatus = (id: string) => page.getAttribute(`[data-step="${id}"]`, 'data-status');

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: await artifactPath(`guide-${name}.png`) });
}

async function waitStep(id: string, status: string, timeout = 60_000): Promise<void> {
  try {
    await page.waitForSelector(`[data-step="${id}"][data-status="${status}"]`, { timeout, state: 'attached' });
  } catch (err) {
    await page.screenshot({ path: await artifactPath(`guide-fail-${id}.png`), fullPage: true });
    const text = await page.textContent(`[data-step="${id}"]`);
    throw new Error(`step ${id} not ${status} within ${timeout} ms (is ${await stepStatus(id)}: ${text}): ${(err as Error).message.split('\n')[0]}`);
  }
}

/** The copyable commands of a step, as its Copy buttons copy them. */
async function stepCommands(id: string): Promise<string[]> {
  await page.click('#tab-guide');
  const open = await page.getAttribute(`[data-step="${id}"] .guide-step-head`, 'aria-expanded');
  if (open !== 'true') await page.click(`[data-step="${id}"] .guide-step-head`);
  return page.$$eval(`[data-step="${id}"] .guide-command pre`, (els) => els.map((e) => e.textContent ?? ''));
}

/** What the lab shell's xterm shows now (its visible rows). */
const screen = () => page.$eval('[aria-label^="Terminal: lab shell"] .xterm-rows', (el) => (el.textContent ?? '').replace(/\u00a0/g, ' '));

async function terminalShows(text: string, timeout = 60_000): Promise<void> {
  try {
    await page.waitForFunction(
      (t) => Boolean((globalThis as unknown as PageGlobals).document.querySelector('[aria-label^="Terminal: lab shell"] .xterm-rows')?.textContent?.replace(/\u00a0/g, ' ').includes(t)),
      text,
      { timeout, polling: 200 },
    );
  } catch (err) {
    await shot('terminal-failed');
    throw new Error(`the lab shell never showed ${JSON.stringify(text)}; it shows ${JSON.stringify((await screen()).slice(-600))}: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** Types a command into the lab shell as a person pastes it, and presses Enter. */
async function typeInShell(command: string): Promise<void> {
  await page.click('#tab-terminal');
  await page.click('[aria-label^="Terminal: lab shell"]');
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'guide-e2e-'));
  const rendererDir = join(dir, 'renderer');
  await build({ configFile: 'renderer/vite.config.ts', logLevel: 'error', build: { outDir: rendererDir, emptyOutDir: true } });
  service = createEngineService({ shell: 'web', version: 'test', dataDir: join(dir, 'data'), sim: { speed: 5 }, labShell: ['/bin/bash', '--norc', '--noprofile'] });
  shell = await startWebShell({ service, rendererDir });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(shell.url);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await shell?.close();
  await service?.close();
});

describe('lab mode, from scratch, with the guide\'s commands typed into a lab shell', () => {
  it('credits each step in order as the attendee does it', async () => {
    // Start from scratch: a blank embedded lab, nothing deployed, nothing failed.
    await page.click('#tab-guide');
    await page.click('button:has-text("Start from scratch")');
    await waitStep('build-image', 'in-place', 90_000);
    await waitStep('collector-config', 'current');
    for (const id of ['supervisor-config', 'deploy', 'rollout', 'verify-processes', 'verify-applied', 'failure-modes']) expect(await stepStatus(id)).toBe('todo');
    expect(await page.textContent('[data-count="todo"]')).toContain('10 to do');
    expect(await page.getAttribute('[data-testid="kubeconfig"]', 'aria-label')).toMatch(/^Copy export KUBECONFIG=\/.*\/embedded\.kubeconfig$/);
    // The button shows the file name (its label KUBECONFIG sits beside it: WCAG 2.5.3, the name holds the visible text).
    expect(await page.textContent('[data-testid="kubeconfig"]')).toBe('embedded.kubeconfig');
    await shot('blank');

    // A lab shell: the pty's banner names KUBECONFIG and the lab's files.
    await page.click('#tab-terminal');
    await page.click('button:has-text("New lab shell")');
    await terminalShows('(context opamp-lab, namespace opamp)');
    await terminalShows('Lab files: supervisor.yaml collector.yaml');

    // Step 4: the ConfigMap pipe, as the step's Copy button copies it (= the guide's text), then the manifests.
    const deploy = await stepCommands('deploy');
    expect(deploy[0]).toBe(GUIDE.configMap);
    await typeInShell(deploy[0]!);
    await terminalShows('configmap/opamp-agent-config created');
    await waitStep('collector-config', 'done');
    await waitStep('supervisor-config', 'done');
    expect(await page.textContent('[data-step="supervisor-config"] .guide-badge')).toBe('done by you');
    expect(deploy[1]).toBe('kubectl apply -f opamp-server.yaml -f opamp-agent.yaml');
    await typeInShell(deploy[1]!);
    await terminalShows('deployment.apps/opamp-agent created');
    await waitStep('deploy', 'done', 120_000);
    await shot('deployed');

    // Step 5: rollout restart, then rollout status until it finishes.
    const rollout = await stepCommands('rollout');
    expect(rollout).toEqual([GUIDE.restart, GUIDE.status]);
    await typeInShell(rollout[0]!);
    await terminalShows('deployment.apps/opamp-agent restarted');
    await typeInShell(rollout[1]!);
    await terminalShows('deployment "opamp-agent" successfully rolled out', 180_000);
    await waitStep('rollout', 'done', 60_000);

    // Step 6: the pod's name, then ps -ef | egrep inside the agent container (with a terminal: -it).
    const ps = await stepCommands('verify-processes');
    expect(ps).toEqual([GUIDE.pod, GUIDE.ps]);
    await typeInShell(ps[0]!);
    await typeInShell(ps[1]!);
    await terminalShows('/opampsupervisor --config=/supervisor.yaml');
    await waitStep('verify-processes', 'done');
    await shot('processes');

    // Step 7: the supervisor's log.
    const logs = await stepCommands('verify-connection');
    expect(logs).toEqual([GUIDE.logs]);
    await typeInShell(logs[0]!);
    await terminalShows('Connected to the server.');
    await waitStep('verify-connection', 'done');

    // Step 8: effective.yaml exists.
    const eff = await stepCommands('verify-effective');
    expect(eff[1]).toBe(GUIDE.effective);
    await typeInShell(eff[1]!);
    await terminalShows('/storage/effective.yaml');
    await waitStep('verify-effective', 'done');

    // Step 9: the server UI through the app's forward, the overlay saved there as the guide says.
    await waitStep('push-overlay', 'current');
    const ui = await page.getAttribute('[aria-label="Port forwards"] button', 'title');
    const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(ui ?? '')?.[0];
    expect(url, `the UI forward chip: ${ui}`).toBeTruthy();
    const serverUi = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await serverUi.goto(url!);
    const agentLink = serverUi.locator('a[href^="agent?instanceid="]').first();
    await agentLink.click();
    await serverUi.fill('textarea[name="config"]', TEST_OPAMP_OVERLAY);
    await serverUi.screenshot({ path: await artifactPath('guide-server-ui.png') });
    await serverUi.click('button:has-text("Save and Send to Agent")');
    await serverUi.waitForURL(/\/agent\?instanceid=/);
    await serverUi.close();
    await waitStep('push-overlay', 'done', 30_000);
    expect(await page.textContent('[data-step="push-overlay"] .guide-badge')).toBe('done by you');
    expect(await page.textContent('[data-step="push-overlay"] .guide-detail')).toContain('arrived through the server UI');

    // Step 10: test_opamp in effective.yaml.
    const grep = await stepCommands('verify-applied');
    expect(grep[1]).toBe(GUIDE.grep);
    await typeInShell(grep[1]!);
    await terminalShows('attributes/test_opamp');
    await waitStep('verify-applied', 'done', 30_000);
    await shot('terminal-applied');

    await page.click('#tab-guide');
    expect(await page.textContent('[data-count="done"]')).toContain('9 done');
    expect(await page.textContent('[data-count="in-place"]')).toContain('1 already in place');
    await waitStep('failure-modes', 'current');
    await shot('applied');
    expect(pageErrors).toEqual([]);
  }, 600_000);
});

// Lab mode end to end: the freshly built renderer in Chromium through the web
// shell, the engine connected to the embedded lab's API emulator (stand-in pods
// until lab/sim/pod lands). Walks from the deploy step to "verify applied" with
// the step buttons, as an attendee would, and checks the doctor shows evidence.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineService, type EngineService } from '../../electron/engine/index';
import { startWebShell, type WebShell } from '../../electron/web/server';
import { startSim, type Sim } from '../../lab/sim/boot';
import { createTestLabRuntime } from '../integration/engineTestLab';
import { artifactPath, launchChromium } from './browser';

let browser: Browser;
let shell: WebShell;
let service: EngineService;
let sim: Sim;
let page: Page;
const pageErrors: string[] = [];

const stepStatus = (id: string) => page.getAttribute(`[data-step="${id}"]`, 'data-status');
async function waitStep(id: string, status: string, timeout = 30_000): Promise<void> {
  try {
    // `a|b`: either status.
    const statuses = status.split('|').map((s) => `[data-status="${s}"]`).join(',');
    await page.waitForSelector(`[data-step="${id}"]:is(${statuses})`, { timeout });
  } catch (err) {
    await page.screenshot({ path: await artifactPath(`guide-fail-${id}.png`), fullPage: true });
    const text = await page.textContent(`[data-step="${id}"]`);
    throw new Error(`step ${id} not ${status} within ${timeout} ms (is ${await stepStatus(id)}: ${text}): ${(err as Error).message.split('\n')[0]}`);
  }
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'guide-e2e-'));
  const rendererDir = join(dir, 'renderer');
  await build({ configFile: 'renderer/vite.config.ts', logLevel: 'error', build: { outDir: rendererDir, emptyOutDir: true } });
  sim = await startSim({ kubeconfigPath: join(dir, 'kubeconfig'), runtime: createTestLabRuntime(), speed: 10 });
  service = createEngineService({ shell: 'web', version: 'test', dataDir: join(dir, 'data') });
  expect(await service.call('connect', { target: { kind: 'kubeconfig', kubeconfigPath: sim.kubeconfigPath } })).toMatchObject({ ok: true });
  shell = await startWebShell({ service, rendererDir });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(shell.url);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await shell?.close();
  await service?.close();
  await sim?.close();
});

describe('lab mode', () => {
  it('walks from deploy to verify-applied with the step buttons', async () => {
    await page.click('#tab-guide');
    await waitStep('deploy', 'done');
    // The rollout step is the current one and open: its commands carry the namespace. It shows as
    // failed once its 20 s grace passed before the page looked (the lab can be ready long before
    // a loaded machine has Chromium up).
    await waitStep('rollout', 'current|failed');
    const cmd = await page.textContent('[data-step="rollout"] .guide-command pre');
    expect(cmd).toBe('kubectl -n opamp rollout restart deploy/opamp-agent');
    await page.click('[data-step="rollout"] .guide-buttons button:has-text("Restart the rollout")');
    await waitStep('rollout', 'done');
    await waitStep('push-overlay', 'current', 40_000);
    await page.screenshot({ path: await artifactPath('guide-before-push.png') });
    await page.click('[data-step="push-overlay"] .guide-buttons button:has-text("Skip")');
    await waitStep('push-overlay', 'skipped');
    await waitStep('verify-applied', 'done', 40_000);
    // Commands of an open step show the pod's name, not a placeholder.
    await page.click('[data-step="verify-applied"] .guide-step-head');
    const applied = await page.textContent('[data-step="verify-applied"] .guide-command pre');
    expect(applied).toMatch(/^kubectl -n opamp exec opamp-agent-[a-z0-9]+-[a-z0-9]+ -c agent -- grep -n test_opamp/);
    // The doctor's warning cites supervisor.yaml.
    await page.waitForSelector('[data-diagnosis="insecure-skip-verify"]');
    expect(await page.textContent('[data-diagnosis="insecure-skip-verify"] .diagnosis-evidence')).toContain('insecure_skip_verify: true');
    await page.screenshot({ path: await artifactPath('guide-applied.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 150_000);
});

// What a user waits for, as whole processes, side by side in one run (issue 14 item 3):
//  (a) `opamp-lab verify` vs the guide's verification commands with the real kubectl v1.35, same embedded lab;
//  (b) cold start of the web shell with the embedded lab → first paint, and → six decided, in Chromium;
//  (c) overlay saved in the server UI → "Changes visible" green in the page;
//  (d) `kubectl rollout restart` → six green again on the new pod, in the page;
//  (e) CLI start-up (wall and peak memory) next to a bare `node -e 0`;
//  (f) `verify --watch`: the server shows APPLIED → the watch prints it.
// Machines here are shared and noisy: medians of several runs, and every ratio is taken within one run.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { startSim } from '../../lab/sim/boot';
import { kubectl, kubectlPath, shell, tempCacheDir } from '../conformance/kubectl';
import { launchChromium } from '../e2e/browser';
import type { PageGlobals } from '../e2e/pageDom';
import type { ServerAgentsResponse } from '../../shared/serverApi';
import { GUIDE_VERIFICATION_SCRIPT } from './guideVerification';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/opamp-lab.cjs');
const overlayFile = join(root, 'lab/overlays/test_opamp.yaml');
const CLI_RUNS = 7;
const VERIFY_RUNS = 5;
const APP_RUNS = 2;

const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  return Math.round(s[Math.floor(s.length / 2)] ?? NaN);
};
const ratio = (slow: number, fast: number): number => Math.round((slow / Math.max(1, fast)) * 100) / 100;

interface Proc {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  firstOutputMs?: number;
  peakRssKiB?: number;
  /** user + system CPU of the process and the children it waited for (kubectl runs as children of sh). */
  cpuMs?: number;
}

/** Runs argv as a process; with `measureRss`, under GNU time for the peak resident set and the CPU time. */
function proc(argv: string[], opts: { env?: NodeJS.ProcessEnv; measureRss?: boolean; timeoutMs?: number } = {}): Promise<Proc> {
  const [cmd, ...args] = opts.measureRss ? ['/usr/bin/time', '-f', 'usage=%M %U %S', ...argv] : argv;
  const t0 = performance.now();
  const child = spawn(cmd!, args, { cwd: root, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let firstOutputMs: number | undefined;
  child.stdout.on('data', (d: Buffer) => {
    firstOutputMs ??= performance.now() - t0;
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
  return new Promise((done) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      const usage = /usage=(\d+) ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
      done({
        code,
        stdout,
        stderr: usage ? stderr.slice(0, usage.index) : stderr,
        wallMs: performance.now() - t0,
        ...(firstOutputMs !== undefined ? { firstOutputMs } : {}),
        ...(usage ? { peakRssKiB: Number(usage[1]), cpuMs: (Number(usage[2]) + Number(usage[3])) * 1000 } : {}),
      });
    }),
  );
}

const node = (args: string[], opts: Parameters<typeof proc>[1] = {}): Promise<Proc> => proc([process.execPath, ...args], opts);

function must(p: Proc, what: string, code = 0): Proc {
  if (p.code !== code) throw new Error(`bench: ${what} exited ${p.code}: ${p.stderr || p.stdout}`);
  return p;
}

/** (e) Start-up: `--help`, `verify --help` and a bare Node, interleaved so load spikes hit all three. */
async function startup(figures: Record<string, number | string>): Promise<void> {
  const runs: Record<string, Proc[]> = { node: [], help: [], verifyHelp: [] };
  for (let i = 0; i < CLI_RUNS; i += 1) {
    runs.node!.push(must(await node(['-e', '0'], { measureRss: true }), 'node -e 0'));
    runs.help!.push(must(await node([bin, '--help'], { measureRss: true }), 'opamp-lab --help'));
    runs.verifyHelp!.push(must(await node([bin, 'verify', '--help'], { measureRss: true }), 'opamp-lab verify --help'));
  }
  const wall = (k: string): number => median(runs[k]!.map((r) => r.wallMs));
  const rssMiB = (k: string): number => Math.round(median(runs[k]!.map((r) => r.peakRssKiB ?? NaN)) / 102.4) / 10;
  figures['e_node_bare_ms'] = wall('node');
  figures['e_help_ms'] = wall('help');
  figures['e_verify_help_ms'] = wall('verifyHelp');
  figures['e_help_over_bare_node_ms'] = wall('help') - wall('node');
  figures['e_verify_help_over_bare_node_ms'] = wall('verifyHelp') - wall('node');
  figures['e_node_bare_peak_mib'] = rssMiB('node');
  figures['e_help_peak_mib'] = rssMiB('help');
  figures['e_verify_help_peak_mib'] = rssMiB('verifyHelp');
  figures['e_verify_help_cpu_ms'] = median(runs.verifyHelp!.map((r) => r.cpuMs ?? NaN));
  figures['e_node_bare_cpu_ms'] = median(runs.node!.map((r) => r.cpuMs ?? NaN));
  figures['e_goal'] = '--help and verify --help ≤ 150 ms median, ≤ 80 MiB peak';
}

/** (a) `opamp-lab verify` vs the guide's commands, alternating on one embedded lab with the overlay applied. */
async function verifyVsKubectl(figures: Record<string, number | string>): Promise<void> {
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'user-waits-a-')), 'kubeconfig');
  const sim = await startSim({ kubeconfigPath: kubeconfig });
  try {
    await watchLatency(sim.uiUrl, kubeconfig, figures);
    const env = { kubeconfig, cacheDir: tempCacheDir() };
    const warm = await shell(env, GUIDE_VERIFICATION_SCRIPT, { timeoutMs: 120_000 }); // discovery cache, like a user's second run
    if (warm.code !== 0) throw new Error(`bench: guide commands failed: ${warm.stderr}`);
    const guideEnv = { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: env.cacheDir, PATH: `${dirname(kubectlPath)}:${process.env.PATH ?? ''}` };
    const verify: Proc[] = [];
    const guide: Proc[] = [];
    for (let i = 0; i < VERIFY_RUNS; i += 1) {
      const v = must(await node([bin, 'verify', '--kubeconfig', kubeconfig], { measureRss: true }), 'verify');
      if ((v.stdout.match(/^ {2}✔ /gm) ?? []).length !== 6) throw new Error(`bench: verify did not print six passes:\n${v.stdout}`);
      verify.push(v);
      guide.push(must(await proc(['/bin/sh', '-c', GUIDE_VERIFICATION_SCRIPT], { env: guideEnv, measureRss: true }), 'the guide commands'));
    }
    const verifyWall = median(verify.map((r) => r.wallMs));
    figures['a_verify_process_ms'] = verifyWall;
    figures['a_verify_six_verdicts_printed_ms'] = median(verify.map((r) => r.firstOutputMs ?? NaN));
    figures['a_verify_peak_mib'] = Math.round(median(verify.map((r) => r.peakRssKiB ?? NaN)) / 102.4) / 10;
    const guideWall = median(guide.map((r) => r.wallMs));
    figures['a_guide_kubectl_commands_ms'] = guideWall;
    figures['a_ratio_kubectl_over_verify'] = ratio(guideWall, verifyWall);
    figures['a_goal_ratio'] = 1.5;
    // CPU time does not stretch when other work holds the cores, as wall time does on a shared machine.
    const verifyCpu = median(verify.map((r) => r.cpuMs ?? NaN));
    const guideCpu = median(guide.map((r) => r.cpuMs ?? NaN));
    figures['a_verify_cpu_ms'] = verifyCpu;
    figures['a_guide_kubectl_commands_cpu_ms'] = guideCpu;
    figures['a_cpu_ratio_kubectl_over_verify'] = ratio(guideCpu, verifyCpu);
  } finally {
    await sim.close();
  }
}

/**
 * (f) `verify --watch` on the lab: the overlay is pushed, and the time from the server first showing
 * APPLIED (polled every 20 ms on its own UI port) to the watch printing "Remote config applied" passing.
 */
async function watchLatency(uiUrl: string, kubeconfig: string, figures: Record<string, number | string>): Promise<void> {
  const watch = spawn(process.execPath, [bin, 'verify', '--watch', '--json', '--kubeconfig', kubeconfig], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let printedApplied: number | undefined;
  let printedLines = 0;
  let buffered = '';
  watch.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      printedLines += 1;
      const pods = (JSON.parse(line) as { pods: { criteria: { id: string; status: string }[] }[] }).pods;
      if (printedApplied === undefined && pods.length > 0 && pods.every((p) => p.criteria.some((c) => c.id === 'remote-config-applied' && c.status === 'pass'))) printedApplied = performance.now();
    }
  });
  try {
    await until('the first verdicts of the watch', async () => printedLines > 0, 60_000);
    const pushing = node([bin, 'push-overlay', overlayFile, '--kubeconfig', kubeconfig]);
    const serverApplied = await until('APPLIED at the server', async () => {
      const r = (await (await fetch(`${uiUrl}/api/agents`)).json()) as ServerAgentsResponse;
      return r.agents.some((a) => a.connected && a.remoteConfigStatus.status === 'APPLIED') && performance.now();
    }, 120_000, 20);
    must(await pushing, 'push-overlay');
    const printed = await until('the watch printing APPLIED', async () => printedApplied, 30_000, 10);
    figures['f_watch_server_applied_to_printed_ms'] = Math.round(printed - serverApplied);
    figures['f_probe_interval_ms'] = 250;
  } finally {
    watch.kill('SIGINT');
  }
}

const criteriaIn = (p: Page) =>
  p.evaluate(() => {
    const doc = (globalThis as unknown as PageGlobals).document;
    return Array.from(doc.querySelectorAll('[data-criterion]')).map((e) => ({ id: e.getAttribute('data-criterion'), status: e.getAttribute('data-status') }));
  });

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 120_000, stepMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** (b), (c), (d) in one app session per run: cold start, overlay through the server UI, rollout restart. */
async function appSession(browser: Awaited<ReturnType<typeof launchChromium>>, samples: Record<string, number[]>): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'user-waits-app-'));
  const env = { ...process.env, XDG_CONFIG_HOME: home };
  const t0 = performance.now();
  const child = spawn(process.execPath, [bin, 'web', '--embedded', '--port', '0'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const serverUi = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // What the page's link to the web shell did, for a session that stalls.
  const linkLog: string[] = [];
  const at = (): string => `${Math.round(performance.now() - t0)} ms`;
  page.on('websocket', (ws) => {
    linkLog.push(`ws open ${at()}`);
    ws.on('close', () => linkLog.push(`ws close ${at()}`));
    ws.on('socketerror', (e) => linkLog.push(`ws error ${e} ${at()}`));
  });
  page.on('console', (m) => m.type() === 'error' && linkLog.push(`console ${m.text().slice(0, 200)} ${at()}`));
  page.on('pageerror', (e) => linkLog.push(`pageerror ${e.message.slice(0, 200)} ${at()}`));
  try {
    const url = await until('the web shell URL', async () => /opamp-lab web: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out)?.[1] ?? (child.exitCode !== null ? Promise.reject(new Error(`web exited: ${err}`)) : undefined), 60_000);
    const navigated = performance.now();
    await page.goto(url);
    const fcp = await until('first contentful paint', () =>
      page.evaluate(() => {
        const perf = (globalThis as unknown as { performance: { getEntriesByName(n: string): { startTime: number }[] } }).performance;
        return perf.getEntriesByName('first-contentful-paint')[0]?.startTime;
      }),
    );
    samples.firstPaint!.push(navigated - t0 + fcp);
    // Six decided on a fresh lab: the four that need no overlay green, the two overlay ones waiting for one.
    let shown = '';
    await until('six decided', async () => {
      const c = await criteriaIn(page);
      shown = c.map((x) => `${x.id}=${x.status}`).join(' ');
      return c.length === 6 && c.filter((x) => x.status === 'pass').length === 4 && c.every((x) => x.status === 'pass' || (x.status === 'pending' && /overlay|remote-config/.test(x.id ?? '')));
    }, 180_000).catch(async (e: Error) => {
      const connection = await page.textContent('[data-testid=connection]').catch(() => '?');
      throw new Error(`${e.message}; the page shows: ${shown || 'no criteria'}; connection: ${connection}; link: ${linkLog.slice(-12).join(', ') || 'no WebSocket'}; web shell output: ${(out + err).slice(-500)}`);
    });
    samples.sixDecided!.push(performance.now() - t0);

    // (c) The server UI through the app's own forward (the cluster bar shows 4321 → :port).
    const uiPort = await until('the UI forward', async () => /4321 → :(\d+)/.exec((await page.textContent('body')) ?? '')?.[1]);
    await serverUi.goto(`http://127.0.0.1:${uiPort}/`);
    await serverUi.locator('a[href^="agent?instanceid="]').first().click();
    await serverUi.getByLabel('Additional Configuration').fill(readFileSync(overlayFile, 'utf8'));
    const saved = performance.now();
    await serverUi.getByRole('button', { name: 'Save and Send to Agent' }).click();
    await until('Changes visible green', async () => (await criteriaIn(page)).some((c) => c.id === 'overlay-visible' && c.status === 'pass'));
    samples.saveToVisible!.push(performance.now() - saved);
    await until('six green', async () => (await criteriaIn(page)).filter((c) => c.status === 'pass').length === 6);

    // (d) `kubectl rollout restart`, as the guide has it, against the app's embedded lab.
    const before = await page.getAttribute('[data-pod]', 'data-pod');
    const restarted = performance.now();
    const r = await kubectl({ kubeconfig: join(home, 'opamp-lab', 'embedded.kubeconfig'), cacheDir: tempCacheDir() }, ['-n', 'opamp', 'rollout', 'restart', 'deploy/opamp-agent']);
    if (r.code !== 0) throw new Error(`bench: rollout restart: ${r.stderr}`);
    await until('six green on the new pod', async () => {
      const pods = await page.$$eval('[data-pod]', (els) => els.map((e) => e.getAttribute('data-pod')));
      const c = await criteriaIn(page);
      shown = `pods ${pods.join(',')}; ${c.map((x) => `${x.id}=${x.status}`).join(' ')}`;
      // The agent's criteria may be drawn in more than one place (dashboard and Lab mode): one pod, six ids, all green.
      const one = new Set(pods);
      return one.size === 1 && pods[0] !== before && new Set(c.map((x) => x.id)).size === 6 && c.every((x) => x.status === 'pass');
    }, 180_000).catch(async (e: Error) => {
      const notes = await page.$$eval('[data-criterion] .hint, [data-criterion] .evidence', (els) => els.map((x) => x.textContent ?? '').join(' | ')).catch(() => '');
      throw new Error(`${e.message}; the page shows: ${shown}; ${notes.slice(0, 800)}`);
    });
    samples.restartToSixGreen!.push(performance.now() - restarted);
  } finally {
    await page.close();
    await serverUi.close();
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
  }
}

export default async function run(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = { method: 'whole processes; medians; ratios within this run', runs: `CLI ${CLI_RUNS}, verify ${VERIFY_RUNS}, app ${APP_RUNS}` };
  await startup(figures);
  await verifyVsKubectl(figures);
  const browser = await launchChromium();
  const samples: Record<string, number[]> = { firstPaint: [], sixDecided: [], saveToVisible: [], restartToSixGreen: [] };
  const failures: string[] = [];
  try {
    for (let i = 0; i < APP_RUNS; i += 1) {
      // One session that does not finish is reported with what the page showed; the others still count.
      await appSession(browser, samples).catch((e: Error) => failures.push(e.message));
    }
  } finally {
    await browser.close();
  }
  if (failures.length > 0) figures['bcd_failed_sessions'] = failures.join(' || ');
  figures['b_cold_start_to_first_paint_ms'] = median(samples.firstPaint!);
  figures['b_cold_start_to_six_decided_ms'] = median(samples.sixDecided!);
  figures['b_note'] = 'web shell with --embedded, spawn → page; six decided = four green and the two overlay criteria waiting for an overlay';
  figures['c_server_ui_save_to_changes_visible_ms'] = median(samples.saveToVisible!);
  figures['d_rollout_restart_to_six_green_ms'] = median(samples.restartToSixGreen!);
  return figures;
}

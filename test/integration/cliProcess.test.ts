// `opamp-lab` as a user runs it: the built bundle (bin/opamp-lab.cjs → dist/cli), as a whole process,
// against an embedded lab served on 127.0.0.1. Each command must end as soon as its work is done, one-shot
// `verify` must not wait for verdicts it already has, and `verify --watch | head -1` must end quietly.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import nodeModule from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type Sim } from '../../lab/sim/boot';
import { kubectl, tempCacheDir } from '../conformance/kubectl';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/opamp-lab.cjs');
const overlay = join(root, 'lab/overlays/test_opamp.yaml');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** ms from spawn to the last byte of output, and to the exit. */
  lastOutputMs: number;
  exitMs: number;
}

function run(argv: string[], opts: { shell?: boolean; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  const t0 = performance.now();
  const child = opts.shell
    ? spawn('bash', ['-o', 'pipefail', '-c', argv.join(' ')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, [bin, ...argv], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], ...(opts.env ? { env: opts.env } : {}) });
  let stdout = '';
  let stderr = '';
  let lastOutputMs = 0;
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    lastOutputMs = performance.now() - t0;
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    lastOutputMs = performance.now() - t0;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  return new Promise((done) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, lastOutputMs, exitMs: performance.now() - t0 });
    }),
  );
}

/** Node 22.1+ caches every module itself; the CLI's own code cache (electron/codeCache.ts) is then off. */
const codeCacheByNode = 'enableCompileCache' in nodeModule;

describe('the shipped command line', () => {
  it("keeps the Kubernetes client's compiled code between runs (Node before 22.1), private, and survives a bad cache", async () => {
    const cacheHome = mkdtempSync(join(tmpdir(), 'cli-code-cache-'));
    const runTmp = mkdtempSync(join(tmpdir(), 'cli-tmp-'));
    const env = { ...process.env, XDG_CACHE_HOME: cacheHome, TMPDIR: runTmp };
    // A kubeconfig that does not exist: the engine (and the client) loads, connect fails with a clear message.
    const argv = ['verify', '--kubeconfig', join(cacheHome, 'missing.kubeconfig')];
    const dir = join(cacheHome, 'opamp-lab', 'v8');
    // Caches of an earlier build: the one this Node made goes when the new one is written; another Node's stays.
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const earlierBuild = `k8s-client.cjs-1-1-${process.version}-${process.arch}.v8`;
    const otherNode = `k8s-client.cjs-1-1-v0.0.0-${process.arch}.v8`;
    for (const f of [earlierBuild, otherNode]) writeFileSync(join(dir, f), 'old');
    const first = await run(argv, { env });
    expect(first.code).toBe(2);
    expect(first.stderr).toMatch(/^opamp-lab verify: .*missing\.kubeconfig/m);
    // The run's own data folder goes with the process.
    expect(readdirSync(runTmp)).toEqual([]);
    if (codeCacheByNode) return; // Node's own cache does this job
    expect(readdirSync(dir)).toContain(otherNode);
    const files = readdirSync(dir).filter((f) => f !== otherNode);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^k8s-client\.cjs-\d+-\d+-v\d+\.\d+\.\d+-\w+\.v8$/);
    const cacheFile = join(dir, files[0]!);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(cacheFile).mode & 0o777).toBe(0o600);
    // A second run uses the cache and leaves it as it is.
    const written = statSync(cacheFile).mtimeMs;
    expect((await run(argv, { env })).stderr).toBe(first.stderr);
    expect(statSync(cacheFile).mtimeMs).toBe(written);
    // A damaged cache is refused by V8: the run is the same, and a good cache replaces it.
    writeFileSync(cacheFile, 'not a code cache');
    expect((await run(argv, { env })).stderr).toBe(first.stderr);
    expect(statSync(cacheFile).size).toBeGreaterThan(100_000);
    // Switched off: a plain require, nothing written.
    const offHome = mkdtempSync(join(tmpdir(), 'cli-code-cache-off-'));
    expect((await run(argv, { env: { ...env, XDG_CACHE_HOME: offHome, OPAMP_LAB_CODE_CACHE: 'off' } })).code).toBe(2);
    expect(existsSync(join(offHome, 'opamp-lab'))).toBe(false);
  });

  it('runs from the bundle built ahead of time: no TypeScript compiled at start-up', () => {
    expect(existsSync(join(root, 'dist/cli/opamp-lab.mjs')), 'run `npm run build` first').toBe(true);
    const shipped = [bin, ...readdirSync(join(root, 'dist/cli')).filter((f) => /\.[mc]js$/.test(f)).map((f) => join(root, 'dist/cli', f)), join(root, 'dist/electron/main.cjs')];
    for (const file of shipped.filter(existsSync)) {
      const text = readFileSync(file, 'utf8');
      // Module specifiers only (import … from "x", import("x"), require("x")): a .ts file or tsx there means compiling at run time.
      const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"']+)["']/g)].map((m) => m[1]!);
      expect(specifiers.filter((s) => /\.tsx?$|^tsx(\/|$)/.test(s)), file).toEqual([]);
    }
  });

  it('`opamp-lab sim` from the bundle serves the OpenAPI schemas `kubectl explain` reads', async () => {
    // The bundle's slim Kubernetes client has no models; the schemas load the models module itself.
    const dir = mkdtempSync(join(tmpdir(), 'cli-sim-explain-'));
    const kubeconfig = join(dir, 'kubeconfig');
    const child = spawn(process.execPath, [bin, 'sim', '--kubeconfig', kubeconfig], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      for (let i = 0; i < 600 && !out.includes('opamp-lab sim ready') && child.exitCode === null; i += 1) await new Promise((r) => setTimeout(r, 100));
      expect(out).toContain('opamp-lab sim ready');
      const r = await kubectl({ kubeconfig, cacheDir: tempCacheDir() }, ['explain', 'pod.spec.containers']);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^FIELD: +containers <\[\]Container>/m);
      expect(r.stdout).toMatch(/^ {2}args\t<\[\]string>/m);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
    }
  }, 90_000);

  it('answers --help and verify --help without the ES module loader, and refuses a bad option with exit 2', async () => {
    // A preloaded probe records which of Node's own modules the process loaded by the time it exits.
    const dir = mkdtempSync(join(tmpdir(), 'cli-help-'));
    const probe = join(dir, 'probe.cjs');
    writeFileSync(probe, `process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADED_LIST, process.moduleLoadList.join('\\n')));`);
    const loaded = join(dir, 'loaded.txt');
    const env = { ...process.env, NODE_OPTIONS: `--require ${probe}`, LOADED_LIST: loaded };
    const esmLoaderRan = (): boolean => readFileSync(loaded, 'utf8').includes('internal/modules/esm/module_job');
    const help = await run(['--help'], { env });
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: opamp-lab <command>/);
    expect(esmLoaderRan()).toBe(false);
    const verifyHelp = await run(['verify', '--help'], { env });
    expect(verifyHelp).toMatchObject({ code: 0, stderr: '' });
    expect(verifyHelp.stdout).toMatch(/^Usage: opamp-lab verify/);
    expect(esmLoaderRan()).toBe(false);
    // The probe does see the loader when a command is loaded (the same help text, from the command's own parser).
    const parsed = await run(['verify', '--help', '--help'], { env });
    expect(parsed).toMatchObject({ code: 0, stdout: verifyHelp.stdout, stderr: '' });
    expect(esmLoaderRan()).toBe(true);
    const none = await run([]);
    expect(none).toMatchObject({ code: 2, stdout: help.stdout });
    const piped = await run([process.execPath, bin, '--help', '|', 'head', '-1'], { shell: true });
    expect(piped).toMatchObject({ code: 0, stdout: 'Usage: opamp-lab <command> [options]\n', stderr: '' });
    const bad = await run(['verify', '--frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^opamp-lab verify: unknown option --frobnicate/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('opamp-lab verify on a running lab', () => {
  let sim: Sim;
  let kubeconfig: string;
  /** The code caches these commands write (k8s-client.cjs and, when a command uses the typed clients, k8s-api.cjs). */
  const cacheHome = mkdtempSync(join(tmpdir(), 'cli-process-cache-'));

  beforeAll(async () => {
    kubeconfig = join(mkdtempSync(join(tmpdir(), 'cli-process-')), 'kubeconfig');
    sim = await startSim({ kubeconfigPath: kubeconfig });
  }, 90_000);

  afterAll(async () => {
    await sim?.close();
  });

  it('with no overlay sent yet: prints the six verdicts after one look and exits 1, without waiting out --timeout', async () => {
    const r = await run(['verify', '--kubeconfig', kubeconfig, '--timeout', '60'], { timeoutMs: 90_000, env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout.match(/^ {2}[✔✘…] /gm)).toHaveLength(6);
    expect(r.stdout).toMatch(/… Changes visible in effective.yaml \[pending\]\n\s+→ No overlay sent yet\./);
    // One look is a probe pass and a server read, seconds even on a loaded machine; the old wait for every
    // criterion to leave "pending" ran into the timeout (60 s here).
    expect(r.lastOutputMs).toBeLessThan(30_000);
    expect(r.exitMs - r.lastOutputMs, 'still alive after printing').toBeLessThan(1000);
    // One look reads with plain GETs: the typed API clients and their model classes (the client's second
    // part, k8s-api.cjs) were never loaded, so only the first part has a code cache.
    if (!codeCacheByNode) expect(readdirSync(join(cacheHome, 'opamp-lab', 'v8'))).toEqual([expect.stringMatching(/^k8s-client\.cjs-/)]);
  }, 120_000);

  it('`verify --watch | head -1` ends quietly when head goes away (EPIPE), and the overlay turns all six green', async () => {
    const watch = run([process.execPath, bin, 'verify', '--watch', '--json', '--kubeconfig', kubeconfig, '|', 'head', '-c', '1'], { shell: true, timeoutMs: 90_000 });
    // A change the watch must print (and so write into the closed pipe): the overlay arriving.
    const pushed = await run(['push-overlay', overlay, '--kubeconfig', kubeconfig], { timeoutMs: 90_000, env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
    // push-overlay watches with informers and typed lists: the API part loaded on first use, through its stand-ins.
    if (!codeCacheByNode) expect(readdirSync(join(cacheHome, 'opamp-lab', 'v8')).sort()).toEqual([expect.stringMatching(/^k8s-api\.cjs-/), expect.stringMatching(/^k8s-client\.cjs-/)]);
    // push-overlay runs for seconds, long enough for V8 to start optimizing compiles on its worker threads,
    // and the process's exit waits for one in flight (0.2–1 s on this loaded machine; perf shows TurboFan's
    // register allocator). Nothing of ours is left running then; this bound catches a held event loop.
    expect(pushed.exitMs - pushed.lastOutputMs, 'push-overlay still alive after printing').toBeLessThan(2500);
    // The round trip, one line per step, each passed: saved … written, restarted, APPLIED. The restart shows
    // "PID old → new" only when the command saw the collector before the overlay (a fresh look may not).
    for (const step of [/^ {2}✓ \+ *[\d.]+ s {2}saved\b/m, /^ {2}✓ \+ *[\d.]+ s {2}effective\.yaml written/m, /^ {2}✓ \+ *[\d.]+ s {2}collector restarted {2}\(PID (?:\d+ → )?\d+\)/m, /^ {2}✓ \+ *[\d.]+ s {2}APPLIED \/ FAILED {2}\(APPLIED\)/m]) {
      expect(pushed.stdout).toMatch(step);
    }
    const w = await watch;
    expect(w.stdout).toBe('{');
    expect(w.stderr).toBe('');
    expect(w.code).toBe(0);

    const r = await run(['verify', '--kubeconfig', kubeconfig]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^ {2}✔ /gm)).toHaveLength(6);
    expect(r.exitMs - r.lastOutputMs, 'still alive after printing').toBeLessThan(1000);

    // The seventh check: one test span through a forward to the agent's 4318, found in agent.log with the overlay's attribute.
    const t = await run(['verify', '--telemetry', '--kubeconfig', kubeconfig], { timeoutMs: 90_000 });
    expect(t.stderr).toBe('');
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^ {2}✔ The overlay acts on data \(test span\) \[pass\]/m);
    expect(t.stdout).toContain('opamp.ui_test');
  }, 180_000);

  it('`restart` rolls the agent out through the typed API clients the bundle loads on first use, and six stay green', async () => {
    const r = await run(['restart', '--kubeconfig', kubeconfig], { timeoutMs: 90_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^deployment\.apps\/opamp-agent restarted$/m);
    expect(r.stdout).toMatch(/^deployment "opamp-agent" successfully rolled out$/m);
    // The new pod gets the overlay from the server again; one look once it has.
    const deadline = Date.now() + 60_000;
    let v = await run(['verify', '--kubeconfig', kubeconfig]);
    while (v.code !== 0 && Date.now() < deadline) v = await run(['verify', '--kubeconfig', kubeconfig]);
    expect(v.stdout.match(/^ {2}✔ /gm)).toHaveLength(6);
  }, 120_000);
});

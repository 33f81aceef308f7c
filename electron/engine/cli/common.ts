// Shared plumbing of the engine's CLI commands: flags, connecting, waiting.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Target } from '../../../shared/state';
import type { EngineService } from '../index';

export interface CommonFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  json: boolean;
  watch: boolean;
  embedded: boolean;
  timeoutS?: number;
  help: boolean;
  positional: string[];
  extra: Record<string, string>;
}

/** Command-specific switches without a value (push-overlay --force, verify --telemetry): extra[name] = 'true'. */
const SWITCHES = new Set(['--force', '--telemetry']);
const WITH_VALUE = new Set(['--kubeconfig', '--context', '-n', '--namespace', '--timeout', '--pod', '--deployment', '--replicas']);

export function parseFlags(argv: string[]): CommonFlags {
  const f: CommonFlags = { json: false, watch: false, embedded: false, help: false, positional: [], extra: {} };
  for (let i = 0; i < argv.length; i += 1) {
    const raw = argv[i] ?? '';
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    let value: string | undefined = eq > 0 ? raw.slice(eq + 1) : undefined;
    if (WITH_VALUE.has(flag) && value === undefined) {
      value = argv[i + 1];
      i += 1;
      if (value === undefined) throw new Error(`${flag} needs a value`);
    }
    switch (flag) {
      case '--kubeconfig': f.kubeconfig = value; break;
      case '--context': f.context = value; break;
      case '-n': case '--namespace': f.namespace = value; break;
      case '--json': f.json = true; break;
      case '--watch': case '-w': f.watch = true; break;
      case '--embedded': f.embedded = true; break;
      case '-h': case '--help': f.help = true; break;
      case '--timeout': {
        const s = Number(String(value).replace(/s$/, ''));
        if (!Number.isFinite(s) || s <= 0) throw new Error(`--timeout must be a number of seconds, got "${value}"`);
        f.timeoutS = s;
        break;
      }
      default:
        if (WITH_VALUE.has(flag) && value !== undefined) f.extra[flag.replace(/^--/, '')] = value;
        else if (SWITCHES.has(flag)) f.extra[flag.replace(/^--/, '')] = 'true';
        else if (flag.startsWith('-') && flag !== '-') throw new Error(`unknown option ${flag}`);
        else f.positional.push(raw);
    }
  }
  return f;
}

export function targetOf(f: CommonFlags): Target {
  if (f.embedded) return { kind: 'embedded' };
  return { kind: 'kubeconfig', ...(f.kubeconfig ? { kubeconfigPath: f.kubeconfig } : {}), ...(f.context ? { context: f.context } : {}), ...(f.namespace ? { namespace: f.namespace } : { namespace: 'opamp' }) };
}

export async function connectService(f: CommonFlags, log: (s: string) => void, oneLook = false): Promise<EngineService> {
  const replicas = f.extra.replicas === undefined ? undefined : Number(f.extra.replicas);
  // Loaded here, not at the top: the engine pulls in the Kubernetes client, WebSockets and the
  // embedded lab, which `--help` and a usage error must not pay for.
  const { createEngineService } = await import('../index');
  // A folder of this run's own (the embedded lab's kubeconfig, Lab mode's file), gone when the process ends.
  const dataDir = mkdtempSync(join(tmpdir(), 'opamp-lab-cli-'));
  process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  const service = createEngineService({
    shell: 'web',
    version: process.env.npm_package_version ?? '0.1.0',
    dataDir,
    log,
    ...(replicas !== undefined ? { sim: { replicas } } : {}),
    // A watch prints a change within one probe interval (0.25 s): the server's view is read as often.
    ...(f.watch ? { serverEveryMs: 250 } : {}),
    ...(oneLook ? { oneLook } : {}),
  });
  const result = await service.call('connect', { target: targetOf(f) });
  if (!result.ok) {
    await service.close();
    throw Object.assign(new Error(result.error.message), { kind: result.error.kind, detail: result.error.detail });
  }
  return service;
}

/** Resolves when `test` holds on the current state (checked on every change) or rejects after `ms`. */
export function waitForState(service: EngineService, test: () => boolean, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (test()) {
      resolve(true);
      return;
    }
    const timer = setTimeout(() => done(false), ms);
    const unsubscribe = service.subscribe(() => {
      if (test()) done(true);
    });
    function done(ok: boolean): void {
      clearTimeout(timer);
      unsubscribe();
      resolve(ok);
    }
  });
}

export function errorText(err: unknown): string {
  const e = err as { message?: string; kind?: string; detail?: string };
  return `${e.kind ? `[${e.kind}] ` : ''}${e.message ?? String(err)}`;
}

export interface CliCommand {
  name: string;
  usage: string;
  /** Checks that need no cluster (files, arguments); a number stops with that exit code. */
  prepare?(flags: CommonFlags): Promise<number | undefined>;
  /** The command takes one look and ends (the engine then starts only what that look needs). */
  oneLook?(flags: CommonFlags): boolean;
  run(service: EngineService, flags: CommonFlags): Promise<number>;
}

/** The shared frame of verify, push-overlay and restart: flags, --help, connect, run, close. Exit 2 on bad usage or no connection. */
export async function runCliCommand(cmd: CliCommand, argv: string[]): Promise<number> {
  let flags: CommonFlags;
  try {
    flags = parseFlags(argv);
  } catch (err) {
    console.error(`opamp-lab ${cmd.name}: ${(err as Error).message}\n\n${cmd.usage}`);
    return 2;
  }
  if (flags.help) {
    console.log(cmd.usage);
    return 0;
  }
  const stop = await cmd.prepare?.(flags);
  if (stop !== undefined) return stop;
  let service: EngineService;
  try {
    service = await connectService(flags, () => undefined, cmd.oneLook?.(flags) ?? false);
  } catch (err) {
    console.error(`opamp-lab ${cmd.name}: ${errorText(err)}`);
    return 2;
  }
  try {
    return await cmd.run(service, flags);
  } finally {
    if (!commandEndsProcess.value) await service.close();
  }
}

/**
 * Set by the process entry (electron/cli.ts `main`), which ends the process as soon as a command returns.
 * The engine's orderly close (watches, port-forwards, probes, the embedded lab) then only delays the exit
 * by a second or more after the output is printed; ending the process closes every socket anyway.
 * In-process callers (tests) leave it false and get the orderly close.
 */
export const commandEndsProcess = { value: false };

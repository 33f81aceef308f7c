// The agent image's otelcol-contrib 0.136, as the supervisor's child: it loads effective.yaml with the
// project's one collector-config validator (shared/collectorConfig) and, like the real binary, either
// refuses it (the error on stderr, which the supervisor sends to /storage/agent.log, exit code 1) or
// runs it. Its stdout/stderr go to agent.log; its own logs are JSON (the supervisor's telemetry config).
import { validateCollectorConfig, type ConfigVerdict } from '../../../shared/collectorConfig/index';
import type { Vfs } from './vfs';

export interface CollectorHost {
  fs: Vfs;
  /** The file the supervisor redirects the collector's stdout and stderr to. */
  logPath: string;
  pid: number;
  /** Called once when the process ends on its own (not when stopped). */
  onExit: (code: number) => void;
}

function goLogTime(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

export class CollectorEmulator {
  readonly verdict: ConfigVerdict;
  private stopped = false;
  private exitTimer?: ReturnType<typeof setTimeout>;

  constructor(private readonly h: CollectorHost, configText: string) {
    this.verdict = validateCollectorConfig(configText);
  }

  get healthy(): boolean {
    return this.verdict.ok && !this.stopped;
  }

  /** The last error the process printed, when it refused its config. */
  get lastError(): string | undefined {
    return this.verdict.ok ? undefined : this.verdict.startupError;
  }

  log(fields: Record<string, unknown>): void {
    this.write(`${JSON.stringify({ level: 'info', ts: Date.now() / 1000, ...fields })}\n`);
  }

  write(text: string): void {
    if (this.h.fs.get(this.h.logPath.replace(/\/[^/]*$/, '') || '/')?.kind !== 'dir') return;
    this.h.fs.write(this.h.logPath, text, true);
  }

  start(): void {
    const v = this.verdict;
    // Decode and validation errors come before the logger exists; pipeline build errors after it.
    if (v.ok || v.stage === 'build') this.log({ caller: 'service@v0.136.0/service.go:190', msg: 'Setting up own telemetry...' });
    if (!v.ok) {
      const err = v.startupError ?? v.issues[0]?.message ?? 'invalid configuration';
      this.exitTimer = setTimeout(() => {
        if (this.stopped) return;
        this.write(`Error: ${err}\n${goLogTime()} collector server run finished with error: ${err}\n`);
        this.stopped = true;
        this.h.onExit(1);
      }, 50);
      return;
    }
    this.log({ caller: 'service@v0.136.0/service.go:311', msg: 'Everything is ready. Begin running and processing data.' });
  }

  stop(): void {
    if (this.exitTimer) clearTimeout(this.exitTimer);
    if (!this.stopped && this.verdict.ok) this.log({ caller: 'service@v0.136.0/service.go:341', msg: 'Shutdown complete.' });
    this.stopped = true;
  }
}

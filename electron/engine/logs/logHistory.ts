// The log lines the engine has sent to the UI, kept per deployment in a bounded
// ring, so a page that attaches late or reloads sees them from the container's
// start (and across restarts), not just what arrives after it subscribed.
import type { LogLine } from '../../../shared/api';

export const LOG_HISTORY_LINES = 20_000;

export class LogHistory {
  private readonly byDeployment = new Map<string, LogLine[]>();

  constructor(private readonly capacity = LOG_HISTORY_LINES) {}

  add(deployment: string, lines: readonly LogLine[]): void {
    let ring = this.byDeployment.get(deployment);
    if (!ring) this.byDeployment.set(deployment, (ring = []));
    ring.push(...lines);
    // Trim in chunks, not per line: a flood of 10k lines/s must stay cheap.
    if (ring.length > this.capacity + this.capacity / 10) ring.splice(0, ring.length - this.capacity);
  }

  /** All kept lines, every deployment, in the order they were sent (seq). */
  all(): LogLine[] {
    const out: LogLine[] = [];
    for (const ring of this.byDeployment.values()) out.push(...ring.slice(-this.capacity));
    return this.byDeployment.size > 1 ? out.sort((a, b) => a.seq - b.seq) : out;
  }

  clear(): void {
    this.byDeployment.clear();
  }
}

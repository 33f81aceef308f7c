// Pure helpers of the log follower: kubelet timestamps, resume de-duplication,
// zap JSON levels and the "expected" marking of a lone connection reset.
import type { LogLine } from '../../../shared/api';

/** A sortable key for an RFC 3339 timestamp with up to 9 fraction digits. */
export function timestampKey(ts: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(ts);
  if (!m) return undefined;
  const base = m[3] === 'Z' ? m[1] : new Date(`${m[1]}${m[3]}`).toISOString().slice(0, 19);
  return `${base}.${(m[2] ?? '').padEnd(9, '0')}`;
}

export function splitTimestamp(line: string): { ts?: string; key?: string; at: number; text: string } {
  const space = line.indexOf(' ');
  const ts = space > 0 ? line.slice(0, space) : undefined;
  const key = ts ? timestampKey(ts) : undefined;
  if (!ts || !key) return { at: Date.now(), text: line };
  return { ts, key, at: Date.parse(ts), text: line.slice(space + 1) };
}

/** Remembers the last timestamp and the lines seen at it, so a resumed stream skips what was delivered. */
export class ResumePoint {
  private key: string | undefined;
  private ts: string | undefined;
  private atKey = new Set<string>();

  /** true when the line is new (and records it). */
  accept(key: string | undefined, ts: string | undefined, text: string): boolean {
    if (key === undefined) return true;
    if (this.key !== undefined && key < this.key) return false;
    if (key === this.key) {
      if (this.atKey.has(text)) return false;
      this.atKey.add(text);
      return true;
    }
    this.key = key;
    this.ts = ts;
    this.atKey = new Set([text]);
    return true;
  }

  /** Like accept() without recording: would this line be new? */
  isNew(key: string | undefined, text: string): boolean {
    if (key === undefined || this.key === undefined) return true;
    return key > this.key || (key === this.key && !this.atKey.has(text));
  }

  /** For sinceTime (whole seconds: the server resends that second; accept() drops the repeats). */
  sinceTime(): string | undefined {
    if (!this.ts) return undefined;
    return new Date(Math.floor(Date.parse(this.ts) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  }
}

export function levelOf(text: string): LogLine['level'] | undefined {
  if (text.startsWith('{')) {
    const m = /"level":"(\w+)"/.exec(text);
    const l = m?.[1]?.toLowerCase();
    if (l === 'debug' || l === 'info' || l === 'error') return l;
    if (l === 'warn' || l === 'warning') return 'warn';
    if (l === 'fatal' || l === 'panic' || l === 'dpanic') return 'error';
    return undefined;
  }
  const m = /\b(debug|info|warn|warning|error)\b/i.exec(text.slice(0, 60));
  const l = m?.[1]?.toLowerCase();
  return l === 'warning' ? 'warn' : (l as LogLine['level']);
}

/** A single "connection reset by peer" during a reload is normal; repeats within a minute are not. */
export class ResetTracker {
  private recent: number[] = [];
  isExpected(text: string, at: number): boolean | undefined {
    if (!/connection reset by peer/i.test(text)) return undefined;
    this.recent = this.recent.filter((t) => at - t < 60_000);
    this.recent.push(at);
    return this.recent.length === 1;
  }
}

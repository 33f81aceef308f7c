// A tiny controller work queue: keys are deduplicated, processed one at a time
// on a later tick, and requeued after a delay when a sync throws.
import { describeError } from '../../../shared/errorText';

export class WorkQueue {
  private readonly pending = new Set<string>();
  private scheduled = false;
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly sync: (key: string) => void, private readonly retryMs = 50) {}

  add(key: string): void {
    if (this.stopped) return;
    this.pending.add(key);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  addAfter(key: string, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.add(key);
    }, delayMs);
    this.timers.add(timer);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.pending.clear();
  }

  private drain(): void {
    this.scheduled = false;
    const keys = [...this.pending];
    this.pending.clear();
    for (const key of keys) {
      if (this.stopped) return;
      try {
        this.sync(key);
      } catch (err) {
        const reason = (err as { reason?: string }).reason;
        if (reason !== 'Conflict' && reason !== 'NotFound' && reason !== 'AlreadyExists') console.error(`controller sync ${key} failed: ${describeError(err)}`);
        this.addAfter(key, this.retryMs);
      }
    }
  }
}

export function nsName(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? ''}/${name ?? ''}`;
}

export function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

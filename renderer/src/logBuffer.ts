// A bounded ring of log lines kept outside React: the log pane reads it
// imperatively, so 10k lines/s never cause a React render.
import type { LogLine } from '../../shared/api';

export class LogBuffer {
  private lines: LogLine[] = [];
  private readonly seen = new Map<string, number>();
  private readonly listeners = new Set<(lines: LogLine[]) => void>();
  private readonly resetListeners = new Set<() => void>();
  dropped = 0;

  constructor(readonly capacity: number) {}

  push(batch: LogLine[]): void {
    const fresh: LogLine[] = [];
    for (const line of batch) {
      // seq is monotonic per follower (pod + container + source); drop repeats after a reconnect.
      const key = `${line.pod}/${line.container}/${line.source}`;
      const last = this.seen.get(key);
      if (last !== undefined && line.seq <= last && !line.marker) continue;
      this.seen.set(key, line.seq);
      fresh.push(line);
    }
    if (fresh.length === 0) return;
    this.lines.push(...fresh);
    if (this.lines.length > this.capacity) {
      const excess = this.lines.length - this.capacity;
      this.lines.splice(0, excess);
      this.dropped += excess;
    }
    if (this.seen.size > 1000) this.seen.clear();
    for (const listener of this.listeners) listener(fresh);
  }

  /**
   * Lines the engine kept from before this page subscribed (or while its link was
   * down): merged in seq order with what arrived meanwhile, each line once.
   */
  merge(history: readonly LogLine[]): void {
    if (history.length === 0) return;
    const have = new Set(this.lines.map((l) => l.seq));
    const missing = history.filter((l) => !have.has(l.seq));
    if (missing.length === 0) return;
    this.lines = [...this.lines, ...missing].sort((a, b) => a.seq - b.seq).slice(-this.capacity);
    for (const l of this.lines) {
      const key = `${l.pod}/${l.container}/${l.source}`;
      if ((this.seen.get(key) ?? -1) < l.seq) this.seen.set(key, l.seq);
    }
    for (const listener of this.resetListeners) listener();
  }

  /** Called when the kept lines were replaced rather than appended to (a history merge). */
  onReset(listener: () => void): () => void {
    this.resetListeners.add(listener);
    return () => this.resetListeners.delete(listener);
  }

  all(): readonly LogLine[] {
    return this.lines;
  }

  get size(): number {
    return this.lines.length;
  }

  onLines(listener: (lines: LogLine[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

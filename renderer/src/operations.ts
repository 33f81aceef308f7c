// Long operations (connect, rollout, fault, reset, send, apply…) as one list the
// toasts and the status drawer read: each has a start, an end and a result in
// full. Kept outside React, like the log buffer, so any component can run one.
import { useSyncExternalStore } from 'react';

export interface Operation {
  id: number;
  title: string;
  status: 'running' | 'done' | 'failed';
  startedAt: number;
  endedAt?: number;
  /** The whole result or error text; never shortened here. */
  result?: string;
}

const MAX_KEPT = 50;

class Operations {
  private list: readonly Operation[] = [];
  private nextId = 1;
  private readonly listeners = new Set<() => void>();

  get all(): readonly Operation[] {
    return this.list;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(next: readonly Operation[]): void {
    this.list = next.slice(-MAX_KEPT);
    for (const l of this.listeners) l();
  }

  private finish(id: number, status: Operation['status'], result: string | undefined): void {
    this.set(this.list.map((o) => (o.id === id ? { ...o, status, endedAt: Date.now(), ...(result ? { result } : {}) } : o)));
  }

  /** Runs `fn` as a named operation; the caller still gets its value or its error. */
  async run<T>(title: string, fn: () => Promise<T>, describe?: (value: T) => string | undefined): Promise<T> {
    const id = this.nextId++;
    this.set([...this.list, { id, title, status: 'running', startedAt: Date.now() }]);
    try {
      const value = await fn();
      this.finish(id, 'done', describe?.(value));
      return value;
    } catch (err) {
      this.finish(id, 'failed', err instanceof Error ? err.message : String(err));
      throw err;
    }
  }
}

export const operations = new Operations();

/** Runs a long operation with a toast for its start and end; resolves undefined when it failed (the toast says why). */
export async function runOperation<T>(title: string, fn: () => Promise<T>, describe?: (value: T) => string | undefined): Promise<T | undefined> {
  try {
    return await operations.run(title, fn, describe);
  } catch {
    return undefined;
  }
}

export function useOperations(): readonly Operation[] {
  return useSyncExternalStore(operations.subscribe, () => operations.all);
}

// The one renderer store. It is fed only by the LabEvent stream: a full state,
// then top-level patches numbered by seq. A gap in seq means we missed a patch,
// so we ask for a fresh snapshot rather than guess. Logs bypass React state and
// go to the bounded LogBuffer.
import { useSyncExternalStore } from 'react';
import type { LabApi, LabEvent } from '../../shared/api';
import { emptyLabState, type LabState } from '../../shared/state';
import { LogBuffer } from './logBuffer';

type Listener = () => void;

export class LabStore {
  private state: LabState = emptyLabState();
  private seq = -1;
  private resyncing = false;
  private readonly listeners = new Set<Listener>();
  readonly logs = new LogBuffer(20_000);
  readonly terminalListeners = new Set<(event: Extract<LabEvent, { type: 'terminal-output' | 'terminal-exit' }>) => void>();

  constructor(private readonly api?: Pick<LabApi, 'getSnapshot'>) {}

  getState = (): LabState => this.state;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Public ingestion point: the bridge subscription and the benchmark both call this. */
  ingest = (event: LabEvent): void => {
    switch (event.type) {
      case 'state':
        this.seq = event.seq;
        this.replace(event.state);
        return;
      case 'patch':
        if (this.seq >= 0 && event.seq !== this.seq + 1) {
          if (event.seq <= this.seq) return; // stale or duplicate
          void this.resync();
          return;
        }
        this.seq = event.seq;
        this.replace({ ...this.state, ...event.patch });
        return;
      case 'logs':
        this.logs.push(event.lines);
        return;
      case 'terminal-output':
      case 'terminal-exit':
        for (const listener of this.terminalListeners) listener(event);
        return;
    }
  };

  async resync(): Promise<void> {
    if (!this.api || this.resyncing) return;
    this.resyncing = true;
    try {
      const snapshot = await this.api.getSnapshot({});
      this.seq = snapshot.seq;
      this.replace(snapshot.state);
    } catch {
      // The bridge reconnects and a new 'state' event will follow.
    } finally {
      this.resyncing = false;
    }
  }

  private replace(next: LabState): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}

let current: LabStore | undefined;

export function setStore(store: LabStore): void {
  current = store;
}

export function getStore(): LabStore {
  current ??= new LabStore();
  return current;
}

/** Read a slice of LabState; the selector must return a stable reference (a part of the state). */
export function useLab<T>(selector: (state: LabState) => T): T {
  const store = getStore();
  return useSyncExternalStore(store.subscribe, () => selector(store.getState()));
}

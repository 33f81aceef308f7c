// Holds the LabState and numbers every change, so a UI that missed an event can
// tell (a gap in seq) and ask for a snapshot.
import type { LabEvent } from '../../shared/api';
import { emptyLabState, type LabState } from '../../shared/state';

type Listener = (event: LabEvent) => void;

export class StateStore {
  private state: LabState = emptyLabState();
  private seq = 0;
  private readonly listeners = new Set<Listener>();

  get current(): Readonly<LabState> {
    return this.state;
  }

  snapshot(): { seq: number; state: LabState } {
    return { seq: this.seq, state: this.state };
  }

  /** Replaces the given top-level keys; listeners get one patch event. */
  update(patch: Partial<LabState>): void {
    this.state = { ...this.state, ...patch };
    this.seq += 1;
    this.emit({ type: 'patch', seq: this.seq, patch });
  }

  reset(state: LabState = emptyLabState()): void {
    this.state = state;
    this.seq += 1;
    this.emit({ type: 'state', seq: this.seq, state });
  }

  /** For events that are not state (logs, terminal output). */
  emit(event: LabEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A failing subscriber (a closed window or socket) must not stop the others.
      }
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

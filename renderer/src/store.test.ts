import { describe, expect, it } from 'vitest';
import type { LogLine, Snapshot } from '../../shared/api';
import { emptyLabState } from '../../shared/state';
import { LabStore } from './store';
import { readableText } from './logTerminal';

const line = (seq: number, extra: Partial<LogLine> = {}): LogLine => ({ seq, pod: 'p', container: 'c', source: 'pod-log', at: 0, text: `l${seq}`, ...extra });

describe('LabStore', () => {
  it('applies a state and consecutive patches, and notifies subscribers', () => {
    const store = new LabStore();
    let calls = 0;
    store.subscribe(() => calls++);
    store.ingest({ type: 'state', seq: 1, state: emptyLabState() });
    store.ingest({ type: 'patch', seq: 2, patch: { overlay: { status: 'sending' } } });
    expect(store.getState().overlay.status).toBe('sending');
    expect(store.getState().rollout.status).toBe('idle');
    expect(calls).toBe(2);
  });

  it('asks for a snapshot on a seq gap instead of applying the patch, and ignores stale patches', async () => {
    const fresh = { ...emptyLabState(), overlay: { status: 'applied' as const } };
    let asked = 0;
    const store = new LabStore({ getSnapshot: async (): Promise<Snapshot> => (asked++, { seq: 9, state: fresh }) });
    store.ingest({ type: 'state', seq: 1, state: emptyLabState() });
    store.ingest({ type: 'patch', seq: 5, patch: { overlay: { status: 'failed' } } });
    expect(store.getState().overlay.status).toBe('idle');
    await new Promise((r) => setTimeout(r, 0));
    expect(asked).toBe(1);
    expect(store.getState().overlay.status).toBe('applied');
    store.ingest({ type: 'patch', seq: 9, patch: { overlay: { status: 'failed' } } });
    expect(store.getState().overlay.status).toBe('applied');
    store.ingest({ type: 'patch', seq: 10, patch: { overlay: { status: 'failed' } } });
    expect(store.getState().overlay.status).toBe('failed');
  });

  it('keeps logs in a bounded buffer outside the state and drops repeated seqs', () => {
    const store = new LabStore();
    const before = store.getState();
    store.ingest({ type: 'logs', lines: [line(1), line(2)] });
    store.ingest({ type: 'logs', lines: [line(2), line(3), line(3, { marker: { kind: 'new-pod', detail: 'p2' } })] });
    expect(store.logs.all().map((l) => l.seq)).toEqual([1, 2, 3, 3]);
    expect(store.getState()).toBe(before);
    for (let i = 4; i < 25_000; i++) store.logs.push([line(i)]);
    expect(store.logs.size).toBe(20_000);
  });
});

describe('readableText', () => {
  it('turns a JSON supervisor line into message and fields', () => {
    expect(readableText('{"level":"info","ts":1.5,"msg":"Connected to the server.","component":"opamp"}')).toEqual({
      text: 'Connected to the server.  component=opamp',
      level: 'info',
    });
    expect(readableText('plain {not json')).toEqual({ text: 'plain {not json' });
  });
});

describe('LogBuffer history merge', () => {
  it('puts history lines before the live ones, in seq order, each once, and later duplicates are dropped', () => {
    const store = new LabStore();
    let resets = 0;
    store.logs.onReset(() => resets++);
    store.ingest({ type: 'logs', lines: [line(5), line(6)] });
    store.logs.merge([line(1), line(2), line(5)]);
    expect(store.logs.all().map((l) => l.seq)).toEqual([1, 2, 5, 6]);
    expect(resets).toBe(1);
    store.ingest({ type: 'logs', lines: [line(6), line(7)] });
    expect(store.logs.all().map((l) => l.seq)).toEqual([1, 2, 5, 6, 7]);
    store.logs.merge([line(1)]);
    expect(resets).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import type { PodObservations } from './observations';
import { advanceTimeline, formatTimeline } from './overlayTimeline';
import type { ProcessInfo } from './state';

const T0 = 1_700_000_000_000;
const sup: ProcessInfo = { pid: 1, ppid: 0, comm: 'opampsupervisor', argv: ['/opampsupervisor'] };
const col = (pid: number, startedAt: number): ProcessInfo => ({ pid, ppid: 1, comm: 'otelcol-contrib', argv: ['/otelcol-contrib'], startedAt });

function obs(): PodObservations {
  return {
    pod: 'p', containerRunning: true, containerStartedAt: T0,
    processes: { at: T0, list: [sup, col(2, T0 - 5000)] },
    effective: { at: T0, exists: true, sha256: 'old', mtime: T0 - 5000 },
    server: { instanceUid: 'u', connected: true, at: T0, source: 's', remoteConfig: { status: 'UNSET' } },
  };
}

describe('overlay round-trip timeline', () => {
  it('fills the steps in order from the observations and prints them relative to the save', () => {
    const o = obs();
    o.overlay = { text: 'x', keyPaths: [], sentAt: T0 + 1000, hash: 'ABC' };
    let t = advanceTimeline(undefined, o, T0 + 1000)!;
    expect(t.steps.map((s) => s.status)).toEqual(['done', 'waiting', 'waiting', 'waiting', 'waiting', 'waiting', 'waiting']);
    o.server = { ...o.server!, at: T0 + 1100, remoteConfig: { status: 'APPLYING', sentHash: 'abc', lastHash: 'abc' } };
    o.effective = { at: T0 + 1300, exists: true, sha256: 'new', mtime: T0 + 1200 };
    o.processes = { at: T0 + 1300, list: [sup, col(7, T0 + 1250)] };
    t = advanceTimeline(t, o, T0 + 1300)!;
    o.server = { ...o.server, at: T0 + 6300, remoteConfig: { status: 'APPLIED', sentHash: 'abc', lastHash: 'abc' } };
    t = advanceTimeline(t, o, T0 + 6300, { at: T0 + 7000, ok: true, detail: 'opamp.ui_test: Str(hello-from-ui)' })!;
    expect(t.steps.map((s) => [s.id, s.status])).toEqual([['saved', 'done'], ['sent', 'done'], ['received', 'done'], ['written', 'done'], ['restarted', 'done'], ['verdict', 'done'], ['span', 'done']]);
    expect(t.steps.find((s) => s.id === 'restarted')?.detail).toBe('PID 2 → 7');
    const lines = formatTimeline(t);
    expect(lines[0]).toBe('✓ +  0.0 s  saved');
    expect(lines[4]).toBe('✓ +  0.3 s  collector restarted  (PID 2 → 7)');
    expect(lines[5]).toBe('✓ +  5.3 s  APPLIED / FAILED  (APPLIED)');
  });

  it('a YAML error: FAILED at once, nothing written, no restart; a new hash starts over', () => {
    const o = obs();
    o.overlay = { text: 'x', keyPaths: [], sentAt: T0 + 1000, hash: 'bad' };
    o.server = { ...o.server!, at: T0 + 1100, remoteConfig: { status: 'FAILED', sentHash: 'bad', lastHash: 'bad', errorMessage: 'yaml: line 3: found character that cannot start any token' } };
    const t = advanceTimeline(undefined, o, T0 + 1100)!;
    expect(t.steps.map((s) => s.status)).toEqual(['done', 'done', 'done', 'skipped', 'skipped', 'failed', 'skipped']);
    o.overlay = { text: 'y', keyPaths: [], sentAt: T0 + 2000, hash: 'good' };
    expect(advanceTimeline(t, o, T0 + 2000)!.steps.map((s) => s.status)).toEqual(['done', 'waiting', 'waiting', 'waiting', 'waiting', 'waiting', 'waiting']);
  });

  it("a crash-looping collector the probe never catches: the supervisor's start line says it restarted", () => {
    const o = obs();
    o.overlay = { text: 'x', keyPaths: [], sentAt: T0 + 1000, hash: 'typo' };
    o.processes = { at: T0 + 1500, list: [sup] };
    o.collectorStarted = { at: T0 + 1200, pid: 9 };
    const t = advanceTimeline(undefined, o, T0 + 1500)!;
    expect(t.steps.find((s) => s.id === 'restarted')).toMatchObject({ status: 'done', at: T0 + 1200, detail: 'PID 9' });
  });
});

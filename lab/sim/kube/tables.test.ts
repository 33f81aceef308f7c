import { describe, expect, it } from 'vitest';
import { humanDuration } from './humanDuration';
import { toTable } from './tables';
import { podTemplateHash } from './templateHash';

describe('server-side printing', () => {
  it('prints ages like kubectl', () => {
    expect([5_000, 119_000, 125_000, 600_000, 3 * 3600_000 + 60_000, 50 * 3600_000].map(humanDuration)).toEqual(['5s', '119s', '2m5s', '10m', '3h1m', '2d2h']);
  });

  it('derives pod STATUS and RESTARTS as kubectl shows them', () => {
    const pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', creationTimestamp: new Date().toISOString() },
      spec: { containers: [{ name: 'agent' }] },
      status: { phase: 'Running', containerStatuses: [{ name: 'agent', ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: new Date(Date.now() - 7000).toISOString() } } }] },
    };
    const table = toTable('pods', [pod], '9', null) as { rows: { cells: unknown[] }[] };
    expect(table.rows[0]?.cells.slice(0, 4)).toEqual(['p', '0/1', 'CrashLoopBackOff', '2 (7s ago)']);
  });

  it('hashes pod templates stably into the safe alphabet', () => {
    const a = podTemplateHash({ spec: { containers: [{ name: 'a', image: 'x' }] } });
    expect(a).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(podTemplateHash({ spec: { containers: [{ image: 'x', name: 'a' }] } })).toBe(a);
    expect(podTemplateHash({ spec: { containers: [{ name: 'a', image: 'y' }] } })).not.toBe(a);
  });
});

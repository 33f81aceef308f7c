import { describe, expect, it } from 'vitest';
import { allPass, evaluateCriteria, GRACE_MS } from './criteria';
import type { PodObservations } from './observations';
import { overlayKeyPaths } from './overlay';
import type { CriterionId, ProcessInfo } from './state';
import { parse, stringify } from 'yaml';
import { labBaseConfig } from './collectorConfig/labBase';
import { mergeConfig } from './collectorConfig/merge';
import { BROKEN_OVERLAYS, GOOD_OVERLAY } from './collectorConfig/overlayCases';
import { validateOverlay } from './overlay';

const T0 = 1_700_000_000_000;
const sup: ProcessInfo = { pid: 1, ppid: 0, comm: 'opampsupervisor', argv: ['/opampsupervisor', '--config=/supervisor.yaml'] };
const col: ProcessInfo = { pid: 14, ppid: 1, comm: 'otelcol-contrib', argv: ['/otelcol-contrib', '--config=/storage/effective.yaml', '--config=/collector.yaml'] };
const overlayText = 'processors:\n  attributes/test_opamp:\n    actions: []\nservice:\n  pipelines:\n    traces:\n      processors: [attributes/test_opamp]\n';
/** effective.yaml as the supervisor writes it: the lab's base with the overlay merged last. */
const effectiveWith = (overlay: string): string => stringify(mergeConfig(labBaseConfig(), (parse(overlay) ?? {}) as Record<string, unknown>), { indent: 4 });
const effWith = effectiveWith(overlayText);

function healthy(): PodObservations {
  return {
    pod: 'opamp-agent-abc-12345',
    containerStartedAt: T0,
    containerRunning: true,
    processes: { at: T0 + 1000, list: [sup, col] },
    effective: { at: T0 + 1000, exists: true, size: 120, sha256: 'aa', content: 'extensions:\n    opamp: {}\n' },
    connectedLog: { at: T0 + 900, text: '{"level":"info","msg":"Connected to the server."}' },
    server: { instanceUid: '019a', connected: true, at: T0 + 1100, source: 'GET /api/agents', remoteConfig: { status: 'UNSET' } },
    serverReachable: true,
  };
}

const status = (o: PodObservations, now = T0 + 2000): Record<CriterionId, string> =>
  Object.fromEntries(evaluateCriteria(o, now).map((c) => [c.id, c.status])) as Record<CriterionId, string>;

describe('six criteria', () => {
  it('before an overlay: four pass, two pending with a hint', () => {
    const r = evaluateCriteria(healthy(), T0 + 2000);
    expect(r.map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pending', 'pending']);
    expect(r[0]?.evidence[0]).toMatchObject({ kind: 'process', source: '/proc/1/cmdline' });
    expect(r[4]?.hint).toMatch(/overlay/i);
    expect(allPass(r)).toBe(false);
  });

  it('after the overlay is applied and merged: all six pass', () => {
    const o = healthy();
    o.overlay = { text: overlayText, keyPaths: overlayKeyPaths(overlayText) ?? [], sentAt: T0 + 1500, hash: 'abc' };
    o.server = { ...o.server!, remoteConfig: { status: 'APPLIED', lastHash: 'ABC', sentHash: 'abc' } };
    o.effective = { at: T0 + 3000, exists: true, size: effWith.length, content: effWith };
    const r = evaluateCriteria(o, T0 + 4000);
    expect(allPass(r)).toBe(true);
    expect(r[5]?.evidence.map((e) => e.text).join('\n')).toContain('attributes/test_opamp');
  });

  it('overlay not merged yet is pending, then fails after the grace period naming the missing paths', () => {
    const o = healthy();
    o.overlay = { text: overlayText, keyPaths: overlayKeyPaths(overlayText) ?? [], sentAt: T0 + 1500 };
    expect(status(o)['overlay-visible']).toBe('pending');
    const late = evaluateCriteria(o, T0 + 1500 + GRACE_MS.apply + 1);
    expect(late[5]?.status).toBe('fail');
    expect(late[5]?.evidence.at(-1)?.text).toContain('processors.attributes/test_opamp.actions');
  });

  it('an overlay that sets nothing fails "Changes visible" at once, saying so', () => {
    const o = healthy();
    o.overlay = { text: '# nothing here\n', keyPaths: [], sentAt: T0 + 1500, hash: 'empty' };
    const r = evaluateCriteria(o, T0 + 2000);
    expect(r[5]).toMatchObject({ id: 'overlay-visible', status: 'fail' });
    expect(r[5]?.evidence[0]?.text).toBe('the overlay is empty: it adds nothing to effective.yaml');
  });

  it('FAILED remote config fails with the error; APPLIED for an older hash is not a pass', () => {
    const o = healthy();
    o.overlay = { text: overlayText, keyPaths: [], sentAt: T0 + 1500, hash: 'new' };
    o.server = { ...o.server!, remoteConfig: { status: 'FAILED', lastHash: 'new', errorMessage: 'yaml: line 2: mapping values are not allowed' } };
    const r = evaluateCriteria(o, T0 + 2000);
    expect(r[4]?.status).toBe('fail');
    expect(r[4]?.evidence[0]?.text).toContain('mapping values');
    o.server = { ...o.server, remoteConfig: { status: 'APPLIED', lastHash: 'old', sentHash: 'new' } };
    expect(status(o)['remote-config-applied']).toBe('pending');
  });

  it('wrong PID 1, a collector with another parent, and a missing collector after the grace period fail', () => {
    const o = healthy();
    o.processes = { at: T0, list: [{ pid: 1, ppid: 0, comm: 'sh', argv: ['/bin/sh', '-c', '/opampsupervisor'] }, { ...col, ppid: 7 }] };
    expect(status(o)['supervisor-pid1']).toBe('fail');
    expect(status(o)['collector-child']).toBe('fail');
    o.processes = { at: T0, list: [sup] };
    expect(status(o)['collector-child']).toBe('pending');
    expect(status(o, T0 + GRACE_MS.process + 1)['collector-child']).toBe('fail');
  });

  it('connection: the server view alone is enough; a handshake error fails after a while', () => {
    const o = healthy();
    delete o.connectedLog;
    expect(status(o)['opamp-connected']).toBe('pass');
    delete o.server;
    o.connectFailureLog = { at: T0 + 500, text: 'websocket: bad handshake' };
    expect(status(o, T0 + 1000)['opamp-connected']).toBe('pending');
    const late = evaluateCriteria(o, T0 + 11_000)[2];
    expect(late?.status).toBe('fail');
    expect(late?.hint).toMatch(/wss:\/\//);
  });

  it('effective.yaml missing, empty, or not YAML', () => {
    const o = healthy();
    o.effective = { at: T0, exists: false };
    expect(status(o)['effective-config']).toBe('pending');
    expect(status(o, T0 + GRACE_MS.file + 1)['effective-config']).toBe('fail');
    o.effective = { at: T0, exists: true, size: 5, content: 'a: [\n' };
    expect(status(o)['effective-config']).toBe('fail');
  });

  it('keeps since while a status holds and restarts it on a new container', () => {
    const o = healthy();
    const first = evaluateCriteria(o, T0 + 2000);
    const second = evaluateCriteria(o, T0 + 5000, first);
    expect(second[0]?.since).toBe(T0 + 2000);
    const restarted = { ...o, containerStartedAt: T0 + 6000, processes: undefined };
    const third = evaluateCriteria(restarted, T0 + 6500, second);
    expect(third[0]).toMatchObject({ status: 'pending', since: T0 + 6500 });
  });

  it('a container that is not running leaves the criteria pending with its reason', () => {
    const o: PodObservations = { pod: 'p', containerRunning: false, containerReason: 'CrashLoopBackOff' };
    const r = evaluateCriteria(o, T0);
    expect(r.every((c) => c.status === 'pending')).toBe(true);
    expect(r[0]?.evidence[0]?.text).toContain('CrashLoopBackOff');
  });

  it('the agent runs a remote config the server no longer has: reported apart, never "No overlay sent yet"', () => {
    const o = healthy();
    o.server = { ...o.server!, remoteConfig: { status: 'APPLIED', lastHash: 'abcdef0123456789' } };
    const r = evaluateCriteria(o, T0 + 2000);
    expect(r[4]).toMatchObject({ status: 'pass' });
    expect(r[4]?.evidence.map((e) => e.text).join('\n')).toMatch(/agent reports RemoteConfigStatus APPLIED for hash abcdef012345…[\s\S]*server keeps no overlay/);
    expect(r[5]?.hint).not.toMatch(/No overlay sent yet/);
    expect(r[5]?.evidence[0]?.text).toContain('abcdef012345');
  });

  it('changes visible only when the collector runs the new effective.yaml (started after the write, healthy)', () => {
    const o = healthy();
    o.overlay = { text: overlayText, keyPaths: overlayKeyPaths(overlayText) ?? [], sentAt: T0 + 1500, hash: 'abc' };
    o.server = { ...o.server!, healthy: true, remoteConfig: { status: 'APPLIED', lastHash: 'abc' } };
    o.effective = { at: T0 + 3000, exists: true, size: effWith.length, content: effWith, mtime: T0 + 2600 };
    o.processes = { at: T0 + 3000, list: [sup, { ...col, startedAt: T0 + 500 }] };
    expect(status(o, T0 + 3500)['overlay-visible']).toBe('pending');
    expect(evaluateCriteria(o, T0 + 3500)[5]?.evidence.at(-1)?.text).toMatch(/started before effective.yaml was last written/);
    o.processes = { at: T0 + 3000, list: [sup, { ...col, pid: 31, startedAt: T0 + 2700 }] };
    const ok = evaluateCriteria(o, T0 + 3500)[5]!;
    expect(ok.status).toBe('pass');
    expect(ok.evidence.at(-1)?.text).toMatch(/^otelcol-contrib PID 31 runs it since \d\d:\d\d:\d\d, healthy$/);
    o.server = { ...o.server, healthy: false, lastError: 'Agent process PID=31 exited unexpectedly, exit code=1. Will restart in a bit...' };
    expect(status(o, T0 + 3500)['overlay-visible']).toBe('pending');
  });

  // The same overlays the validator, the emulated collector and the doctor are tested with.
  for (const c of [GOOD_OVERLAY, ...BROKEN_OVERLAYS]) {
    it(`${c.name}: ${c.stage ? 'fails' : 'passes'} "applied" and "visible" as the collector would`, () => {
      const o = healthy();
      const v = validateOverlay(c.text);
      o.overlay = { text: c.text, keyPaths: v.ok ? overlayKeyPaths(c.text) ?? [] : [], sentAt: T0 + 1500, hash: 'abc' };
      const collectorLevel = c.stage === 'decode' || c.stage === 'validate' || c.stage === 'build';
      const eff = collectorLevel || !c.stage ? effectiveWith(c.text) : effectiveWith('');
      o.effective = { at: T0 + 3000, exists: true, size: eff.length, content: eff, mtime: T0 + 2600 };
      if (collectorLevel) {
        o.processes = { at: T0 + 9000, list: [sup] };
        o.collectorError = { at: T0 + 2700, text: 'Error: failed to get config: …' };
        o.server = { ...o.server!, healthy: false, lastError: 'Agent process PID=9 exited unexpectedly, exit code=1. Will restart in a bit...', remoteConfig: { status: 'FAILED', lastHash: 'abc', errorMessage: 'Config apply timeout exceeded' } };
      } else if (c.stage === 'yaml') {
        o.server = { ...o.server!, remoteConfig: { status: 'FAILED', lastHash: 'abc', errorMessage: c.message ? 'yaml: line 3: found character that cannot start any token' : 'yaml: line 1: x' } };
      } else {
        o.processes = { at: T0 + 3000, list: [sup, { ...col, startedAt: T0 + 2700 }] };
        o.server = { ...o.server!, healthy: true, remoteConfig: { status: 'APPLIED', lastHash: 'abc' } };
      }
      const r = evaluateCriteria(o, T0 + 9000);
      const byId = Object.fromEntries(r.map((x) => [x.id, x]));
      if (!c.stage) {
        expect(allPass(r)).toBe(true);
        return;
      }
      expect(byId['overlay-visible']?.status).toBe('fail');
      if (c.stage !== 'empty') expect(byId['remote-config-applied']?.status).toBe('fail');
      if (collectorLevel) {
        const hint = byId['remote-config-applied']?.hint ?? '';
        expect(hint).toContain('otelcol-contrib refuses effective.yaml');
        expect(byId['collector-child']?.hint).not.toMatch(/agent\.executable/);
        expect(byId['remote-config-applied']?.evidence.map((e) => e.text).join('\n')).toContain('Config apply timeout exceeded');
      }
    });
  }
});

// Runs the probe script in real busybox ash (Debian's busybox package) against
// this machine's /proc and temp files, through the real parser; started as the
// engine starts it, `sh -s opamp-lab-probe` reading the script on stdin.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProbeParser, type ProbeMessage } from './probeParser';
import { PROBE_COMMAND, probeScript } from './probeScript';

const hasBusybox = spawnSync('busybox', ['true']).status === 0;
let child: ChildProcess | undefined;

async function eventually<T>(what: string, probe: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
afterEach(() => child?.kill());

function start(dir: string): ProbeMessage[] {
  const messages: ProbeMessage[] = [];
  const token = 'T0k3nAbc';
  const script = probeScript({ token, effectivePath: join(dir, 'effective.yaml'), agentLogPath: join(dir, 'agent.log'), interval: 0.1, tickEvery: 5 });
  const parser = new ProbeParser(token, (m) => messages.push(m));
  // argv0 'sh' as in the Alpine image, where sh is a link to busybox.
  child = spawn('busybox', PROBE_COMMAND.slice(1), { argv0: 'sh' });
  child.stdin?.write(script);
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (d: string) => parser.feed(d));
  return messages;
}

describe.skipIf(!hasBusybox)('probe script in busybox ash', () => {
  it('reports processes with their parent, effective.yaml content and hash, changes only, and agent.log bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'probe-'));
    writeFileSync(join(dir, 'effective.yaml'), 'receivers:\n    otlp: null\n');
    writeFileSync(join(dir, 'agent.log'), 'first\npart');
    const messages = start(dir);
    const reports = (): Extract<ProbeMessage, { type: 'report' }>[] => messages.filter((m): m is Extract<ProbeMessage, { type: 'report' }> => m.type === 'report');
    const first = await eventually('a first report', () => reports()[0], 20_000);
    const me = first.processes.find((p) => p.pid === process.pid);
    expect(me?.ppid).toBe(process.ppid);
    expect(me?.argv[0]).toContain('node');
    // The probe's own shell and its children are left out.
    expect(first.processes.some((p) => p.pid === child?.pid)).toBe(false);
    expect(first.file).toMatchObject({ exists: true, size: 26 });
    expect(first.content?.text).toBe('receivers:\n    otlp: null\n');
    expect(first.file.sha256).toBe(createHash('sha256').update('receivers:\n    otlp: null\n').digest('hex'));
    await eventually('agent.log bytes', () => messages.some((m) => m.type === 'agent-log' && m.text === 'first\npart'));
    await eventually('a tick', () => messages.some((m) => m.type === 'tick'), 45_000);
    const before = reports().length;
    writeFileSync(join(dir, 'effective.yaml'), 'changed: true');
    appendFileSync(join(dir, 'agent.log'), ' two\n');
    const changed = await eventually('a report with the new content', () => reports().slice(before).find((r) => r.content?.text === 'changed: true'), 20_000);
    expect(changed.file.size).toBe(13);
    await eventually('the appended log bytes', () => messages.some((m) => m.type === 'agent-log' && m.text === ' two\n'));
  }, 120_000);

  it('shows in busybox ps as one short line naming OpAMP Lab', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'probe-'));
    const messages = start(dir);
    await eventually('a first report', () => messages.some((m) => m.type === 'report'), 20_000);
    const ps = spawnSync('busybox', ['ps'], { encoding: 'utf8' }).stdout;
    const mine = ps.split('\n').filter((l) => new RegExp(`^ *${child?.pid} `).test(l));
    expect(mine).toEqual([expect.stringMatching(/ sh -s opamp-lab-probe$/)]);
    expect(probeScript({ token: 'T0k3nAbc' }).split('\n')[0]).toMatch(/^# OpAMP Lab probe: /);
  }, 30_000);
});

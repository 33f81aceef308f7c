// The engine's exec probe script (written for busybox ash in the Alpine image)
// runs unchanged in the embedded lab's emulated shell and the engine's parser
// reads what it prints: processes with their parent, effective.yaml changes,
// agent.log bytes, ticks; and it stops when the session is killed.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ProbeParser, type ProbeMessage } from '../../electron/engine/probe/probeParser';
import { probeScript } from '../../electron/engine/probe/probeScript';
import { Shell, type ShellEnv } from '../../lab/sim/pod/shell';
import { agentShellEnv } from '../../lab/sim/pod/testing/agentShellEnv';
import { eventually } from '../conformance/eventually';

type Report = Extract<ProbeMessage, { type: 'report' }>;

const pod = (): ShellEnv => agentShellEnv({ '/storage/effective.yaml': 'receivers:\n    otlp: null\n', '/storage/agent.log': 'first\npart' });

describe('exec probe on the emulated shell', () => {
  it('reports, follows changes and stops when killed', async () => {
    const env = pod();
    const token = 'Em0Probe1';
    const messages: ProbeMessage[] = [];
    const parser = new ProbeParser(token, (m) => messages.push(m));
    const self = env.procs.spawn(['sh', '-c', '…'], 0);
    const shell = new Shell(env, self.pid);
    let errors = '';
    const done = shell.run(probeScript({ token, interval: 0.05, tickEvery: 4 }), { out: (s) => parser.feed(s), err: (s) => { errors += s; } });
    const reports = (): Report[] => messages.filter((m): m is Report => m.type === 'report');

    const first = await eventually('a first report', () => reports()[0], 10_000);
    expect(first.processes.map((p) => [p.pid, p.ppid, p.argv[0]])).toEqual([[1, 0, '/opampsupervisor'], [2, 1, '/otelcol-contrib']]);
    expect(first.processes[1]!.argv).toEqual(['/otelcol-contrib', '--config', '/storage/effective.yaml', '--config=/collector.yaml']);
    expect(first.file).toMatchObject({ exists: true, size: 26, sha256: createHash('sha256').update('receivers:\n    otlp: null\n').digest('hex') });
    expect(first.content?.text).toBe('receivers:\n    otlp: null\n');
    await eventually('agent.log bytes', () => messages.some((m) => m.type === 'agent-log' && m.text === 'first\npart'));
    await eventually('a tick', () => messages.some((m) => m.type === 'tick'));

    // Quiet while nothing changes; a new collector PID and new content each show up.
    const before = reports().length;
    await new Promise((r) => setTimeout(r, 300));
    expect(reports().length).toBe(before);
    env.procs.exit(2);
    const collector = env.procs.spawn(['/otelcol-contrib', '--config', '/storage/effective.yaml'], 1);
    env.fs.write('/storage/effective.yaml', 'changed: true');
    env.fs.write('/storage/agent.log', ' two\n', true);
    const changed = await eventually('the new report', () => reports().slice(before).find((r) => r.content?.text === 'changed: true'));
    expect(changed.processes.map((p) => p.pid)).toEqual([1, collector.pid]);
    expect(changed.file.size).toBe(13);
    await eventually('the appended log bytes', () => messages.some((m) => m.type === 'agent-log' && m.text === ' two\n'));

    shell.kill();
    expect(await done).toBe(130);
    expect(errors).toBe('');
  }, 30_000);
});

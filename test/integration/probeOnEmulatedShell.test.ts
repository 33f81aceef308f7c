// The engine's exec probe script (written for busybox ash in the Alpine image)
// runs unchanged in the embedded lab's emulated shell and the engine's parser
// reads what it prints: processes with their parent, effective.yaml changes,
// agent.log bytes, ticks; and it stops when the session is killed. It runs as the
// engine starts it, `sh -s opamp-lab-probe` with the script on stdin, and `ps -ef`
// in the pod shows it as that one line.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ProbeParser, type ProbeMessage } from '../../electron/engine/probe/probeParser';
import { PROBE_COMMAND, probeScript } from '../../electron/engine/probe/probeScript';
import { startExecSession } from '../../lab/sim/pod/execSession';
import type { ShellEnv } from '../../lab/sim/pod/shell';
import type { ExecSession } from '../../lab/sim/pod/types';
import { agentShellEnv } from '../../lab/sim/pod/testing/agentShellEnv';
import { eventually } from '../conformance/eventually';

type Report = Extract<ProbeMessage, { type: 'report' }>;

const pod = (): ShellEnv => agentShellEnv({ '/storage/effective.yaml': 'receivers:\n    otlp: null\n', '/storage/agent.log': 'first\npart' });

async function collect(s: ExecSession): Promise<string> {
  let out = '';
  s.onStdout((d) => { out += Buffer.from(d).toString(); });
  await s.exit;
  return out;
}

describe('exec probe on the emulated shell', () => {
  it('reports, follows changes and stops when killed', async () => {
    const env = pod();
    const token = 'Em0Probe1';
    const messages: ProbeMessage[] = [];
    const parser = new ProbeParser(token, (m) => messages.push(m));
    const req = { command: [...PROBE_COMMAND], tty: false, stdin: true };
    const session = startExecSession({ req, env, proc: env.procs.spawn([...PROBE_COMMAND], 0) });
    let errors = '';
    session.onStdout((d) => parser.feed(Buffer.from(d).toString()));
    session.onStderr((d) => { errors += Buffer.from(d).toString(); });
    // Written in pieces and left open, as the engine's stdin stream is.
    const script = probeScript({ token, interval: 0.05, tickEvery: 4 });
    for (let k = 0; k < script.length; k += 100) session.writeStdin(Buffer.from(script.slice(k, k + 100)));
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
    const changed = await eventually('the new content', () => reports().slice(before).find((r) => r.content?.text === 'changed: true'));
    expect(changed.file.size).toBe(13);
    // One pass reads the processes and then the file, so a pass that was under way when the changes landed
    // reports the new content with the old PID (as on a real pod); the next pass reports the new PID.
    await eventually('the new collector PID', () => reports().at(-1)?.processes.map((p) => p.pid).join() === `1,${collector.pid}`);
    await eventually('the appended log bytes', () => messages.some((m) => m.type === 'agent-log' && m.text === ' two\n'));

    // ps -ef in the pod (as `kubectl exec POD -- ps -ef` runs it): the probe is one short line, ps lists itself once.
    const ps = await collect(startExecSession({ req: { command: ['ps', '-ef'], tty: false, stdin: false }, env, proc: env.procs.spawn(['ps', '-ef'], 0) }));
    const lines = ps.split('\n').filter(Boolean);
    expect(lines.filter((l) => l.includes('opamp-lab-probe'))).toEqual([expect.stringMatching(/^ +\d+ root {6}0:00 sh -s opamp-lab-probe$/)]);
    expect(lines.filter((l) => l.endsWith(' ps -ef'))).toHaveLength(1);
    expect(lines.length).toBeLessThanOrEqual(6);

    session.kill();
    expect((await session.exit).code).toBe(137);
    expect(errors).toBe('');
  }, 30_000);
});

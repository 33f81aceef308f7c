// Exec sessions in an emulated pod without kubectl in between: how sh reads its
// script (-c, -s from stdin as it arrives, FILE), exit codes, the interactive
// shell's line editor as bytes in and terminal output out, and a command run as
// the exec's own process. (Through kubectl in a real terminal:
// test/conformance/kubectlInteractiveShell.test.ts.)
import { describe, expect, it } from 'vitest';
import { startExecSession } from './execSession';
import { LineEditor } from './lineEditor';
import type { ShellEnv } from './shell';
import { agentShellEnv } from './testing/agentShellEnv';
import type { ExecRequest, ExecSession } from './types';

function open(env: ShellEnv, req: ExecRequest): { s: ExecSession; out: () => string; err: () => string } {
  if (req.tty) env.tty = { cols: req.cols ?? 80, rows: req.rows ?? 24 };
  const s = startExecSession({ req, env, proc: env.procs.spawn([...req.command], 0) });
  let out = '';
  let err = '';
  s.onStdout((d) => { out += Buffer.from(d).toString(); });
  s.onStderr((d) => { err += Buffer.from(d).toString(); });
  return { s, out: () => out, err: () => err };
}

const tick = (ms = 30): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('exec sessions', () => {
  it('sh -s runs each complete command as it arrives on stdin, with its arguments as $1…', async () => {
    const env = agentShellEnv({});
    const { s, out } = open(env, { command: ['sh', '-s', 'one', 'two'], tty: false, stdin: true });
    s.writeStdin(Buffer.from('echo "$1-$2"\nfor i in a b; do\n'));
    await tick();
    expect(out()).toBe('one-two\n');
    s.writeStdin(Buffer.from('  echo $i\ndone\nexit 4\necho never\n'));
    expect(await s.exit).toEqual({ code: 4 });
    expect(out()).toBe('one-two\na\nb\n');
  });

  it('sh -c exits with the script status; sh FILE runs a file; an unknown option is refused', async () => {
    const env = agentShellEnv({ '/tmp/s.sh': 'echo from file $1\nexit 7\n' });
    expect(await open(env, { command: ['sh', '-c', 'exit 3'], tty: false, stdin: false }).s.exit).toEqual({ code: 3 });
    const f = open(env, { command: ['/bin/sh', '/tmp/s.sh', 'x'], tty: false, stdin: false });
    expect(await f.s.exit).toEqual({ code: 7 });
    expect(f.out()).toBe('from file x\n');
    const bad = open(env, { command: ['sh', '-Z'], tty: false, stdin: false });
    expect(await bad.s.exit).toEqual({ code: 2 });
    expect(bad.err()).toBe('sh: illegal option -Z\n');
  });

  it('an applet given bad input fails with its own message, not a crash', async () => {
    const env = agentShellEnv({});
    const r = open(env, { command: ['sh', '-c', "echo x | awk '/(/'; echo after $?"], tty: false, stdin: false });
    expect(await r.s.exit).toEqual({ code: 0 });
    expect(r.err()).toBe("awk: cmd. line:1: bad regex '('\n");
    expect(r.out()).toBe('after 2\n');
  });

  it('runs a command as the exec process itself: ps lists it once, with the exec PID', async () => {
    const env = agentShellEnv({});
    const { s, out } = open(env, { command: ['ps'], tty: false, stdin: false });
    await s.exit;
    expect(out().split('\n').filter((l) => l.endsWith(' ps'))).toEqual([expect.stringMatching(/^ {4}3 root/)]);
  });

  it('interactive: prompt, editing keys, history, Ctrl-C, exit N, TERM-less env kept as given', async () => {
    const env = agentShellEnv({});
    const { s, out } = open(env, { command: ['sh'], tty: true, stdin: true });
    await tick();
    expect(out()).toBe('/ # ');
    s.writeStdin(Buffer.from('echo hXllo\u001b[D\u001b[D\u001b[D\u007fe\r'));
    await tick();
    expect(out()).toContain('\r\nhello\r\n/ # ');
    s.writeStdin(Buffer.from('\u001b[A\r'));
    await tick();
    expect(out().match(/\r\nhello\r\n/g)).toHaveLength(2);
    s.writeStdin(Buffer.from('echo typed\u0003'));
    await tick();
    expect(out()).toMatch(/echo typed\^C\r\n\/ # $/);
    // Ctrl-C right behind the Enter, in the same frame (a busy kubectl or event loop batches them): the
    // command just entered is interrupted (status 130), as the terminal's SIGINT would do.
    s.writeStdin(Buffer.from('sleep 30\r\u0003'));
    await tick();
    expect(out()).toMatch(/sleep 30\r\n\^C\r?\n\/ # $/);
    s.writeStdin(Buffer.from('echo $?\r'));
    await tick();
    expect(out()).toMatch(/echo \$\?\r\n130\r\n\/ # $/);
    s.writeStdin(Buffer.from('for i in 1 2\rdo echo $i; done\r'));
    await tick();
    expect(out()).toContain('\r\n> ');
    expect(out()).toContain('1\r\n2\r\n');
    // cat reads the terminal until Ctrl-D (the tty echoes); a command that does not read leaves typeahead to the shell.
    s.writeStdin(Buffer.from('cat > /tmp/typed\r'));
    await tick();
    s.writeStdin(Buffer.from('line one\rline twoX\u007f\r\u0004'));
    await tick();
    expect(env.fs.get('/tmp/typed')?.data).toBe('line one\nline two\n');
    expect(out()).toContain('cat > /tmp/typed\r\nline one\r\nline two');
    s.writeStdin(Buffer.from('history\r'));
    await tick();
    expect(out()).toContain('   0 echo hello\r\n');
    expect(out()).toMatch(/ {3}\d history\r\n\/ # $/);
    s.writeStdin(Buffer.from('exit 5\r'));
    expect(await s.exit).toEqual({ code: 5 });
  });
});

describe('line editor', () => {
  const editor = (cols = 20): { e: LineEditor; screen: () => string } => {
    let written = '';
    const e = new LineEditor({ write: (s) => { written += s; }, cols: () => cols, complete: (w) => ['hostname', 'hosts', 'head'].filter((c) => c.startsWith(w)) });
    return { e, screen: () => written };
  };

  it('returns the edited line and keeps typeahead after Enter for the next prompt', () => {
    const { e } = editor();
    e.start('$ ');
    const r = e.feed('abc\u0001X\u0005Y\u0017Z\rnext');
    expect(r.event).toEqual({ kind: 'line', line: 'Z' });
    expect(r.rest).toBe('next');
  });

  it('Ctrl-U kills before the cursor, Ctrl-K after it, Delete under it; Home/End in both encodings', () => {
    const { e } = editor();
    e.start('$ ');
    expect(e.feed('hello world\u001b[H\u001b[C\u001b[C\u000b\r').event).toEqual({ kind: 'line', line: 'he' });
    e.start('$ ');
    expect(e.feed('hello world\u001bOH\u001b[3~\u001bOF\u001b[D\u0015\r').event).toEqual({ kind: 'line', line: 'd' });
  });

  it('Tab completes a single candidate with a space, a shared prefix, then lists on the second Tab', () => {
    const { e, screen } = editor(40);
    e.start('$ ');
    expect(e.feed('hostn\t\r').event).toEqual({ kind: 'line', line: 'hostname ' });
    e.start('$ ');
    e.feed('hos\t');
    e.feed('\t');
    expect(screen()).toContain('\nhostname  hosts\n$ host');
    expect(e.feed('s\r').event).toEqual({ kind: 'line', line: 'hosts' });
  });

  it('moves over wrapped lines by rows and columns at the terminal width', () => {
    const { e, screen } = editor(10);
    e.start('$ ');
    e.feed('0123456789abc');
    e.feed('\u0001');
    // The cursor goes up one row and to column 2 (after the prompt).
    expect(screen().endsWith('\u001b[1A\r\u001b[2C')).toBe(true);
    expect(e.feed('\r').event).toEqual({ kind: 'line', line: '0123456789abc' });
  });
});

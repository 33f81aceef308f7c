// One process started by exec or attach in an emulated pod, as the container
// runtime and busybox ash run it: a command (run as the exec's own process), a
// script (`sh -c`, `sh FILE`, or read from stdin as `sh -s` does, command by
// command as it arrives), or an interactive ash under a tty with its line editor.
import { EXECUTABLES, terminalWidth } from './applets';
import { APPLET_PATHS } from './rootfs';
import { LineEditor } from './lineEditor';
import { signalNumber, type Proc } from './processTable';
import { SHELL_BUILTINS, Shell, type ShellEnv } from './shell';
import { isIncomplete, parseShellArgs } from './shellArgs';
import { Vfs } from './vfs';
import type { ExecRequest, ExecSession } from './types';

const enc = new TextEncoder();
const SHELLS = new Set(['sh', 'ash']);

export interface ExecSessionOptions {
  req: ExecRequest;
  env: ShellEnv;
  /** The exec's process, already in the table; it leaves the table when the session ends. */
  proc: Proc;
}

export function startExecSession({ req, env, proc }: ExecSessionOptions): ExecSession {
  const procs = env.procs;
  const outL: ((d: Uint8Array) => void)[] = [];
  const errL: ((d: Uint8Array) => void)[] = [];
  const shell = new Shell(env, proc.pid);
  let done = false;
  let finish!: (r: { code: number; error?: string }) => void;
  const exit = new Promise<{ code: number; error?: string }>((r) => { finish = r; });
  const end = (r: { code: number; error?: string }): void => {
    if (done) return;
    done = true;
    shell.kill();
    procs.exit(proc.pid);
    finish(r);
  };
  // Under a tty the line discipline turns \n into \r\n (onlcr), and stderr is the same terminal.
  const emit = (ls: ((d: Uint8Array) => void)[], s: string): void => {
    if (s && !done) for (const l of ls) l(enc.encode(req.tty ? s.replace(/\r?\n/g, '\r\n') : s));
  };
  // kill PID from another shell: the exec's process ends as a signalled process does (128 + signal).
  proc.onSignal = (signal) => end({ code: 128 + signalNumber(signal) });
  const io = {
    out: (s: string) => emit(outL, s),
    err: (s: string) => emit(req.tty ? outL : errL, s),
    outBytes: (b: Uint8Array) => { if (!done && b.length) for (const l of outL) l(b); },
  };
  // One decoder for the whole stream: a character split across two stdin frames stays whole.
  const decoder = new TextDecoder();

  const [cmd = '', ...args] = req.command;
  const base = cmd.split('/').pop()!;
  const inv = SHELLS.has(base) ? parseShellArgs(args) : undefined;
  const interactive = req.tty && req.stdin && inv !== undefined && 'from' in inv && inv.from === 'stdin';

  // What arrives on stdin for a command that is not the shell reading it (exec -i … cat): handed over when it closes.
  let piped = '';
  let closePiped: (() => void) | undefined;
  const pipedStdin = new Promise<string>((r) => { closePiped = () => r(piped); });

  // Commands run one after another, as a shell reads them; lines typed meanwhile wait their turn.
  let queue = Promise.resolve();
  let current: AbortController | undefined;
  // A command that reads the terminal (cat > file under -it) gets what is typed, echoed and
  // line-edited by the tty's cooked mode, until Ctrl-D; what is typed for no reader waits for the prompt.
  let cooked: { buf: string; resolve: (s: string) => void } | undefined;
  const readTerminal = (): Promise<string> => new Promise((resolve) => {
    cooked = { buf: '', resolve: (s) => { cooked = undefined; resolve(s); } };
    const pending = typed.splice(0).join('');
    if (pending) feedCooked(pending);
  });
  /** Feeds typed text to the cooked reader; returns what comes after its Ctrl-D (for the shell). */
  const feedCooked = (text: string): string => {
    const chars = [...text];
    for (let k = 0; k < chars.length; k++) {
      const c = cooked;
      if (!c) return chars.slice(k).join('');
      const ch = chars[k]!;
      if (ch === '\u0004') c.resolve(c.buf);
      else if (ch === '\r' || ch === '\n') { c.buf += '\n'; io.out('\n'); }
      else if (ch === '\u007f' || ch === '\b') { if (c.buf && !c.buf.endsWith('\n')) { c.buf = c.buf.slice(0, -1); io.out('\b \b'); } }
      else if (ch >= ' ' || ch === '\t') { c.buf += ch; io.out(ch); }
    }
    return '';
  };
  const runChunk = (script: string, then?: () => void): void => {
    // Set now, not when the queue reaches the command: a Ctrl-C right behind the Enter (the same stdin
    // frame) interrupts the command just entered, as the terminal's SIGINT would; an aborted signal makes
    // the shell end it at once with status 130.
    const ctl = new AbortController();
    current = ctl;
    queue = queue.then(async () => {
      if (done) return;
      try {
        await shell.run(script, { ...io, signal: ctl.signal, ...(interactive ? { stdin: readTerminal } : {}) });
      } catch (err) {
        io.err(`sh: ${err instanceof Error ? err.message : String(err)}\n`);
      }
      if (current === ctl) current = undefined;
      if (shell.exited) { end({ code: shell.lastStatus }); return; }
      then?.();
    });
  };

  // sh reading its script from stdin (sh -s, or sh with piped input): complete commands run as they arrive.
  let script = '';
  const scriptReader = {
    feed(text: string): void {
      // Line by line, as ash reads: a line that completes a command runs before the next is looked at.
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        script += text.slice(start, nl + 1);
        start = nl + 1;
        if (isIncomplete(script)) continue;
        runChunk(script);
        script = '';
      }
      script += text.slice(start);
    },
    close(): void {
      const rest = script;
      script = '';
      if (rest.trim()) runChunk(rest);
      queue = queue.then(() => end({ code: shell.lastStatus }));
    },
  };

  // The interactive shell: ash's line editor, PS1 '/ # ' (root's `\w \$ ` in alpine's /etc/profile-less sh) and PS2 '> '.
  let pendingLines = '';
  const editor = new LineEditor({
    write: (s) => io.out(s),
    cols: () => (env.tty ? terminalWidth(env.tty) : 80),
    complete: (word, first) => completions(env, word, first),
  });
  if (interactive) env.history = () => editor.lines;
  const prompt = (): void => {
    if (done) return;
    editor.start(pendingLines ? '> ' : `${env.cwd === env.vars.HOME ? '~' : env.cwd} # `);
  };
  const typed: string[] = [];
  const onLine = (line: string): void => {
    const text = `${pendingLines}${line}\n`;
    if (isIncomplete(text)) { pendingLines = text; prompt(); return; }
    pendingLines = '';
    if (!text.trim()) { prompt(); return; }
    runChunk(text, () => { prompt(); drainTyped(); });
  };
  const drainTyped = (): void => {
    while (typed.length && editor.reading && !done) {
      const { event, rest } = editor.feed(typed.shift()!);
      if (rest) typed.unshift(rest);
      if (event?.kind === 'eof') { end({ code: shell.lastStatus }); return; }
      if (event) onLine(event.line);
    }
  };

  const session: ExecSession = {
    writeStdin(data) {
      if (done) return;
      const text = decoder.decode(data, { stream: true });
      if (interactive) {
        // Ctrl-C is the terminal's interrupt: it stops what runs now, or drops the line being typed.
        const parts = text.split('\u0003');
        for (let k = 0; k < parts.length; k++) {
          if (k > 0) {
            typed.length = 0;
            if (current) { cooked?.resolve(''); current.abort(); io.out('^C\n'); } else { pendingLines = ''; editor.interrupt(); }
          }
          const rest = parts[k] ? feedCooked(parts[k]!) : '';
          if (rest) typed.push(rest);
          drainTyped();
        }
        return;
      }
      if (inv && 'from' in inv && inv.from === 'stdin') scriptReader.feed(text);
      else if (req.stdin) piped += text;
    },
    closeStdin() {
      if (interactive) void queue.then(() => end({ code: shell.lastStatus }));
      else if (inv && 'from' in inv && inv.from === 'stdin') scriptReader.close();
      else closePiped?.();
    },
    resize(cols, rows) { if (env.tty) env.tty = { cols, rows }; },
    onStdout(l) { outL.push(l); },
    onStderr(l) { errL.push(l); },
    exit,
    kill() { closePiped?.(); end({ code: 137 }); },
  };

  // $1… are there before the first line of a script read from stdin arrives.
  if (inv && 'params' in inv) shell.setParams(inv.params);
  setTimeout(() => {
    if (inv && 'error' in inv) { io.err(`${inv.error}\n`); end({ code: 2 }); return; }
    if (inv) {
      if (inv.from === 'stdin') {
        if (interactive) { prompt(); drainTyped(); }
        else if (!req.stdin) end({ code: 0 }); // stdin is /dev/null: nothing to read
        return;
      }
      let text: string;
      if (inv.from === 'file') {
        const n = env.fs.get(Vfs.norm(inv.path, env.cwd));
        if (n?.kind !== 'file') { io.err(`sh: can't open '${inv.path}': No such file or directory\n`); end({ code: 2 }); return; }
        text = n.data;
      } else text = inv.script;
      void shell.run(text, { ...io, execAs: proc, stdin: req.stdin ? pipedStdin : '' }).then((code) => end({ code }), (err: Error) => { io.err(`sh: ${err.message}\n`); end({ code: 2 }); });
      return;
    }
    const onDisk = cmd.includes('/') ? env.fs.get(Vfs.norm(cmd)) : undefined;
    if (cmd.includes('/') ? !onDisk : !EXECUTABLES.has(base)) {
      end({ code: 127, error: `exec: "${cmd}": ${cmd.includes('/') ? `stat ${cmd}: no such file or directory` : 'executable file not found in $PATH'}` });
      return;
    }
    // Anything else runs as one quoted command line, as this exec's process.
    const line = req.command.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    void shell.run(line, { ...io, execAs: proc, stdin: req.stdin ? pipedStdin : '' }).then((code) => end({ code }), (err: Error) => { io.err(`sh: ${err.message}\n`); end({ code: 2 }); });
  }, 0);
  return session;
}

/** Tab's candidates: commands (builtins and /bin, /usr/bin… applets) for the first word, else folder entries. */
export function completions(env: ShellEnv, word: string, firstWord: boolean): string[] {
  if (firstWord) return [...new Set([...SHELL_BUILTINS, ...Object.keys(APPLET_PATHS)])].filter((c) => c.startsWith(word)).sort();
  const slash = word.lastIndexOf('/');
  const dir = slash >= 0 ? word.slice(0, slash + 1) : '';
  const prefix = word.slice(slash + 1);
  const path = Vfs.norm(dir || '.', env.cwd);
  if (env.fs.get(path)?.kind !== 'dir') return [];
  return env.fs.list(path)
    .filter((n) => n.startsWith(prefix) && (prefix.startsWith('.') || !n.startsWith('.')))
    .map((n) => (env.fs.get(`${path === '/' ? '' : path}/${n}`)?.kind === 'dir' ? `${n}/` : n));
}

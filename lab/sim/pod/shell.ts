// The emulated pod's shell: runs what busybox ash runs for the lab — the guide's
// one-liners and the engine's long-lived exec probe (loops, $(...), ${x%%y},
// set --, shift, sleep). Output streams as it is produced; sleep yields to the
// event loop and stops when the exec session is killed.
import { APPLETS, IMAGE_BINARIES, type AppletIo, type ShellEnv } from './applets';
import { expandString, expandWords, type ExpandCtx } from './shellExpand';
import { lookPath } from './appletsSystem';
import { parseShellArgs } from './shellArgs';
import { parse, ShellSyntaxError, type Node, type Redir } from './shellParse';
import type { Proc } from './processTable';
import { Vfs } from './vfs';

export type { ShellEnv } from './applets';

export interface ShellIo {
  out(s: string): void;
  err(s: string): void;
  /** Bytes straight to the session's stdout (binary output such as a tar archive). */
  outBytes?(data: Uint8Array): void;
  signal?: AbortSignal;
  /**
   * A promise when stdin is still open (exec -i): only commands that read it wait for it. A function
   * is a terminal: it starts reading what is typed only when a command asks (`cat > file` under -it).
   */
  stdin?: Stdin;
  /**
   * The process this shell is (an exec's). When the script is one simple command, ash execs it
   * without forking (`sh -c 'ps -ef'` lists ps, not sh and ps), so the command runs as this process.
   */
  execAs?: Proc;
}

export type Stdin = string | Promise<string> | (() => Promise<string>);
const readAll = (s: Stdin): string | Promise<string> => (typeof s === 'function' ? s() : s);

class LoopJump { constructor(readonly kind: 'break' | 'continue', public levels: number) {} }
/** Unwinds to the top of the script: `exit` (byExit) or an interrupt (Ctrl-C, a killed session). */
class ShellExit { constructor(readonly code: number, readonly byExit = false) {} }

type Sink = { kind: 'out' } | { kind: 'err' } | { kind: 'null' } | { kind: 'file'; path: string };

interface Frame {
  env: ShellEnv;
  pid: number;
  params: string[];
  status: number;
  out(s: string): void;
  err(s: string): void;
  /** Set only while stdout is the session's own: pipes and redirections leave it out. */
  outBytes?(data: Uint8Array): void;
  stdin: Stdin;
  signal: AbortSignal;
  loopDepth: number;
  /** The process a pipeline stage already holds in the table; its command runs as it. */
  reserved?: Proc;
}

function restoreVars(vars: Record<string, string>, saved: Record<string, string>): void {
  for (const k of Object.keys(vars)) if (!(k in saved)) delete vars[k];
  Object.assign(vars, saved);
}

const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

export class Shell {
  private status = 0;
  private params: string[] = [];
  private readonly abort = new AbortController();
  /** Set once `exit` ran: an interactive session or a script read from stdin ends there. */
  exited = false;
  /** Bounds CPU on a loop that never sleeps: yield to the event loop now and then. */
  private steps = 0;

  constructor(private readonly env: ShellEnv, readonly pid: number) {}

  /** $1… of the script (`sh -c SCRIPT NAME ARGS…`, `sh -s ARGS…`). */
  setParams(params: string[]): void {
    this.params = [...params];
  }

  kill(): void {
    this.abort.abort();
  }

  get lastStatus(): number {
    return this.status;
  }

  /** Runs a script; returns its exit status. Syntax errors are reported as ash does, status 2. */
  async run(script: string, io: ShellIo): Promise<number> {
    let tree: Node;
    try {
      tree = parse(script);
    } catch (err) {
      if (!(err instanceof ShellSyntaxError)) throw err;
      io.err(`sh: ${err.message}\n`);
      return (this.status = 2);
    }
    const signal = io.signal ? AbortSignal.any([io.signal, this.abort.signal]) : this.abort.signal;
    const frame: Frame = { env: this.env, pid: this.pid, params: this.params, status: this.status, out: io.out, err: io.err, ...(io.outBytes ? { outBytes: io.outBytes } : {}), stdin: io.stdin ?? '', signal, loopDepth: 0 };
    if (io.execAs && tree.t === 'list' && tree.items.length === 1 && tree.items[0]!.t === 'simple') frame.reserved = io.execAs;
    try {
      this.status = await this.exec(tree, frame);
    } catch (err) {
      if (err instanceof ShellExit) { this.status = err.code; if (err.byExit) this.exited = true; }
      else if (err instanceof LoopJump) this.status = 0;
      else if (err instanceof ShellSyntaxError) { io.err(`sh: ${err.message}\n`); this.status = 2; }
      else throw err;
    }
    this.params = frame.params;
    return this.status;
  }

  private async exec(node: Node, f: Frame): Promise<number> {
    if (f.signal.aborted) throw new ShellExit(130);
    if (++this.steps % 200 === 0) await yieldToLoop();
    switch (node.t) {
      case 'list': {
        let s = 0;
        for (const item of node.items) s = f.status = await this.exec(item, f);
        return s;
      }
      case 'andor': {
        let s = await this.exec(node.first, f);
        for (const { op, node: next } of node.rest) {
          f.status = s;
          if ((op === '&&') === (s === 0)) s = await this.exec(next, f);
        }
        return s;
      }
      case 'pipeline': {
        let input: Stdin = f.stdin;
        let s = 0;
        // Stages run one after another here, but in a real shell they all exist at once:
        // `ps -ef | egrep x` lists the egrep too. Each stage gets its process up front and runs as it.
        const waiting = node.cmds.map((c) => (c.t === 'simple' && c.words.length ? f.env.procs.spawn(c.words.map(unquoteForPs), f.pid) : undefined));
        try {
          for (let k = 0; k < node.cmds.length; k++) {
            const last = k === node.cmds.length - 1;
            let buf = '';
            s = await this.exec(node.cmds[k]!, { ...f, stdin: input, out: last ? f.out : (t) => { buf += t; }, outBytes: last ? f.outBytes : undefined, reserved: waiting[k] });
            input = buf;
          }
        } finally {
          for (const p of waiting) if (p) f.env.procs.exit(p.pid);
        }
        return node.negate ? Number(s === 0) : s;
      }
      case 'while': return this.withRedirs(node.redirs, f, async (g) => {
        let s = 0;
        g.loopDepth++;
        for (;;) {
          const c = await this.exec(node.cond, g);
          if ((c === 0) === node.until) break;
          const r = await this.loopBody(node.body, g);
          if (r === 'break') break;
          s = g.status;
          await yieldToLoop();
        }
        g.loopDepth--;
        return s;
      });
      case 'for': return this.withRedirs(node.redirs, f, async (g) => {
        const items = node.words ? await expandWords(node.words, this.expandCtx(g)) : [...g.params];
        g.loopDepth++;
        for (const item of items) {
          g.env.vars[node.name] = item;
          if ((await this.loopBody(node.body, g)) === 'break') break;
        }
        g.loopDepth--;
        return g.status;
      });
      case 'if': return this.withRedirs(node.redirs, f, async (g) => {
        for (const c of node.clauses) if ((await this.exec(c.cond, g)) === 0) return this.exec(c.body, g);
        return node.otherwise ? this.exec(node.otherwise, g) : 0;
      });
      case 'group': return this.withRedirs(node.redirs, f, async (g) => {
        if (!node.subshell) return this.exec(node.body, g);
        const saved = { ...g.env.vars };
        const cwd = g.env.cwd;
        try {
          return await this.exec(node.body, { ...g, params: [...g.params] });
        } catch (err) {
          if (err instanceof ShellExit) return err.code;
          throw err;
        } finally {
          restoreVars(g.env.vars, saved);
          g.env.cwd = cwd;
        }
      });
      case 'simple': return this.simple(node, f);
    }
  }

  /** Runs a loop body, turning break/continue into what the loop should do. */
  private async loopBody(body: Node, f: Frame): Promise<'next' | 'break'> {
    try {
      await this.exec(body, f);
      return 'next';
    } catch (err) {
      if (!(err instanceof LoopJump)) throw err;
      if (err.levels > 1) { err.levels--; throw err; }
      return err.kind === 'break' ? 'break' : 'next';
    }
  }

  private expandCtx(f: Frame): ExpandCtx & { substStatus?: number } {
    const ctx: ExpandCtx & { substStatus?: number } = {
      vars: f.env.vars,
      params: f.params,
      pid: f.pid,
      status: f.status,
      cwd: f.env.cwd,
      listDir: (dir) => (f.env.fs.get(Vfs.norm(dir, f.env.cwd))?.kind === 'dir' ? f.env.fs.list(Vfs.norm(dir, f.env.cwd)) : undefined),
      subst: async (script) => {
        let buf = '';
        const sub = new Shell(f.env, f.pid);
        sub.params = [...f.params];
        sub.status = f.status;
        // A command substitution is a subshell: its assignments do not leak.
        const saved = { ...f.env.vars };
        try {
          ctx.substStatus = await sub.run(script, { out: (s) => { buf += s; }, err: f.err, signal: f.signal, stdin: f.stdin });
        } finally {
          restoreVars(f.env.vars, saved);
        }
        return buf;
      },
    };
    return ctx;
  }

  /** Applies redirections for the duration of `body`, restoring afterwards. */
  private async withRedirs(redirs: Redir[], f: Frame, body: (g: Frame) => Promise<number>): Promise<number> {
    if (!redirs.length) return body(f);
    const ctx = this.expandCtx(f);
    const fds: Sink[] = [{ kind: 'out' }, { kind: 'out' }, { kind: 'err' }];
    let stdin = f.stdin;
    const files = new Map<string, string>();
    for (const r of redirs) {
      if (r.op === '>&') { fds[r.fd] = fds[r.toFd] ?? { kind: 'null' }; continue; }
      const target = await expandString(r.target, ctx);
      const path = Vfs.norm(target, f.env.cwd);
      if (r.op === '<') {
        const n = f.env.fs.get(path);
        if (n?.kind !== 'file') { f.err(`sh: can't open ${target}: no such file\n`); return 1; }
        stdin = n.data;
        continue;
      }
      if (path === '/dev/null') { fds[r.fd] = { kind: 'null' }; continue; }
      const dir = path.slice(0, path.lastIndexOf('/')) || '/';
      if (f.env.fs.get(dir)?.kind !== 'dir') { f.err(`sh: can't create ${target}: nonexistent directory\n`); return 1; }
      const old = f.env.fs.get(path);
      files.set(path, r.op === '>>' && old?.kind === 'file' ? old.data : '');
      fds[r.fd] = { kind: 'file', path };
    }
    const writer = (sink: Sink | undefined): ((s: string) => void) => {
      if (!sink || sink.kind === 'null') return () => {};
      if (sink.kind === 'out') return f.out;
      if (sink.kind === 'err') return f.err;
      return (s) => { files.set(sink.path, (files.get(sink.path) ?? '') + s); };
    };
    try {
      return await body({ ...f, stdin, out: writer(fds[1]), err: writer(fds[2]), outBytes: fds[1]?.kind === 'out' ? f.outBytes : undefined });
    } finally {
      for (const [path, data] of files) f.env.fs.write(path, data);
    }
  }

  private async simple(node: Extract<Node, { t: 'simple' }>, f: Frame): Promise<number> {
    const ctx = this.expandCtx(f);
    const words = await expandWords(node.words, ctx);
    const assigns: [string, string][] = [];
    for (const a of node.assigns) assigns.push([a.name, await expandString(a.raw, ctx)]);
    if (!words.length) {
      for (const [k, v] of assigns) f.env.vars[k] = v;
      return this.withRedirs(node.redirs, f, async () => ctx.substStatus ?? 0);
    }
    return this.withRedirs(node.redirs, f, (g) => this.command(words, assigns, g));
  }

  private async command(words: string[], assigns: [string, string][], f: Frame): Promise<number> {
    const [name0, ...args] = words as [string, ...string[]];
    const name = name0.includes('/') ? name0.split('/').pop()! : name0;
    switch (name0) {
      case ':': case 'true': return 0;
      case 'false': return 1;
      case 'echo': {
        let nl = true;
        while (args[0] === '-n' || args[0] === '-e') { if (args.shift() === '-n') nl = false; }
        f.out(`${args.join(' ')}${nl ? '\n' : ''}`);
        return 0;
      }
      case 'printf': {
        const [fmt = '', ...rest] = args;
        let k = 0;
        f.out(fmt.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/%[sd%]/g, (m) => (m === '%%' ? '%' : rest[k++] ?? '')));
        return 0;
      }
      case 'pwd': f.out(`${f.env.cwd}\n`); return 0;
      case 'cd': {
        const target = args[0] ?? f.env.vars.HOME ?? '/';
        const p = Vfs.norm(target, f.env.cwd);
        if (f.env.fs.get(p)?.kind !== 'dir') { f.err(`sh: cd: can't cd to ${target}: No such file or directory\n`); return 2; }
        f.env.cwd = p;
        return 0;
      }
      case 'exit': {
        if (args[0] !== undefined && !/^\d+$/.test(args[0])) { f.err(`sh: exit: Illegal number: ${args[0]}\n`); return 2; }
        throw new ShellExit(args[0] !== undefined ? Number(args[0]) & 255 : f.status, true);
      }
      case 'break': case 'continue': {
        if (!f.loopDepth) return 0;
        throw new LoopJump(name0, Math.min(Number(args[0] ?? 1) || 1, f.loopDepth));
      }
      case 'set': {
        if (args[0] === '--') f.params.splice(0, f.params.length, ...args.slice(1));
        else if (!args.length) f.out(Object.entries(f.env.vars).map(([k, v]) => `${k}='${v}'\n`).join(''));
        return 0;
      }
      case 'shift': {
        const n = Number(args[0] ?? 1);
        if (n > f.params.length) return 1;
        f.params.splice(0, n);
        return 0;
      }
      case 'export': for (const a of args) { const m = /^(\w+)=(.*)$/s.exec(a); if (m) f.env.vars[m[1]!] = m[2]!; } return 0;
      case 'unset': for (const a of args) delete f.env.vars[a]; return 0;
      case 'history': {
        // The interactive shell's line history (busybox ash numbers it from 0).
        const h = f.env.history?.() ?? [];
        f.out(h.map((l, k) => `${String(k).padStart(4)} ${l}\n`).join(''));
        return 0;
      }
      case 'type': case 'command': {
        // `command -v NAME` / `type NAME`: where the shell finds a command (other `command` forms run it).
        if (name0 === 'command' && args[0] !== '-v') return args.length ? this.command(args, assigns, f) : 0;
        let code = 0;
        for (const n of name0 === 'command' ? args.slice(1) : args) {
          const path = SHELL_BUILTINS.includes(n) ? undefined : lookPath(f.env, n);
          if (SHELL_BUILTINS.includes(n)) f.out(name0 === 'type' ? `${n} is a shell builtin\n` : `${n}\n`);
          else if (path) f.out(name0 === 'type' ? `${n} is ${path}\n` : `${path}\n`);
          else { if (name0 === 'type') f.out(`${n}: not found\n`); code = 127; }
        }
        return name0 === 'command' && code ? 1 : code;
      }
      case 'eval': {
        // The words joined by spaces are parsed again and run in this shell (its variables, its params).
        let tree: Node;
        try {
          tree = parse(args.join(' '));
        } catch (err) {
          if (!(err instanceof ShellSyntaxError)) throw err;
          f.err(`sh: eval: ${err.message}\n`);
          return 2;
        }
        return this.exec(tree, f);
      }
      case 'test': case '[': return testExpr(name0 === '[' ? args.slice(0, args[args.length - 1] === ']' ? -1 : undefined) : args, f);
      case 'sh': case 'ash': case '/bin/sh': case '/bin/ash': {
        const inv = parseShellArgs(args);
        if ('error' in inv) { f.err(`${inv.error}\n`); return 2; }
        let script: string;
        let stdin = f.stdin;
        if (inv.from === 'string') script = inv.script;
        else if (inv.from === 'file') {
          const n = f.env.fs.get(Vfs.norm(inv.path, f.env.cwd));
          if (n?.kind !== 'file') { f.err(`sh: can't open '${inv.path}': No such file or directory\n`); return 2; }
          script = n.data;
        } else { script = await readAll(f.stdin); stdin = ''; }
        const proc = f.reserved ?? f.env.procs.spawn(words, f.pid);
        const sub = new Shell(f.env, proc.pid);
        sub.params = inv.params;
        try {
          return await sub.run(script, { out: f.out, err: f.err, signal: f.signal, stdin });
        } finally {
          f.env.procs.exit(proc.pid);
        }
      }
    }
    // A path runs only what is there; a bare name is looked up among the applets (and the image's binaries).
    const applet = name0.includes('/') && !f.env.fs.get(Vfs.norm(name0, f.env.cwd)) ? undefined : APPLETS[name] ?? (f.env.fs.get(`/${name}`) ? IMAGE_BINARIES[name] : undefined);
    if (!applet) { f.err(`sh: ${name0}: not found\n`); return 127; }
    const saved = assigns.map(([k]) => [k, f.env.vars[k]] as const);
    for (const [k, v] of assigns) f.env.vars[k] = v;
    const proc = f.reserved ?? f.env.procs.spawn(words, f.pid);
    proc.argv = words;
    // A signal (kill PID from another shell) ends this command, not the shell that ran it.
    const killed = new AbortController();
    proc.onSignal = () => killed.abort();
    const signal = AbortSignal.any([f.signal, killed.signal]);
    const stdin = typeof f.stdin === 'string' ? f.stdin : readsStdin(name, args) ? await readAll(f.stdin) : '';
    const run = (argv: string[]): Promise<number> => this.command(argv, [], { ...f, stdin: '', signal, reserved: undefined });
    const io: AppletIo = { env: f.env, stdin, out: f.out, err: f.err, signal, run, ...(f.outBytes ? { outBytes: f.outBytes } : {}) };
    try {
      return await applet(args, io);
    } catch (err) {
      // An applet that trips over its input says so in its own name, as busybox does, and fails.
      if (err instanceof ShellExit || err instanceof LoopJump) throw err;
      f.err(`${name}: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    } finally {
      f.env.procs.exit(proc.pid);
      for (const [k, v] of saved) { if (v === undefined) delete f.env.vars[k]; else f.env.vars[k] = v; }
    }
  }
}

/** What the shell runs itself (Tab completes these with the applets). */
export const SHELL_BUILTINS = [':', 'true', 'false', 'echo', 'printf', 'pwd', 'cd', 'exit', 'break', 'continue', 'set', 'shift', 'export', 'unset', 'eval', 'test', '[', 'type', 'command', 'kill', 'history'];

/** A raw word as ps would show the argument: quotes gone, expansions left as written. */
function unquoteForPs(raw: string): string {
  return raw.replace(/\\(.)|'([^']*)'|"((?:[^"\\]|\\.)*)"/g, (_m, esc: string | undefined, sq: string | undefined, dq: string | undefined) => esc ?? sq ?? dq ?? '');
}

/** Options that take the next word as their value, per applet (the rest are flags). */
const VALUED: Record<string, string[]> = {
  grep: ['-e', '-f', '-m', '-A', '-B', '-C'], egrep: ['-e', '-f', '-m', '-A', '-B', '-C'],
  sort: ['-k', '-t', '-o'], cut: ['-d', '-f', '-c', '-b'], sed: ['-e', '-f'], awk: ['-F', '-v', '-f'], uniq: ['-f', '-s'],
  tar: ['-C', '-f', '-X', '-T'],
};

/** Whether an applet would read standard input with these arguments (no file operands). */
function readsStdin(name: string, args: string[]): boolean {
  if (name === 'tr' || name === 'xargs') return true;
  // grep's -n and -c are flags (`grep -R "test_opamp" -n FILE` reads FILE, not a terminal's stdin); head/tail's take a value.
  const valued = VALUED[name] ?? ['-n', '-c'];
  const operands = args.filter((a, k) => (!a.startsWith('-') || a === '-') && !valued.includes(args[k - 1] ?? ''));
  if (name === 'grep' || name === 'egrep') return operands.length <= 1;
  // sed and awk take their program as the first operand unless given with -e / -f.
  if (name === 'sed' || name === 'awk') return operands.length <= (args.some((a) => a === '-e' || a === '-f') ? 0 : 1) || operands.includes('-');
  if (name === 'tar') {
    const f = args.findIndex((a) => a === '-f' || /^-?[a-zA-Z]*f$/.test(a));
    return /^-?[a-zA-Z]*x/.test(args[0] ?? '') || args.includes('-x') ? f < 0 || args[f + 1] === '-' : false;
  }
  return ['cat', 'head', 'tail', 'wc', 'sha256sum', 'md5sum', 'sort', 'uniq', 'cut'].includes(name) && (operands.length === 0 || operands.includes('-'));
}

/** test / [ with the unary file and string tests and the binary string and integer comparisons. */
function testExpr(a: string[], f: Frame): number {
  if (a[0] === '!') return testExpr(a.slice(1), f) === 0 ? 1 : 0;
  const node = (p: string) => f.env.fs.get(Vfs.norm(p, f.env.cwd));
  const int = (s: string): number | undefined => (/^\s*-?\d+\s*$/.test(s) ? Number(s) : undefined);
  if (a.length === 0) return 1;
  if (a.length === 1) return a[0] ? 0 : 1;
  if (a.length === 2) {
    const [op, x] = a as [string, string];
    const n = node(x);
    const r = op === '-f' ? n?.kind === 'file' : op === '-d' ? n?.kind === 'dir' : op === '-e' ? !!n : op === '-s' ? !!n && n.data.length > 0
      : op === '-r' || op === '-w' ? !!n : op === '-x' ? !!n && (n.mode & 0o111) !== 0 : op === '-n' ? x !== '' : op === '-z' ? x === '' : undefined;
    if (r === undefined) { f.err(`sh: ${op}: unknown operand\n`); return 2; }
    return r ? 0 : 1;
  }
  const [x, op, y] = a as [string, string, string];
  if (op === '=' || op === '==') return x === y ? 0 : 1;
  if (op === '!=') return x !== y ? 0 : 1;
  const cmp: Record<string, (p: number, q: number) => boolean> = { '-eq': (p, q) => p === q, '-ne': (p, q) => p !== q, '-lt': (p, q) => p < q, '-le': (p, q) => p <= q, '-gt': (p, q) => p > q, '-ge': (p, q) => p >= q };
  if (cmp[op]) {
    const p = int(x); const q = int(y);
    if (p === undefined || q === undefined) { f.err(`sh: ${p === undefined ? x : y}: bad number\n`); return 2; }
    return cmp[op]!(p, q) ? 0 : 1;
  }
  if (a.length > 3 && (a.includes('-a') || a.includes('-o'))) {
    const k = a.includes('-o') ? a.indexOf('-o') : a.indexOf('-a');
    const l = testExpr(a.slice(0, k), f) === 0; const r = testExpr(a.slice(k + 1), f) === 0;
    return (a[k] === '-o' ? l || r : l && r) ? 0 : 1;
  }
  f.err(`sh: ${op}: unknown operand\n`);
  return 2;
}

/** Runs a script to completion and collects its output (tests, one-shot exec). */
export async function runScript(script: string, env: ShellEnv, pid = 0): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const code = await new Shell(env, pid).run(script, { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { out, err, code };
}

// The busybox applets an emulated pod offers, with busybox's output formats
// (ps without a PPID column, ls -l columns, "can't open" errors).
import { createHash } from 'node:crypto';
import { SYSTEM_APPLETS, kill } from './appletsSystem';
import { NET_APPLETS } from './appletsNet';
import { awk } from './awk';
import { tar } from './appletsTar';
import { TEXT_APPLETS } from './appletsText';
import { comm, type Proc, type ProcessTable } from './processTable';
import type { SimNetwork } from './types';
import { sizeOf, Vfs, type VNode } from './vfs';

export interface ShellEnv {
  fs: Vfs;
  procs: ProcessTable;
  cwd: string;
  vars: Record<string, string>;
  hostname: string;
  /** Set for exec with a tty; resize messages update it. */
  tty?: { cols: number; rows: number };
  /** The pod's view of the cluster network (wget, nslookup); absent in bare test environments. */
  network?: SimNetwork;
  namespace?: string;
  podIp?: string;
  /** The real 127.0.0.1 port behind a port something in this pod listens on. */
  localPort?: (port: number) => number | undefined;
  /** The interactive shell's history, oldest first (the `history` builtin). */
  history?: () => string[];
  /** What listens in the pod, for netstat. */
  listeners?: () => Listener[];
}

export interface Listener { address: string; port: number; pid: number; program: string }

export interface AppletIo {
  env: ShellEnv;
  stdin: string;
  out(s: string): void;
  err(s: string): void;
  signal: AbortSignal;
  /** Raw bytes to stdout, when it is the session's own (not a pipe): tar's archive to `kubectl cp`. */
  outBytes?(data: Uint8Array): void;
  /** Runs a command as the shell would (xargs, find -exec), its output to this applet's. */
  run?: (argv: string[]) => Promise<number>;
}

type Applet = (args: string[], io: AppletIo) => number | Promise<number>;

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number): string => String(n).padStart(2, '0');

function lsDate(d: Date): string {
  return `${MON[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

function isoDate(d: Date): string {
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')}000000 +0000`;
}

function modeStr(n: VNode): string {
  let s = n.kind === 'dir' ? 'd' : n.link !== undefined ? 'l' : '-';
  for (let b = 8; b >= 0; b--) s += (n.mode >> b) & 1 ? 'rwx'[(8 - b) % 3] : '-';
  return s;
}

const bytes = (s: string): number => Buffer.byteLength(s);
const cantOpen = (name: string, f: string): string => `${name}: can't open '${f}': No such file or directory\n`;

function readFile(io: AppletIo, p: string): string | undefined {
  const n = io.env.fs.get(Vfs.norm(p, io.env.cwd));
  return n?.kind === 'file' ? n.data : undefined;
}

/** Runs `each` over the named files (or stdin), printing busybox's error for missing ones. */
function overFiles(name: string, names: string[], io: AppletIo, each: (text: string, file: string | undefined) => void): number {
  // "--" ends the options (the engine passes it before paths it did not write itself).
  const dashes = names.indexOf('--');
  const files = dashes >= 0 ? [...names.slice(0, dashes), ...names.slice(dashes + 1)] : names;
  if (!files.length) { each(io.stdin, undefined); return 0; }
  let code = 0;
  for (const f of files) {
    const text = f === '-' ? io.stdin : readFile(io, f);
    if (text === undefined) { io.err(cantOpen(name, f)); code = 1; } else each(text, f);
  }
  return code;
}

function headTail(name: 'head' | 'tail', args: string[], io: AppletIo): number {
  let lines = 10;
  let count: { bytes: number; fromStart: boolean } | undefined;
  const files: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k]!;
    if (a === '-n' || a === '-c') {
      const v = args[++k] ?? '';
      if (!/^\+?\d+$/.test(v)) { io.err(`${name}: invalid number '${v}'\n`); return 1; }
      if (a === '-n') lines = Number(v.replace('+', '')); else count = { bytes: Number(v.replace('+', '')), fromStart: v.startsWith('+') };
    } else if (/^-\d+$/.test(a)) lines = Number(a.slice(1));
    else if (/^-n\d+$/.test(a)) lines = Number(a.slice(2));
    else files.push(a);
  }
  return overFiles(name, files, io, (text) => {
    if (count) {
      const buf = Buffer.from(text);
      const slice = name === 'head' ? buf.subarray(0, count.bytes) : count.fromStart ? buf.subarray(Math.max(0, count.bytes - 1)) : buf.subarray(Math.max(0, buf.length - count.bytes));
      io.out(slice.toString());
      return;
    }
    const ls = text.split('\n');
    if (ls[ls.length - 1] === '') ls.pop();
    const sel = name === 'head' ? ls.slice(0, lines) : ls.slice(Math.max(0, ls.length - lines));
    io.out(sel.map((l) => `${l}\n`).join(''));
  });
}

/** tr's SET syntax: \NNN octal, \n \t \\ escapes and a-z ranges. */
function trSet(spec: string): string[] {
  const chars: string[] = [];
  for (let i = 0; i < spec.length; i++) {
    let c = spec[i]!;
    if (c === '\\' && i + 1 < spec.length) {
      const oct = /^[0-7]{1,3}/.exec(spec.slice(i + 1));
      if (oct) { c = String.fromCharCode(parseInt(oct[0], 8)); i += oct[0].length; }
      else { const e = spec[++i]!; c = e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e; }
    }
    if (spec[i + 1] === '-' && i + 2 < spec.length) {
      const end = spec.charCodeAt(i + 2);
      for (let k = c.charCodeAt(0); k <= end; k++) chars.push(String.fromCharCode(k));
      i += 2;
    } else chars.push(c);
  }
  return chars;
}

function tr(args: string[], io: AppletIo): number {
  const del = args[0] === '-d';
  const sets = del ? args.slice(1) : args;
  if (!sets[0] || (!del && sets[1] === undefined)) { io.err('tr: missing operand\n'); return 1; }
  const from = trSet(sets[0]);
  if (del) { io.out([...io.stdin].filter((c) => !from.includes(c)).join('')); return 0; }
  const to = trSet(sets[1]!);
  const map = new Map(from.map((c, k) => [c, to[Math.min(k, to.length - 1)] ?? c]));
  io.out([...io.stdin].map((c) => map.get(c) ?? c).join(''));
  return 0;
}

function stat(args: string[], io: AppletIo): number {
  let format: string | undefined;
  const files: string[] = [];
  for (let k = 0; k < args.length; k++) {
    if (args[k] === '-c') format = args[++k];
    else if (args[k]!.startsWith('-c')) format = args[k]!.slice(2);
    else files.push(args[k]!);
  }
  if (!files.length) { io.err('stat: missing operand\n'); return 1; }
  let code = 0;
  for (const f of files) {
    const n = io.env.fs.get(Vfs.norm(f, io.env.cwd));
    if (!n) { io.err(`stat: can't stat '${f}': No such file or directory\n`); code = 1; continue; }
    const size = sizeOf(n);
    const type = n.kind === 'dir' ? 'directory' : size ? 'regular file' : 'regular empty file';
    if (format !== undefined) {
      io.out(`${format.replace(/%([sYnaAUGyFX%])/g, (_m, k: string) => {
        switch (k) {
          case 's': return String(size);
          case 'Y': return String(Math.floor(n.mtime.getTime() / 1000));
          case 'X': return String(Math.floor(n.mtime.getTime() / 1000));
          case 'n': return f;
          case 'a': return n.mode.toString(8);
          case 'A': return modeStr(n);
          case 'U': case 'G': return 'root';
          case 'y': return isoDate(n.mtime);
          case 'F': return type;
          default: return '%';
        }
      })}\n`);
      continue;
    }
    const t = isoDate(n.mtime);
    io.out(`  File: ${f}\n  Size: ${String(size).padEnd(10)}\tBlocks: ${String(Math.ceil(size / 512)).padEnd(10)} IO Block: 4096   ${type}\n`
      + `Device: 803h/2051d\tInode: 1234567     Links: 1\nAccess: (0${n.mode.toString(8)}/${modeStr(n)})  Uid: (    0/    root)   Gid: (    0/    root)\n`
      + `Access: ${t}\nModify: ${t}\nChange: ${t}\n`);
  }
  return code;
}

function ls(args: string[], io: AppletIo): number {
  const flags = args.filter((a) => a.startsWith('-')).join('');
  const paths = args.filter((a) => !a.startsWith('-'));
  const { fs, cwd } = io.env;
  // busybox: "%-10s %4lu %-8.8s %-8.8s %9llu %s %s"
  const line = (p: string, label: string): string => {
    const n = fs.get(p)!;
    return `${modeStr(n)} ${String(n.kind === 'dir' ? 2 : 1).padStart(4)} root     root     ${String(sizeOf(n)).padStart(9)} ${lsDate(n.mtime)} ${label}${n.link !== undefined ? ` -> ${n.link}` : ''}\n`;
  };
  let code = 0;
  for (const raw of paths.length ? paths : ['.']) {
    const p = Vfs.norm(raw, cwd);
    const n = fs.get(p);
    if (!n) { io.err(`ls: ${raw}: No such file or directory\n`); code = 1; continue; }
    if (n.kind === 'file' || flags.includes('d')) { io.out(flags.includes('l') ? line(p, raw) : `${raw}\n`); continue; }
    const names = [...(flags.includes('a') ? ['.', '..'] : []), ...fs.list(p).filter((x) => flags.includes('a') || !x.startsWith('.'))];
    const child = (x: string): string => (x === '.' ? p : x === '..' ? Vfs.norm(`${p}/..`) : `${p === '/' ? '' : p}/${x}`);
    if (flags.includes('l')) {
      io.out('total 0\n');
      for (const x of names) io.out(line(child(x), x));
    } else io.out(names.map((x) => `${x}\n`).join(''));
  }
  return code;
}

function grep(args: string[], io: AppletIo, extended: boolean): number {
  const flags = new Set<string>();
  const rest: string[] = [];
  const patterns: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k]!;
    // -e PATTERN (repeatable) gives the patterns; then every operand is a file.
    if (a === '-e') { patterns.push(args[++k] ?? ''); continue; }
    if (/^-[A-Za-z]+$/.test(a)) for (const c of a.slice(1)) flags.add(c); else rest.push(a);
  }
  if (flags.has('E')) extended = true;
  if (!patterns.length) { const p = rest.shift(); if (p !== undefined) patterns.push(p); }
  if (!patterns.length) { io.err('Usage: grep [-HhnlLoqvsrRiwFE] PATTERN [FILE]...\n'); return 2; }
  const pat = patterns.join('|');
  let re: RegExp;
  try {
    // Basic regex: \| is alternation and bare | ( ) are literal; extended is close to JS.
    const one = (p: string): string => (flags.has('F') ? p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') : extended ? p : p.replace(/\\([|()])|([|()])/g, (_m, esc: string | undefined, bare: string | undefined) => (esc ? esc : `\\${bare}`)));
    re = new RegExp(patterns.map((p) => `(?:${one(p)})`).join('|'), flags.has('i') ? 'i' : '');
  } catch {
    io.err(`grep: bad regex '${pat}'\n`);
    return 2;
  }
  const recursive = flags.has('R') || flags.has('r');
  const { fs, cwd } = io.env;
  const sources: [string | undefined, string][] = [];
  const walk = (p: string, label: string): void => {
    const n = fs.get(p);
    if (n?.kind === 'file') sources.push([label, n.data]);
    else if (n?.kind === 'dir') for (const x of fs.list(p)) walk(`${p === '/' ? '' : p}/${x}`, `${label.replace(/\/$/, '')}/${x}`);
  };
  let err = false;
  if (!rest.length) sources.push([undefined, io.stdin]);
  for (const f of rest) {
    const p = Vfs.norm(f, cwd);
    const n = fs.get(p);
    if (!n) { io.err(`grep: ${f}: No such file or directory\n`); err = true; }
    else if (n.kind === 'dir' && !recursive) { io.err(`grep: ${f}: Is a directory\n`); }
    else if (recursive) walk(p, f);
    else sources.push([f, n.data]);
  }
  const named = sources.length > 1 || (recursive && rest.some((f) => fs.get(Vfs.norm(f, cwd))?.kind === 'dir'));
  let matched = 0;
  for (const [file, text] of sources) {
    const ls = text.split('\n');
    if (ls[ls.length - 1] === '') ls.pop();
    let count = 0;
    ls.forEach((l, idx) => {
      if (re.test(l) === flags.has('v')) return;
      count++; matched++;
      if (!flags.has('c') && !flags.has('q') && !flags.has('l')) io.out(`${named && file ? `${file}:` : ''}${flags.has('n') ? `${idx + 1}:` : ''}${l}\n`);
    });
    if (flags.has('c') && !flags.has('q')) io.out(`${named && file ? `${file}:` : ''}${count}\n`);
    if (flags.has('l') && count && file) io.out(`${file}\n`);
  }
  return err && !matched ? 2 : matched ? 0 : 1;
}

function sleep(args: string[], io: AppletIo): Promise<number> | number {
  const secs = Number(args[0]);
  if (!args[0] || !Number.isFinite(secs) || secs < 0) { io.err(`sleep: invalid number '${args[0] ?? ''}'\n`); return 1; }
  return new Promise((resolve) => {
    if (io.signal.aborted) { resolve(130); return; }
    const t = setTimeout(() => { io.signal.removeEventListener('abort', onAbort); resolve(0); }, secs * 1000);
    const onAbort = (): void => { clearTimeout(t); resolve(130); };
    io.signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** ps -o columns as busybox 1.36 has them: header, width, right-aligned (numbers). */
const PS_COLUMNS: Record<string, [string, number, boolean, (p: Proc, io: AppletIo) => string]> = {
  pid: ['PID', 5, true, (p) => String(p.pid)],
  ppid: ['PPID', 5, true, (p) => String(p.ppid)],
  pgid: ['PGID', 5, true, (p) => String(p.pid)],
  sid: ['SID', 5, true, (p) => String(p.pid)],
  user: ['USER', 8, false, (p) => p.user],
  ruser: ['RUSER', 8, false, (p) => p.user],
  group: ['GROUP', 8, false, () => 'root'],
  rgroup: ['RGROUP', 8, false, () => 'root'],
  comm: ['COMMAND', 16, false, (p) => comm(p)],
  args: ['COMMAND', 0, false, (p) => p.argv.join(' ')],
  vsz: ['VSZ', 4, true, (p) => (/otelcol|opampsupervisor|node|server/.test(p.argv[0] ?? '') ? '1.2g' : '1700')],
  rss: ['RSS', 4, true, (p) => (/otelcol|opampsupervisor|node|server/.test(p.argv[0] ?? '') ? '92m' : '1036')],
  stat: ['STAT', 4, false, () => 'S'],
  tty: ['TT', 6, false, () => '?'],
  nice: ['NI', 5, true, () => '0'],
};

/**
 * The width busybox formats for (libbb's get_terminal_width_height): a size of 0 or 1 — a pty nobody
 * sized, as under `script` without a terminal — or an absurd one counts as 80 columns.
 */
export function terminalWidth(tty: { cols: number }): number {
  return tty.cols <= 1 || tty.cols >= 30000 ? 80 : tty.cols;
}

/** busybox ps: PID USER TIME COMMAND, or the -o columns (`pid=` hides a header); cut at the terminal's width. */
function ps(args: string[], io: AppletIo): number {
  const specs: string[] = [];
  for (let k = 0; k < args.length; k++) if (args[k] === '-o') specs.push(...(args[++k] ?? '').split(',')); else if (args[k]!.startsWith('-o')) specs.push(...args[k]!.slice(2).split(','));
  const fit = (line: string): string => (io.env.tty ? line.slice(0, terminalWidth(io.env.tty)) : line);
  const procs = [...io.env.procs.procs.values()];
  if (!specs.length) {
    io.out(`PID   USER     TIME  COMMAND\n${procs.map((p) => `${fit(`${String(p.pid).padStart(5)} ${p.user.padEnd(8)}  0:00 ${p.argv.join(' ')}`)}\n`).join('')}`);
    return 0;
  }
  const cols: { head: string; width: number; right: boolean; get: (p: Proc, io: AppletIo) => string }[] = [];
  for (const spec of specs) {
    const [name = '', header] = spec.split('=');
    const c = PS_COLUMNS[name];
    if (!c) { io.err(`ps: bad -o argument '${name}', supported arguments: user,group,comm,args,pid,ppid,pgid,nice,rgroup,ruser,tty,vsz,sid,stat,rss\n`); return 1; }
    cols.push({ head: header ?? c[0], width: c[1], right: c[2], get: c[3] });
  }
  const row = (cells: string[], header: boolean): string => fit(cells.map((v, k) => {
    const c = cols[k]!;
    if (k === cols.length - 1 && !c.width) return v;
    const w = Math.max(c.width, 1);
    return (c.right && !header ? v.padStart(w) : v.padEnd(w)).slice(0, c.width || undefined);
  }).join(' ').trimEnd());
  if (cols.some((c) => c.head)) io.out(`${row(cols.map((c) => c.head), true)}\n`);
  for (const p of procs) io.out(`${row(cols.map((c) => c.get(p, io)), false)}\n`);
  return 0;
}

function hashSum(algo: 'sha256' | 'md5', name: string, args: string[], io: AppletIo): number {
  return overFiles(name, args, io, (text, f) => io.out(`${createHash(algo).update(text).digest('hex')}  ${f ?? '-'}\n`));
}

/** wc: lines, words, bytes; one count of one input unpadded, else busybox's %9u columns and a total. */
function wc(args: string[], io: AppletIo): number {
  const flags = args.filter((a) => a.startsWith('-') && a !== '-').join('');
  const which = ['l', 'w', 'c'].filter((k) => flags.includes(k) || (k === 'c' && flags.includes('m')));
  const kinds = which.length ? which : ['l', 'w', 'c'];
  const files = args.filter((a) => !a.startsWith('-') || a === '-');
  const rows: [number[], string | undefined][] = [];
  const code = overFiles('wc', files, io, (t, f) => {
    const counts = { l: t.split('\n').length - 1, w: t.split(/\s+/).filter(Boolean).length, c: bytes(t) } as Record<string, number>;
    rows.push([kinds.map((k) => counts[k]!), f]);
  });
  if (rows.length > 1) rows.push([kinds.map((_k, j) => rows.reduce((sum, r) => sum + r[0][j]!, 0)), 'total']);
  const bare = kinds.length === 1 && rows.length === 1;
  for (const [counts, f] of rows) io.out(`${counts.map((n) => (bare ? String(n) : String(n).padStart(9))).join(' ')}${f ? ` ${f}` : ''}\n`);
  return code;
}

export const APPLETS: Record<string, Applet> = {
  ...SYSTEM_APPLETS,
  ...TEXT_APPLETS,
  ...NET_APPLETS,
  tar,
  awk,
  // kill is an ash builtin: its errors name the shell.
  kill: (args, io) => kill(args, io, 'sh'),
  cat: (args, io) => overFiles('cat', args, io, (t) => io.out(t)),
  head: (args, io) => headTail('head', args, io),
  tail: (args, io) => headTail('tail', args, io),
  ps,
  grep: (args, io) => grep(args, io, false),
  egrep: (args, io) => grep(args, io, true),
  ls,
  stat,
  tr,
  sleep,
  sha256sum: (args, io) => hashSum('sha256', 'sha256sum', args, io),
  md5sum: (args, io) => hashSum('md5', 'md5sum', args, io),
  wc,
  hostname: (_a, io) => { io.out(`${io.env.hostname}\n`); return 0; },
  id: (_a, io) => { io.out('uid=0(root) gid=0(root) groups=0(root),1(bin),2(daemon),3(sys),4(adm),6(disk),10(wheel),11(floppy),20(dialout),26(tape),27(video)\n'); return 0; },
  env: (_a, io) => { io.out(Object.entries(io.env.vars).map(([k, v]) => `${k}=${v}\n`).join('')); return 0; },
  date: (_a, io) => { io.out(`${new Date().toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5 UTC $4')}\n`); return 0; },
  stty: (args, io) => {
    if (!io.env.tty) { io.err("stty: standard input: Not a tty\n"); return 1; }
    if (args[0] === 'size') io.out(`${io.env.tty.rows} ${io.env.tty.cols}\n`);
    return 0;
  },
  uname: (args, io) => { io.out(args.includes('-a') ? `Linux ${io.env.hostname} 6.1.0 #1 SMP x86_64 Linux\n` : 'Linux\n'); return 0; },
};

/**
 * The agent image's own binaries, run from a shell: `--version` answers as the 0.136.0 releases do;
 * anything else would start a second supervisor or collector, which the embedded lab does not emulate.
 */
export const IMAGE_BINARIES: Record<string, Applet> = Object.fromEntries(['otelcol-contrib', 'opampsupervisor'].map((bin) => [bin, (args: string[], io: AppletIo): number => {
  if (bin === 'otelcol-contrib' && (args[0] === '--version' || args[0] === '-v')) { io.out('otelcol-contrib version 0.136.0\n'); return 0; }
  if (bin === 'opampsupervisor' && (args[0] === '--version' || args[0] === '-version')) { io.err('flag provided but not defined: -version\nUsage of /opampsupervisor:\n      --config string   Path to a supervisor configuration file\n'); return 2; }
  io.err(`${bin}: the embedded lab runs /${bin} only as the container's own process (PID ${bin === 'opampsupervisor' ? 1 : 2}); a second one is not emulated\n`);
  return 1;
}]));

/** What exec can start directly, as kubelet would find it on PATH. */
export const EXECUTABLES = new Set([...Object.keys(APPLETS), 'sh', 'ash', 'echo', 'test', '[', 'true', 'false', 'pwd']);

// busybox's process, memory, disk and terminal applets as an emulated pod shows
// them: kill (with the signal's real effect), free, top -b, df, du, netstat,
// which, clear, tty, printenv. Formats follow busybox 1.36's printf strings.
import { terminalWidth, type AppletIo, type ShellEnv } from './applets';
import { MEMORY_KB, SIGNALS, signalNumber, type Signal } from './processTable';
import { sizeOf, Vfs } from './vfs';

export type Applet = (args: string[], io: AppletIo) => number | Promise<number>;

/** Parses kill's signal option: -9, -KILL, -SIGKILL, -s KILL, -n 9. */
function signalOf(spec: string): Signal | undefined {
  if (/^\d+$/.test(spec)) return SIGNALS[Number(spec) - 1];
  const name = spec.toUpperCase().replace(/^SIG/, '');
  return (SIGNALS as readonly string[]).includes(name) ? (name as Signal) : undefined;
}

export function kill(args: string[], io: AppletIo, name = 'kill'): number {
  let signal: Signal = 'TERM';
  const rest = [...args];
  if (rest[0] === '-l') {
    if (rest[1]) { const s = signalOf(rest[1]); if (!s) { io.err(`${name}: bad signal name '${rest[1]}'\n`); return 1; } io.out(/^\d+$/.test(rest[1]) ? `${s}\n` : `${signalNumber(s)}\n`); return 0; }
    io.out(SIGNALS.map((s, k) => `${String(k + 1).padStart(2)}) ${s}`).join('\n') + '\n');
    return 0;
  }
  if (rest[0] === '-s' || rest[0] === '-n') { rest.shift(); const s = signalOf(rest.shift() ?? ''); if (!s) { io.err(`${name}: bad signal name\n`); return 1; } signal = s; }
  else if (rest[0]?.startsWith('-') && rest[0] !== '--') { const s = signalOf(rest.shift()!.slice(1)); if (!s) { io.err(`${name}: bad signal name '${args[0]!.slice(1)}'\n`); return 1; } signal = s; }
  if (rest[0] === '--') rest.shift();
  if (!rest.length) { io.err(`${name}: usage: kill [-s SIGNAL | -SIGNAL] PID...\n`); return 1; }
  let code = 0;
  for (const p of rest) {
    if (!/^-?\d+$/.test(p)) { io.err(`${name}: invalid number '${p}'\n`); code = 1; continue; }
    if (!io.env.procs.kill(Number(p), signal)) { io.err(`${name}: can't kill pid ${p}: No such process\n`); code = 1; }
  }
  return code;
}

function free(args: string[], io: AppletIo): number {
  const m = MEMORY_KB;
  const div = args.includes('-m') ? 1024 : args.includes('-g') ? 1024 * 1024 : 1;
  const cache = m.buffers + m.cached;
  const used = m.total - m.free - cache;
  const col = (n: number): string => String(Math.floor(n / div)).padStart(12);
  io.out(`       ${['total', 'used', 'free', 'shared', 'buff/cache', 'available'].map((h) => h.padStart(12)).join('')}\n`
    + `Mem:   ${[m.total, used, m.free, m.shared, cache, m.available].map(col).join('')}\nSwap:  ${[0, 0, 0].map(col).join('')}\n`);
  return 0;
}

/** top: -b prints frames one after another; without it each frame clears the screen. -n COUNT, -d SECONDS; Ctrl-C ends it. */
async function top(args: string[], io: AppletIo): Promise<number> {
  const batch = args.some((a) => /^-[a-z]*b/.test(a));
  const valueOf = (flag: string): number | undefined => {
    const k = args.findIndex((a) => a === `-${flag}` || (a.startsWith('-') && a.endsWith(flag) && !a.startsWith('--')));
    const v = k >= 0 ? args[k + 1] : undefined;
    return v !== undefined && /^\d+(\.\d+)?$/.test(v) ? Number(v) : undefined;
  };
  const count = valueOf('n') ?? Infinity;
  const delay = valueOf('d') ?? 5;
  for (let frame = 0; frame < count; frame++) {
    if (frame > 0) {
      const stopped = await new Promise<boolean>((resolve) => {
        if (io.signal.aborted) { resolve(true); return; }
        const t = setTimeout(() => { io.signal.removeEventListener('abort', onAbort); resolve(false); }, delay * 1000);
        const onAbort = (): void => { clearTimeout(t); resolve(true); };
        io.signal.addEventListener('abort', onAbort, { once: true });
      });
      if (stopped) return 130;
    }
    if (!batch) io.out('\u001b[H\u001b[J');
    topFrame(io);
  }
  return 0;
}

function topFrame(io: AppletIo): void {
  const m = MEMORY_KB;
  const procs = [...io.env.procs.procs.values()];
  io.out(`Mem: ${m.total - m.free}K used, ${m.free}K free, ${m.shared}K shrd, ${m.buffers}K buff, ${m.cached}K cached\n`
    + 'CPU:   0% usr   0% sys   0% nic 100% idle   0% io   0% irq   0% sirq\n'
    + `Load average: 0.08 0.12 0.10 1/${procs.length} ${Math.max(0, ...procs.map((p) => p.pid))}\n`
    + '  PID  PPID USER     STAT   VSZ %VSZ %CPU COMMAND\n');
  for (const p of procs) {
    const vsz = p.argv[0]?.includes('otelcol') ? '1312m' : p.argv[0]?.includes('opampsupervisor') ? '1245m' : p.argv[0]?.includes('node') ? '1061m' : ' 1700';
    const pct = vsz.endsWith('m') ? '16%' : ' 0%';
    const line = `${String(p.pid).padStart(5)} ${String(p.ppid).padStart(5)} ${p.user.padEnd(8)} S    ${vsz.padStart(5)} ${pct.padStart(4)}   0% ${p.argv.join(' ')}`;
    io.out(`${io.env.tty ? line.slice(0, terminalWidth(io.env.tty) - 1) : line}\n`);
  }
}

/** Disk usage as busybox counts it: 4 KiB blocks, a folder's own block included. */
function usage(fs: Vfs, path: string): number {
  const n = fs.get(path);
  if (!n) return 0;
  if (n.kind === 'file') return n.link !== undefined ? 0 : Math.ceil(sizeOf(n) / 4096) * 4;
  if (path.startsWith('/proc')) return 0;
  return 4 + fs.list(path).reduce((sum, c) => sum + usage(fs, `${path === '/' ? '' : path}/${c}`), 0);
}

function human(kb: number): string {
  const units = ['K', 'M', 'G', 'T'];
  let v = kb;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${v.toFixed(1)}${units[u]}`;
}

function du(args: string[], io: AppletIo): number {
  const flags = args.filter((a) => a.startsWith('-')).join('');
  const paths = args.filter((a) => !a.startsWith('-'));
  const fmt = (kb: number): string => (flags.includes('h') ? human(kb) : flags.includes('m') ? String(Math.ceil(kb / 1024)) : String(kb));
  let code = 0;
  for (const raw of paths.length ? paths : ['.']) {
    const p = Vfs.norm(raw, io.env.cwd);
    if (!io.env.fs.get(p)) { io.err(`du: can't open '${raw}': No such file or directory\n`); code = 1; continue; }
    const walk = (path: string, label: string): number => {
      const n = io.env.fs.get(path)!;
      if (n.kind === 'file') { const k = usage(io.env.fs, path); if (flags.includes('a') || label === raw) io.out(`${fmt(k)}\t${label}\n`); return k; }
      let total = 4;
      if (!path.startsWith('/proc')) for (const c of io.env.fs.list(path)) total += walk(`${path === '/' ? '' : path}/${c}`, `${label.replace(/\/$/, '')}/${c}`);
      if (!flags.includes('s') || label === raw) io.out(`${fmt(total)}\t${label}\n`);
      return total;
    };
    walk(p, raw);
  }
  return code;
}

/** The container's mounts as df lists them (the overlay root, /dev, /dev/shm, the node disk behind /etc/hosts, volumes). */
function df(args: string[], io: AppletIo): number {
  const h = args.includes('-h');
  const used = usage(io.env.fs, '/');
  const rows: [string, number, number, string][] = [
    ['overlay', 81_106_868, 21_384_512 + used, '/'],
    ['tmpfs', 65_536, 0, '/dev'],
    ['shm', 65_536, 0, '/dev/shm'],
    ['/dev/sda1', 81_106_868, 21_384_512, '/etc/hosts'],
    ['/dev/sda1', 81_106_868, 21_384_512, '/etc/hostname'],
    ['/dev/sda1', 81_106_868, 21_384_512, '/etc/resolv.conf'],
  ];
  if (io.env.fs.get('/storage')?.kind === 'dir') rows.splice(3, 0, ['/dev/sda1', 81_106_868, 21_384_512, '/storage']);
  const num = (kb: number): string => (h ? human(kb).replace(/\.0K$/, '.0K') : String(kb)).padStart(9);
  io.out(h ? 'Filesystem                Size      Used Available Use% Mounted on\n' : 'Filesystem           1K-blocks      Used Available Use% Mounted on\n');
  for (const [dev, total, use, mount] of rows) {
    const avail = Math.max(0, total - use - Math.floor(total * 0.05));
    const pct = total ? Math.ceil((use * 100) / (use + avail)) : 0;
    io.out(`${dev.padEnd(20)} ${num(total)} ${num(use)} ${num(avail)} ${String(pct).padStart(3)}% ${mount}\n`);
  }
  return 0;
}

function netstat(args: string[], io: AppletIo): number {
  const flags = args.join('');
  const listening = flags.includes('l');
  io.out(`Active Internet connections (${listening ? 'only servers' : 'w/o servers'})\n`);
  io.out(`Proto Recv-Q Send-Q Local Address           Foreign Address         State       ${flags.includes('p') ? 'PID/Program name' : ''}\n`);
  if (!listening) return 0;
  for (const l of io.env.listeners?.() ?? []) {
    const local = `${l.address}:${l.port}`;
    const foreign = l.address.includes(':') ? ':::*' : '0.0.0.0:*';
    io.out(`${(l.address.includes(':') ? 'tcp' : 'tcp').padEnd(5)} ${'0'.padStart(6)} ${'0'.padStart(6)} ${local.padEnd(23)} ${foreign.padEnd(23)} ${'LISTEN'.padEnd(12)}${flags.includes('p') ? `${l.pid}/${l.program}` : ''}\n`);
  }
  return 0;
}

/** Finds a command on PATH as the shell would (the applet links under /bin, /usr/bin…). */
export function lookPath(env: ShellEnv, name: string): string | undefined {
  if (name.includes('/')) return env.fs.get(Vfs.norm(name, env.cwd))?.kind === 'file' ? name : undefined;
  for (const dir of (env.vars.PATH ?? '/bin:/usr/bin').split(':')) {
    const n = env.fs.get(`${dir}/${name}`);
    if (n?.kind === 'file' && (n.mode & 0o111)) return `${dir}/${name}`;
  }
  return undefined;
}

/** mkdir [-p]: busybox's messages for an existing path or a missing parent. */
function mkdir(args: string[], io: AppletIo): number {
  const parents = args.some((a) => /^-[a-z]*p/.test(a));
  let code = 0;
  for (const raw of args.filter((a) => !a.startsWith('-'))) {
    const p = Vfs.norm(raw, io.env.cwd);
    const parts = p.split('/').filter(Boolean);
    if (io.env.fs.get(p)) { if (!parents) { io.err(`mkdir: can't create directory '${raw}': File exists\n`); code = 1; } continue; }
    const parent = `/${parts.slice(0, -1).join('/')}`;
    if (!parents && io.env.fs.get(parent)?.kind !== 'dir') { io.err(`mkdir: can't create directory '${raw}': No such file or directory\n`); code = 1; continue; }
    for (let k = 1; k <= parts.length; k++) {
      const d = `/${parts.slice(0, k).join('/')}`;
      if (io.env.fs.get(d)?.kind === 'file') { io.err(`mkdir: can't create directory '${raw}': Not a directory\n`); code = 1; break; }
      io.env.fs.mkdir(d);
    }
  }
  return code;
}

/** rm [-r] [-f]: folders only with -r; /proc and / refused as the kernel and busybox refuse them. */
function rm(args: string[], io: AppletIo): number {
  const flags = args.filter((a) => a.startsWith('-')).join('');
  const recursive = /[rR]/.test(flags);
  const force = flags.includes('f');
  let code = 0;
  for (const raw of args.filter((a) => !a.startsWith('-'))) {
    const p = Vfs.norm(raw, io.env.cwd);
    const n = io.env.fs.get(p);
    if (!n) { if (!force) { io.err(`rm: can't remove '${raw}': No such file or directory\n`); code = 1; } continue; }
    if (p === '/' ) { io.err("rm: can't remove '/'\n"); code = 1; continue; }
    if (p === '/proc' || p.startsWith('/proc/')) { io.err(`rm: can't remove '${raw}': Operation not permitted\n`); code = 1; continue; }
    if (n.kind === 'dir' && !recursive) { io.err(`rm: '${raw}' is a directory\n`); code = 1; continue; }
    if (n.kind === 'dir') io.env.fs.removeTree(p); else io.env.fs.remove(p);
  }
  return code;
}

function touch(args: string[], io: AppletIo): number {
  let code = 0;
  for (const raw of args.filter((a) => !a.startsWith('-'))) {
    const p = Vfs.norm(raw, io.env.cwd);
    const n = io.env.fs.get(p);
    if (n) { n.mtime = new Date(); continue; }
    try { io.env.fs.write(p, ''); } catch { io.err(`touch: ${raw}: No such file or directory\n`); code = 1; }
  }
  return code;
}

export const SYSTEM_APPLETS: Record<string, Applet> = {
  mkdir,
  rm,
  touch,
  sync: () => 0,
  kill: (args, io) => kill(args, io),
  free,
  top,
  du,
  df,
  netstat,
  which: (args, io) => {
    let code = args.length ? 0 : 1;
    for (const a of args.filter((x) => !x.startsWith('-'))) { const p = lookPath(io.env, a); if (p) io.out(`${p}\n`); else code = 1; }
    return code;
  },
  clear: (_a, io) => { io.out('\u001b[H\u001b[J'); return 0; },
  tty: (args, io) => {
    if (!io.env.tty) { if (!args.includes('-s')) io.out('not a tty\n'); return 1; }
    if (!args.includes('-s')) io.out('/dev/pts/0\n');
    return 0;
  },
  printenv: (args, io) => {
    if (!args.length) { io.out(Object.entries(io.env.vars).map(([k, v]) => `${k}=${v}\n`).join('')); return 0; }
    let code = 0;
    for (const a of args) { const v = io.env.vars[a]; if (v === undefined) code = 1; else io.out(`${v}\n`); }
    return code;
  },
};

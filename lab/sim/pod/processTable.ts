// The pod's process table and the /proc files generated from it.
import { Vfs, type VNode } from './vfs';

export interface Proc { pid: number; ppid: number; argv: string[]; startMs: number; user: string }

export class ProcessTable {
  private nextPid = 1;
  readonly procs = new Map<number, Proc>();
  readonly bootMs = Date.now();

  spawn(argv: string[], ppid: number): Proc {
    const p: Proc = { pid: this.nextPid++, ppid, argv, startMs: Date.now(), user: 'root' };
    this.procs.set(p.pid, p);
    return p;
  }

  exit(pid: number): void {
    this.procs.delete(pid);
  }

  /** Wires /proc into a file system. */
  mount(fs: Vfs): void {
    fs.dynamicList = (dir) => (dir === '/proc' ? [...[...this.procs.keys()].map(String), 'uptime'] : /^\/proc\/\d+$/.test(dir) ? ['cmdline', 'stat', 'status'] : []);
    fs.dynamic = (path) => this.procFile(path);
  }

  private procFile(path: string): VNode | undefined {
    const file = (data: string): VNode => ({ kind: 'file', data, mode: 0o444, mtime: new Date() });
    if (path === '/proc/uptime') {
      const up = (Date.now() - this.bootMs) / 1000;
      return file(`${up.toFixed(2)} ${(up * 1.8).toFixed(2)}\n`);
    }
    const m = /^\/proc\/(\d+)(?:\/(stat|cmdline|status))?$/.exec(path);
    const p = m ? this.procs.get(Number(m[1])) : undefined;
    if (!m || !p) return undefined;
    if (!m[2]) return { kind: 'dir', data: '', mode: 0o555, mtime: new Date(p.startMs) };
    if (m[2] === 'cmdline') return file(`${p.argv.join('\0')}\0`);
    if (m[2] === 'status') return file(`Name:\t${comm(p)}\nState:\tS (sleeping)\nPid:\t${p.pid}\nPPid:\t${p.ppid}\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n`);
    return file(`${statLine(p, this.bootMs)}\n`);
  }
}

export function comm(p: Proc): string {
  return (p.argv[0] ?? '').split('/').pop()!.slice(0, 15);
}

/** `pid (comm) S ppid pgrp session tty tpgid flags ... starttime(22nd) ...` with clock ticks at 100 Hz. */
export function statLine(p: Proc, bootMs: number): string {
  const ticks = Math.max(0, Math.round((p.startMs - bootMs) / 10));
  const f = [p.pid, `(${comm(p)})`, 'S', p.ppid, p.pid, p.pid, 0, -1, 4194560, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 1, 0, ticks, 0, 0];
  return f.join(' ');
}

export function parseStat(line: string): { pid: number; comm: string; state: string; ppid: number; starttime: number } {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  const rest = line.slice(close + 2).split(' ');
  return { pid: Number(line.slice(0, open - 1)), comm: line.slice(open + 1, close), state: rest[0] ?? '', ppid: Number(rest[1]), starttime: Number(rest[19]) };
}

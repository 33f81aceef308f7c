// The pod's process table and the /proc files generated from it.
import { Vfs, type VNode } from './vfs';

export interface Proc {
  pid: number;
  ppid: number;
  argv: string[];
  startMs: number;
  user: string;
  /** What a signal does to it (its default action is to end it); without this the process just leaves the table. */
  onSignal?: (signal: Signal) => void;
}

/** The signals kill sends, by number, as busybox `kill -l` lists them. */
export const SIGNALS = ['HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT', 'BUS', 'FPE', 'KILL', 'USR1', 'SEGV', 'USR2', 'PIPE', 'ALRM', 'TERM', 'STKFLT', 'CHLD', 'CONT', 'STOP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'XCPU', 'XFSZ', 'VTALRM', 'PROF', 'WINCH', 'POLL', 'PWR', 'SYS'] as const;
export type Signal = (typeof SIGNALS)[number];
export const signalNumber = (s: Signal): number => SIGNALS.indexOf(s) + 1;

/** The node's memory as /proc/meminfo, free and top show it (kB). */
export const MEMORY_KB = { total: 8_141_472, free: 4_553_172, buffers: 120_932, cached: 1_869_456, shared: 3_328, available: 6_302_904 };

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

  /**
   * A new PID namespace, as a restarted container gets: what ran in the old one is killed (exec
   * sessions end as killed) and numbering starts again at 1, so the supervisor is PID 1 again.
   */
  restartNamespace(): void {
    for (const p of [...this.procs.values()]) {
      if (p.onSignal) p.onSignal('KILL');
      this.procs.delete(p.pid);
    }
    this.nextPid = 1;
  }

  /** Sends a signal; false when there is no such process. */
  kill(pid: number, signal: Signal): boolean {
    const p = this.procs.get(pid);
    if (!p) return false;
    // Signals that do not end a process by default, or that it handles, leave it running.
    if (['CHLD', 'CONT', 'URG', 'WINCH', 'STOP', 'TSTP', 'TTIN', 'TTOU'].includes(signal)) return true;
    if (p.onSignal) p.onSignal(signal);
    else this.exit(pid);
    return true;
  }

  /** Wires /proc into a file system. */
  mount(fs: Vfs): void {
    fs.dynamicList = (dir) => (dir === '/proc' ? [...[...this.procs.keys()].map(String), ...Object.keys(PROC_FILES), 'uptime'] : /^\/proc\/\d+$/.test(dir) ? ['cmdline', 'comm', 'environ', 'stat', 'status'] : []);
    fs.dynamic = (path) => this.procFile(path);
  }

  private procFile(path: string): VNode | undefined {
    const file = (data: string): VNode => ({ kind: 'file', data, mode: 0o444, mtime: new Date() });
    if (path === '/proc/uptime') {
      const up = (Date.now() - this.bootMs) / 1000;
      return file(`${up.toFixed(2)} ${(up * 1.8).toFixed(2)}\n`);
    }
    const name = path.slice('/proc/'.length);
    if (path.startsWith('/proc/') && Object.hasOwn(PROC_FILES, name)) return file(PROC_FILES[name]!(this));
    const m = /^\/proc\/(\d+)(?:\/(stat|cmdline|status|comm|environ))?$/.exec(path);
    const p = m ? this.procs.get(Number(m[1])) : undefined;
    if (!m || !p) return undefined;
    if (!m[2]) return { kind: 'dir', data: '', mode: 0o555, mtime: new Date(p.startMs) };
    if (m[2] === 'cmdline') return file(`${p.argv.join('\0')}\0`);
    if (m[2] === 'comm') return file(`${comm(p)}\n`);
    if (m[2] === 'environ') return file('');
    if (m[2] === 'status') return file(`Name:\t${comm(p)}\nState:\tS (sleeping)\nPid:\t${p.pid}\nPPid:\t${p.ppid}\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n`);
    return file(`${statLine(p, this.bootMs)}\n`);
  }
}

const M = MEMORY_KB;
/** /proc's files that are not per process, as a 4-CPU node shows them. */
const PROC_FILES: Record<string, (t: ProcessTable) => string> = {
  cpuinfo: () => Array.from({ length: 4 }, (_v, k) => `processor\t: ${k}\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\ncpu MHz\t\t: 2200.000\ncache size\t: 56320 KB\ncpu cores\t: 4\n\n`).join(''),
  meminfo: () => `MemTotal:       ${M.total} kB\nMemFree:        ${M.free} kB\nMemAvailable:   ${M.available} kB\nBuffers:        ${M.buffers} kB\nCached:         ${M.cached} kB\nSwapCached:            0 kB\nShmem:             ${M.shared} kB\nSwapTotal:             0 kB\nSwapFree:              0 kB\n`,
  loadavg: (t) => `0.08 0.12 0.10 1/${t.procs.size} ${Math.max(0, ...t.procs.keys())}\n`,
  version: () => 'Linux version 6.1.0-26-cloud-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.112-1 (2024-09-30)\n',
  mounts: () => 'overlay / overlay rw,relatime,lowerdir=/var/lib/containerd/l,upperdir=/var/lib/containerd/u,workdir=/var/lib/containerd/w 0 0\nproc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\ntmpfs /dev tmpfs rw,nosuid,size=65536k,mode=755 0 0\nsysfs /sys sysfs ro,nosuid,nodev,noexec,relatime 0 0\n/dev/sda1 /etc/hosts ext4 rw,relatime 0 0\n/dev/sda1 /etc/hostname ext4 rw,relatime 0 0\n/dev/sda1 /etc/resolv.conf ext4 rw,relatime 0 0\nshm /dev/shm tmpfs rw,nosuid,nodev,noexec,relatime,size=65536k 0 0\n',
  filesystems: () => 'nodev\tsysfs\nnodev\ttmpfs\nnodev\tproc\nnodev\toverlay\n\text4\n',
  cmdline: () => 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-26-cloud-amd64 root=/dev/sda1 ro console=ttyS0\n',
  stat: (t) => `cpu  84512 120 40321 9512345 2312 0 1022 0 0 0\nbtime ${Math.floor(t.bootMs / 1000)}\nprocesses ${t.procs.size}\nprocs_running 1\nprocs_blocked 0\n`,
};

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

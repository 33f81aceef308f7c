// Parsers for what the probe reads inside the agent container. Busybox `ps -ef`
// has no PPID column, so the probe reads /proc/<pid>/stat and /proc/<pid>/cmdline.
import type { ProcessInfo } from './state';

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  /** Clock ticks after boot (field 22). */
  startTicks?: number;
}

/**
 * Parses one /proc/<pid>/stat line. The comm field is parenthesised and may itself
 * contain spaces and ')' — the last ')' ends it.
 */
export function parseProcStat(line: string): ProcStat | undefined {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(line.slice(0, open).trim());
  const comm = line.slice(open + 1, close);
  const rest = line.slice(close + 1).trim().split(/\s+/);
  const state = rest[0];
  const ppid = Number(rest[1]);
  if (!Number.isInteger(pid) || pid <= 0 || state === undefined || !Number.isInteger(ppid) || ppid < 0) return undefined;
  // rest[0] is field 3 (state), so field 22 (starttime) is rest[19].
  const start = Number(rest[19]);
  return Number.isFinite(start) && rest[19] !== undefined ? { pid, comm, state, ppid, startTicks: start } : { pid, comm, state, ppid };
}

/** /proc/<pid>/cmdline is NUL-separated with a trailing NUL; `sep` lets a transport swap NUL for another byte. */
export function parseCmdline(raw: string, sep = '\0'): string[] {
  const parts = raw.split(sep);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** The executable's base name, from argv[0] (falls back to comm for kernel threads / zombies). */
export function executableName(p: Pick<ProcessInfo, 'argv' | 'comm'>): string {
  const first = p.argv[0];
  if (!first) return p.comm;
  const slash = first.lastIndexOf('/');
  return slash >= 0 ? first.slice(slash + 1) : first;
}

/** `ps -ef`-like text for evidence: "PID PPID CMD". */
export function formatProcessLine(p: ProcessInfo): string {
  const cmd = p.argv.length > 0 ? p.argv.join(' ') : `[${p.comm}]`;
  return `${String(p.pid).padStart(5)} ${String(p.ppid).padStart(5)}  ${cmd}`;
}

export interface BusyboxPsRow {
  pid: number;
  user: string;
  time: string;
  command: string;
}

/**
 * Parses busybox `ps -ef` / `ps` output (`PID   USER     TIME  COMMAND`). It has no PPID
 * column; it is only used to show what the guide's command prints, never for parentage.
 */
export function parseBusyboxPs(text: string): BusyboxPsRow[] {
  const rows: BusyboxPsRow[] = [];
  const lines = text.split('\n');
  const header = lines.findIndex((l) => /^\s*PID\s+USER\s+TIME\s+COMMAND/.test(l));
  if (header < 0) return rows;
  for (const line of lines.slice(header + 1)) {
    const m = /^\s*(\d+)\s+(\S+)\s+(\S+)\s+(.*)$/.exec(line);
    if (m) rows.push({ pid: Number(m[1]), user: m[2] ?? '', time: m[3] ?? '', command: (m[4] ?? '').trimEnd() });
  }
  return rows;
}

/** USER_HZ: the unit of /proc/<pid>/stat's starttime on Linux (100 on every architecture the lab runs on). */
export const CLOCK_TICKS_PER_SECOND = 100;

/**
 * Start times as epoch ms. No boot time is needed: PID 1 started when the container
 * did (the kubelet's startedAt), so every other process started its tick difference
 * to PID 1 later. Processes without ticks, or a table without PID 1, stay as they are.
 */
export function withStartTimes(list: readonly ProcessInfo[], containerStartedAt: number | undefined): ProcessInfo[] {
  const initTicks = list.find((p) => p.pid === 1)?.startTicks;
  if (containerStartedAt === undefined || initTicks === undefined) return [...list];
  return list.map((p) => (p.startTicks === undefined ? p : { ...p, startedAt: containerStartedAt + Math.round(((p.startTicks - initTicks) * 1000) / CLOCK_TICKS_PER_SECOND) }));
}

import { describe, expect, it } from 'vitest';
import { withStartTimes } from './procfs';
import { executableName, formatProcessLine, parseBusyboxPs, parseCmdline, parseProcStat } from './procfs';

describe('procfs parsing', () => {
  it('reads pid, comm and ppid from /proc/<pid>/stat, even when comm has spaces and parentheses', () => {
    const line = '27 (otel (col) x) S 1 27 1 0 -1 4194560 1234 0 0 0 10 5 0 0 20 0 12 0 4521 800000 3000 18446744073709551615';
    expect(parseProcStat(line)).toEqual({ pid: 27, comm: 'otel (col) x', state: 'S', ppid: 1, startTicks: 4521 });
    expect(parseProcStat('1 (opampsupervisor) S 0 1 1 0 -1')).toMatchObject({ pid: 1, comm: 'opampsupervisor', ppid: 0 });
    expect(parseProcStat('garbage')).toBeUndefined();
    expect(parseProcStat('x (a) S y')).toBeUndefined();
  });

  it('splits cmdline on NUL (or a substitute) and drops the trailing separator', () => {
    expect(parseCmdline('/otelcol-contrib\0--config=/storage/effective.yaml\0')).toEqual(['/otelcol-contrib', '--config=/storage/effective.yaml']);
    expect(parseCmdline('a b\u0001c\u0001', '\u0001')).toEqual(['a b', 'c']);
    expect(parseCmdline('')).toEqual([]);
  });

  it('names the executable from argv[0], or comm for a kernel thread', () => {
    expect(executableName({ argv: ['/opampsupervisor', '--config=/supervisor.yaml'], comm: 'opampsupervisor' })).toBe('opampsupervisor');
    expect(executableName({ argv: [], comm: 'kworker/0:1' })).toBe('kworker/0:1');
    expect(formatProcessLine({ pid: 1, ppid: 0, argv: ['/opampsupervisor', '--config=/supervisor.yaml'], comm: 'x' })).toBe('    1     0  /opampsupervisor --config=/supervisor.yaml');
  });

  it('parses busybox ps -ef, which has no PPID column', () => {
    const text = 'PID   USER     TIME  COMMAND\n    1 root      0:01 /opampsupervisor --config=/supervisor.yaml\n   14 root      0:03 /otelcol-contrib --config=/collector.yaml\n';
    expect(parseBusyboxPs(text)).toEqual([
      { pid: 1, user: 'root', time: '0:01', command: '/opampsupervisor --config=/supervisor.yaml' },
      { pid: 14, user: 'root', time: '0:03', command: '/otelcol-contrib --config=/collector.yaml' },
    ]);
    expect(parseBusyboxPs('no header')).toEqual([]);
  });
});

describe('process start times', () => {
  it('are the container start plus each process\'s tick difference to PID 1', () => {
    const list = [
      { pid: 1, ppid: 0, comm: 'opampsupervisor', argv: [], startTicks: 5000 },
      { pid: 17, ppid: 1, comm: 'otelcol-contrib', argv: [], startTicks: 5250 },
      { pid: 30, ppid: 0, comm: 'sh', argv: [] },
    ];
    const out = withStartTimes(list, 1_000_000);
    expect(out.map((p) => p.startedAt)).toEqual([1_000_000, 1_002_500, undefined]);
    expect(withStartTimes(list.slice(1), 1_000_000).every((p) => p.startedAt === undefined)).toBe(true);
    expect(withStartTimes(list, undefined).every((p) => p.startedAt === undefined)).toBe(true);
  });
});

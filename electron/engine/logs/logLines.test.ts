import { describe, expect, it } from 'vitest';
import { levelOf, ResetTracker, ResumePoint, splitTimestamp, timestampKey } from './logLines';

describe('log line helpers', () => {
  it('orders kubelet timestamps with uneven fractions', () => {
    expect(timestampKey('2026-11-25T08:00:01.5Z')! < timestampKey('2026-11-25T08:00:01.123456789Z')!).toBe(false);
    expect(timestampKey('2026-11-25T08:00:01Z')! < timestampKey('2026-11-25T08:00:01.000000001Z')!).toBe(true);
    expect(splitTimestamp('2026-11-25T08:00:01.25Z hello world')).toMatchObject({ text: 'hello world', at: Date.parse('2026-11-25T08:00:01.25Z') });
    expect(splitTimestamp('no timestamp').text).toBe('no timestamp');
  });

  it('drops what a resumed stream repeats and keeps new lines of the same instant', () => {
    const r = new ResumePoint();
    const feed = (line: string): boolean => {
      const s = splitTimestamp(line);
      return r.accept(s.key, s.ts, s.text);
    };
    expect(feed('2026-11-25T08:00:01.1Z a')).toBe(true);
    expect(feed('2026-11-25T08:00:02.5Z b')).toBe(true);
    expect(r.sinceTime()).toBe('2026-11-25T08:00:02Z');
    expect(feed('2026-11-25T08:00:01.1Z a')).toBe(false);
    expect(feed('2026-11-25T08:00:02.5Z b')).toBe(false);
    expect(feed('2026-11-25T08:00:02.5Z c')).toBe(true);
    expect(feed('2026-11-25T08:00:03Z d')).toBe(true);
  });

  it('reads zap levels and marks only a lone connection reset as expected', () => {
    expect(levelOf('{"level":"info","msg":"Connected to the server."}')).toBe('info');
    expect(levelOf('{"level":"warn"}')).toBe('warn');
    expect(levelOf('2026 ERROR something')).toBe('error');
    const t = new ResetTracker();
    expect(t.isExpected('read: connection reset by peer', 1000)).toBe(true);
    expect(t.isExpected('read: connection reset by peer', 2000)).toBe(false);
    expect(t.isExpected('read: connection reset by peer', 100_000)).toBe(true);
    expect(t.isExpected('other', 1)).toBeUndefined();
  });
});

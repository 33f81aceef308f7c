import { describe, expect, it } from 'vitest';
import { LineEditor } from './lineEditor';

describe('LineEditor line length', () => {
  it('keeps 1022 characters of a line, as busybox lineedit does, and drops the rest of a big paste quickly', () => {
    const e = new LineEditor({ write: () => undefined, cols: () => 80, complete: () => [] });
    e.start('/ # ');
    const started = performance.now();
    const r = e.feed(`echo ${'y'.repeat(128 * 1024)}\r`);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(r.event).toEqual({ kind: 'line', line: `echo ${'y'.repeat(1022 - 5)}` });
  });

  it('hands back a paste of many lines one by one without copying the rest each time', () => {
    const e = new LineEditor({ write: () => undefined, cols: () => 80, complete: () => [] });
    let rest = 'echo hi\r'.repeat(16 * 1024);
    const lines: string[] = [];
    const started = performance.now();
    while (rest) {
      e.start('/ # ');
      const r = e.feed(rest);
      if (r.event?.kind === 'line') lines.push(r.event.line);
      rest = r.rest;
    }
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(lines).toHaveLength(16 * 1024);
    expect(new Set(lines)).toEqual(new Set(['echo hi']));
  });
});

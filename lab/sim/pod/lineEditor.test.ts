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
});

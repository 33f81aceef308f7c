import { describe, expect, it } from 'vitest';
import { visibleControls } from './terminalText';

describe('visibleControls', () => {
  it('shows ESC, BEL and CSI sequences instead of leaving them executable', () => {
    expect(visibleControls('\x1b[2J\x1b]0;pwned\x07ok')).toBe('␛[2J␛]0;pwned␇ok');
    expect(visibleControls('a\rb\bc\x00d\x7f')).toBe('a␍b␈c␀d␡');
    // 8-bit CSI and OSC are shown as their 7-bit equivalents.
    expect(visibleControls('\x9b31m\x9d0;t\x9c')).toBe('␛[31m␛]0;t␛\\');
  });

  it('keeps newlines, tabs and printable text (including non-ASCII) as they are', () => {
    const text = 'level=info\tmsg="started" ✓ ünïcode 日本\nnext line';
    expect(visibleControls(text)).toBe(text);
    // No control character survives in any output.
    let all = '';
    for (let c = 0; c < 0xa0; c++) all += String.fromCharCode(c);
    expect(visibleControls(all).replace(/[\n\t]/g, '')).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
  });
});

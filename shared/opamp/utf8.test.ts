import { describe, expect, it } from 'vitest';
import { utf8Decode, utf8Encode } from './utf8';

describe('utf8', () => {
  it('decodes leniently (U+FFFD for invalid bytes) and keeps a leading BOM', () => {
    expect(utf8Decode(new Uint8Array([0x61, 0xff, 0x62]))).toBe('a\ufffdb');
    expect(utf8Decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toBe('\ufeffa');
    expect(utf8Decode(new Uint8Array([0xc3]))).toBe('\ufffd');
  });

  it('handles a MiB quickly enough for effective configs (native path)', () => {
    const text = 'receivers: {}\n'.repeat(80_000);
    const bytes = utf8Encode(text);
    expect(bytes.length).toBe(text.length);
    expect(utf8Decode(bytes)).toBe(text);
  });
});

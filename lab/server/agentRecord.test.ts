import { describe, expect, it } from 'vitest';
import { utf8Encode } from '../../shared/opamp/index';
import { keepEffectiveConfig, truncationNote } from './agentRecord';

const config = (...bodies: string[]) => ({ configMap: { configMap: Object.fromEntries(bodies.map((b, i) => [i ? `f${i}` : '', { body: utf8Encode(b) }])) } });

describe('effective config kept per agent', () => {
  it('keeps a config within the limit whole, bodies joined', () => {
    const kept = keepEffectiveConfig(config('a: 1\n', 'b: 2\n'), 100);
    expect(kept).toEqual({ text: 'a: 1\nb: 2\n', reportedBytes: 10, truncated: false });
    expect(truncationNote(kept)).toBeUndefined();
  });

  it('cuts a larger one to the limit without a broken character, and says so', () => {
    const kept = keepEffectiveConfig(config(`k: ${'é'.repeat(100)}\n`), 50);
    expect(kept.truncated).toBe(true);
    expect(kept.reportedBytes).toBe(204);
    expect(Buffer.byteLength(kept.text)).toBeLessThanOrEqual(50);
    expect(kept.text).toMatch(/^k: é+$/);
    expect(truncationNote(kept)).toBe(`The agent reported 204 bytes; the server keeps the first ${Buffer.byteLength(kept.text)} bytes.`);
  });
});

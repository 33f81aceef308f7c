import { describe, expect, it } from 'vitest';
import { utf8Encode } from '../../shared/opamp/index';
import { detached, keepEffectiveConfig } from './agentRecord';
import { bytesText } from './limits';

const config = (...bodies: string[]) => ({ configMap: { configMap: Object.fromEntries(bodies.map((b, i) => [i ? `f${i}` : '', { body: utf8Encode(b) }])) } });

describe('effective config kept per agent', () => {
  it('keeps a config within the limit whole, bodies joined', () => {
    const kept = keepEffectiveConfig(config('a: 1\n', 'b: 2\n'), 100);
    expect(kept).toEqual({ text: 'a: 1\nb: 2\n', reportedBytes: 10, keptBytes: 10, truncated: false });
    expect(kept.note).toBeUndefined();
  });

  it('cuts a larger one to the limit without a broken character, and says so', () => {
    const kept = keepEffectiveConfig(config(`k: ${'é'.repeat(100)}\n`), 50);
    expect(kept.truncated).toBe(true);
    expect(kept.reportedBytes).toBe(204);
    expect(Buffer.byteLength(kept.text)).toBeLessThanOrEqual(50);
    expect(kept.text).toMatch(/^k: é+$/);
    expect(kept.note).toBe(`The agent reported 204 bytes; the server keeps the first ${Buffer.byteLength(kept.text)} bytes.`);
    expect(bytesText(1048576)).toBe('1,048,576 bytes');
    expect(bytesText(999)).toBe('999 bytes');
  });
});

describe('kept status', () => {
  it('owns its bytes: nothing kept is a view into the received frame', () => {
    const frame = new Uint8Array(1024 * 1024);
    const status = { remoteConfigStatus: { lastRemoteConfigHash: frame.subarray(0, 32), status: 1 }, tags: [frame.subarray(32, 48)] };
    const copy = detached(status);
    expect(copy).toEqual(status);
    expect(copy.remoteConfigStatus.lastRemoteConfigHash.buffer.byteLength).toBe(32);
    expect(copy.tags[0]!.buffer.byteLength).toBe(16);
  });
});

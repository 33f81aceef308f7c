import { describe, expect, it } from 'vitest';
import { MAX_CALL_BYTES, parseBridgeCall } from './bridgeProtocol';

describe('parseBridgeCall', () => {
  it('accepts a well-formed call', () => {
    expect(parseBridgeCall('{"id":3,"method":"getInfo","request":{}}')).toEqual({ id: 3, method: 'getInfo', request: {} });
  });

  it.each([
    ['not JSON', '{id:'],
    ['an array', '[1,2]'],
    ['null', 'null'],
    ['a negative id', '{"id":-1,"method":"getInfo"}'],
    ['a fractional id', '{"id":1.5,"method":"getInfo"}'],
    ['a missing method', '{"id":1}'],
    ['a numeric method', '{"id":1,"method":7}'],
    ['an overlong method', JSON.stringify({ id: 1, method: 'x'.repeat(65) })],
  ])('rejects %s', (_label, raw) => {
    expect(parseBridgeCall(raw)).toBeUndefined();
  });

  it('rejects a frame over the size limit without parsing it', () => {
    const raw = JSON.stringify({ id: 1, method: 'pushOverlay', request: { text: 'a'.repeat(MAX_CALL_BYTES) } });
    expect(parseBridgeCall(raw)).toBeUndefined();
  });
});

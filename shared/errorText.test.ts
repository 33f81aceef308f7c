import { describe, expect, it } from 'vitest';
import { describeError } from './errorText';

describe('describeError', () => {
  it('never says [object Object]', () => {
    expect(describeError(new Error('boom'))).toBe('boom');
    expect(describeError(new TypeError('x is not a function\n  more'))).toBe('TypeError: x is not a function more');
    expect(describeError(Object.assign(new Error('connect refused'), { code: 'ECONNREFUSED' }))).toBe('connect refused (ECONNREFUSED)');
    expect(describeError({ kind: 'Status', message: 'pods "x" not found', reason: 'NotFound' })).toBe('pods "x" not found');
    expect(describeError({ type: 'error', error: new Error('socket hang up') })).toBe('socket hang up');
    expect(describeError({ type: 'error' })).toBe('type error');
    expect(describeError({ a: 1 })).toBe('{"a":1}');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(describeError(circular)).toBe('Object error without a message');
    expect(describeError(7)).toBe('7');
    for (const v of [{}, { a: 1 }, circular, [], new Event('error')]) expect(describeError(v)).not.toContain('[object');
  });
});

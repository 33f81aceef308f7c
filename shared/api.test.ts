import { describe, expect, it } from 'vitest';
import { LAB_METHODS, parseLabCall, requestSchemas, unwrapLabResult, LabApiError } from './api';

describe('parseLabCall', () => {
  it('has a schema for every method and no more', () => {
    expect(Object.keys(requestSchemas).sort()).toEqual([...LAB_METHODS].sort());
  });

  it('accepts a valid call and returns the parsed request', () => {
    const parsed = parseLabCall('connect', { target: { kind: 'embedded' } });
    expect(parsed).toEqual({ ok: true, method: 'connect', request: { target: { kind: 'embedded' } } });
  });

  it('treats a missing request as an empty object', () => {
    expect(parseLabCall('getInfo', undefined)).toMatchObject({ ok: true });
  });

  it('rejects an unknown method by name', () => {
    const parsed = parseLabCall('__proto__', {});
    expect(parsed).toEqual({ ok: false, error: { kind: 'invalid-input', message: 'unknown LabApi method: __proto__' } });
  });

  it('rejects extra keys and says where', () => {
    const parsed = parseLabCall('readFile', { pod: 'p', path: '/etc/passwd', shell: 'rm -rf /' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.message).toMatch(/^readFile: invalid request/);
  });

  it('rejects a relative path and a bad terminal id', () => {
    expect(parseLabCall('readFile', { pod: 'p', path: 'storage/x' }).ok).toBe(false);
    expect(parseLabCall('terminalWrite', { terminalId: '../x', data: 'ls' }).ok).toBe(false);
  });

  it('rejects an unknown target kind', () => {
    expect(parseLabCall('connect', { target: { kind: 'aws' } }).ok).toBe(false);
  });
});

describe('unwrapLabResult', () => {
  it('returns the value or throws an error that keeps its kind', () => {
    expect(unwrapLabResult({ ok: true, value: 5 })).toBe(5);
    try {
      unwrapLabResult({ ok: false, error: { kind: 'auth', message: 'denied' } });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(LabApiError);
      expect((err as LabApiError).kind).toBe('auth');
    }
  });
});

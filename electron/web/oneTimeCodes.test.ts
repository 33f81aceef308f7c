import { describe, expect, it } from 'vitest';
import { CODE_LIFETIME_MS, OneTimeCodes } from './oneTimeCodes';

describe('OneTimeCodes', () => {
  it('redeems each issued code once', () => {
    const codes = new OneTimeCodes();
    const a = codes.issue();
    const b = codes.issue();
    expect(a).not.toBe(b);
    expect(codes.redeem(a)).toBe(true);
    expect(codes.redeem(a)).toBe(false);
    expect(codes.redeem(b)).toBe(true);
    expect(codes.redeem('')).toBe(false);
    expect(codes.redeem('x'.repeat(24))).toBe(false);
  });

  it('forgets codes after their lifetime, and keeps at most 16 pending', () => {
    let now = 0;
    const codes = new OneTimeCodes(() => now);
    const old = codes.issue();
    now += CODE_LIFETIME_MS;
    expect(codes.redeem(old)).toBe(false);
    const first = codes.issue();
    for (let i = 0; i < 16; i++) codes.issue();
    expect(codes.redeem(first)).toBe(false);
  });
});

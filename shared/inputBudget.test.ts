import { describe, expect, it } from 'vitest';
import { InputBudget } from './inputBudget';

describe('InputBudget', () => {
  it('lets a burst through, then only the per-second rate', () => {
    let now = 0;
    const budget = new InputBudget({ bytesPerSecond: 1000, burstBytes: 4000 }, () => now);
    expect(budget.take(4000)).toBe(true);
    expect(budget.take(1)).toBe(false);
    now += 500;
    expect(budget.take(600)).toBe(false);
    expect(budget.take(500)).toBe(true);
    // A long pause refills only up to the burst.
    now += 60_000;
    expect(budget.take(4000)).toBe(true);
    expect(budget.take(100)).toBe(false);
  });

  it('refuses a message larger than the burst at any time', () => {
    let now = 0;
    const budget = new InputBudget({ bytesPerSecond: 1000, burstBytes: 4000 }, () => now);
    now += 1e9;
    expect(budget.take(4001)).toBe(false);
    expect(budget.take(1)).toBe(true);
  });
});

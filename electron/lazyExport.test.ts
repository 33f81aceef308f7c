import { describe, expect, it } from 'vitest';
import { lazyExport } from './lazyExport';

class Api {
  static made = 0;
  static make(kc: string): Api {
    return new this(kc);
  }
  constructor(readonly kc: string) {
    Api.made += 1;
  }
}

describe('lazyExport', () => {
  it('loads nothing until first use, then acts as the real value: new, static members, calls', () => {
    let loads = 0;
    const load = (): Record<string, unknown> => {
      loads += 1;
      return { Api, makeThing: (n: number) => n * 2, notAFunction: 3 };
    };
    const LazyApi = lazyExport(load, 'Api') as typeof Api;
    const makeThing = lazyExport(load, 'makeThing') as (n: number) => number;
    expect(loads).toBe(0);
    // What client-node's KubeConfig.makeApiClient does with the class it is given.
    const made = new LazyApi('kc');
    expect(made).toBeInstanceOf(Api);
    expect(made.kc).toBe('kc');
    expect(LazyApi.make('other')).toBeInstanceOf(Api);
    expect(makeThing(21)).toBe(42);
    expect(loads).toBeGreaterThan(0);
    expect(() => (lazyExport(load, 'notAFunction') as () => void)()).toThrow(/notAFunction is not exported/);
  });
});

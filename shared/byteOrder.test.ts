import { describe, expect, it } from 'vitest';
import { byteOrder } from './byteOrder';

describe('byteOrder', () => {
  it('sorts names as kubectl lists them (byte order: digits and upper case before lower case)', () => {
    const names = ['opamp-agent-b', 'opamp-agent-a', 'Opamp', 'opamp-agent-10', 'opamp-agent-9', 'opamp-agent-'];
    expect([...names].sort(byteOrder)).toEqual(['Opamp', 'opamp-agent-', 'opamp-agent-10', 'opamp-agent-9', 'opamp-agent-a', 'opamp-agent-b']);
    expect(byteOrder('x', 'x')).toBe(0);
  });
});

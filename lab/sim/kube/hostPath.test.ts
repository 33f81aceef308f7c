import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mountHostPath } from './hostPath';

describe('hostPath volumes of the emulated node', () => {
  it('DirectoryOrCreate (and the unchecked default) create the folder under the node root, never outside it', () => {
    const root = mkdtempSync(join(tmpdir(), 'node-'));
    const dir = mountHostPath(root, '/var/lib/opamp-lab/opamp-server', 'DirectoryOrCreate');
    expect(dir).toBe(join(root, 'node', 'var/lib/opamp-lab/opamp-server'));
    expect(statSync(dir).isDirectory()).toBe(true);
    expect(mountHostPath(root, '/../../etc', undefined)).toBe(join(root, 'node', 'etc'));
    expect(existsSync(join(root, 'node', 'etc'))).toBe(true);
  });

  it('Directory needs the folder to exist; other types and relative paths are refused with the reason', () => {
    const root = mkdtempSync(join(tmpdir(), 'node-'));
    expect(() => mountHostPath(root, '/missing', 'Directory')).toThrow('hostPath type check failed: /missing is not a directory');
    mountHostPath(root, '/there', 'DirectoryOrCreate');
    expect(mountHostPath(root, '/there', 'Directory')).toBe(join(root, 'node', 'there'));
    expect(() => mountHostPath(root, '/x.sock', 'Socket')).toThrow(/hostPath type Socket is not supported by the lab emulator/);
    expect(() => mountHostPath(root, 'data', 'DirectoryOrCreate')).toThrow('hostPath path "data" must be absolute');
  });
});

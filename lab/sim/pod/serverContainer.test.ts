import { describe, expect, it } from 'vitest';
import { hostFolderFor } from './serverContainer';
import type { VolumeMountSpec } from './types';

const mounts: VolumeMountSpec[] = [
  { mountPath: '/config', source: { kind: 'emptyDir', volumeName: 'config' } },
  { mountPath: '/data', source: { kind: 'hostPath', volumeName: 'data', path: '/var/lib/opamp-lab/opamp-server', hostDir: '/tmp/node/var/lib/opamp-lab/opamp-server' } },
];

describe('the server container\'s --data-dir', () => {
  it('lands in the host folder of the hostPath mount that holds it', () => {
    expect(hostFolderFor('/data', mounts)).toBe('/tmp/node/var/lib/opamp-lab/opamp-server');
    expect(hostFolderFor('/data/overlays/', mounts)).toBe('/tmp/node/var/lib/opamp-lab/opamp-server/overlays');
  });

  it('is the container\'s own layer anywhere else', () => {
    expect(hostFolderFor('/database', mounts)).toBeUndefined();
    expect(hostFolderFor('/config', mounts)).toBeUndefined();
    expect(hostFolderFor('/data/../etc', mounts)).toBeUndefined();
  });
});

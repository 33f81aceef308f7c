// A desktop-launched app has a bare PATH; the credential plugin lives where only
// the login shell's PATH finds it (like /usr/local/bin/aws on macOS). The
// Electron-shell engine adopts the login shell's PATH and the plugin runs.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { createEngineService } from '../../electron/engine/index';
import { SimCluster } from '../../lab/sim/kube/cluster';
import { createMiniSandbox, isTestImage } from '../../lab/sim/kube/testing/miniSandbox';
import { kubeconfigYaml } from '../../lab/sim/kubeconfig';

const dir = mkdtempSync(join(tmpdir(), 'engine-login-path-'));
let cluster: SimCluster;

function executable(path: string, text: string): void {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

beforeAll(async () => {
  cluster = await SimCluster.start({ createSandbox: createMiniSandbox, isKnownImage: isTestImage, speed: 20 });
});
afterAll(async () => {
  await cluster?.stop();
});

describe('exec credential plugin from a desktop launch', () => {
  it('finds the plugin through the login shell PATH', async () => {
    const bin = join(dir, 'login-bin');
    mkdirSync(bin);
    const cred = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: cluster.token } });
    executable(join(bin, 'fake-aws'), `#!/bin/sh\n[ "$1 $2" = "eks get-token" ] || { echo "unexpected args: $*" >&2; exit 2; }\necho '${cred}'\n`);
    // A "login shell" whose profile adds the plugin's folder to PATH.
    executable(join(dir, 'loginsh'), `#!/bin/sh\nPATH="${bin}:$PATH"; export PATH\n[ "$1" = "-l" ] && [ "$2" = "-c" ] || exit 9\nexec /bin/sh -c "$3"\n`);
    const kc = YAML.parse(kubeconfigYaml(cluster.apiUrl, cluster.token, cluster.caPem)) as { users: { user: unknown }[] };
    kc.users[0]!.user = { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'fake-aws', args: ['eks', 'get-token'] } };
    const path = join(dir, 'kubeconfig');
    writeFileSync(path, YAML.stringify(kc));

    const savedPath = process.env.PATH;
    const savedShell = process.env.SHELL;
    process.env.PATH = '/usr/bin:/bin';
    process.env.SHELL = join(dir, 'loginsh');
    const service = createEngineService({ shell: 'electron', version: 'test', dataDir: dir });
    try {
      const r = await service.call('connect', { target: { kind: 'kubeconfig', kubeconfigPath: path, namespace: 'default' } });
      expect(r).toEqual({ ok: true, value: undefined });
      expect(process.env.PATH?.split(':')[0]).toBe(bin);
    } finally {
      await service.close();
      process.env.PATH = savedPath;
      process.env.SHELL = savedShell;
    }
  });
});

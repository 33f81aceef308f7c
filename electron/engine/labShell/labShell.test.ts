// The lab shell's pieces against real peers: the kubectl wrapper run by /bin/sh
// (argv kept byte for byte, exit code passed through, the note written), the
// selector kubeconfig read by the real kubectl v1.35, the lab folder's files.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { chooseKubectl, ensureBundledKubectl, KUBECTL_INSTALL_HINT } from './kubectlBinary';
import { parseCommandLog, writeKubectlWrapper } from './kubectlWrapper';
import { inNamespace, LAB_FILES, prepareLabFolder } from './labFolder';
import { selectorYaml } from './kubeconfigSelector';

const run = promisify(execFile);
// The same cache the conformance tests use, so the binary is unpacked once per checkout.
const ensureKubectl = () => ensureBundledKubectl(join(process.cwd(), 'node_modules', '.cache', 'opamp-lab-kubectl-v35'));

describe('kubectl wrapper', () => {
  it('runs the real kubectl with the same argv and exit code, then notes both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wrapper-'));
    const fake = join(dir, 'real-kubectl');
    writeFileSync(fake, '#!/bin/sh\nfor a in "$@"; do printf "<%s>" "$a"; done\nexit 3\n', { mode: 0o755 });
    const wrapper = await writeKubectlWrapper(join(dir, 'bin'), fake);
    const log = join(dir, 'commands');
    writeFileSync(log, '', { mode: 0o600 });
    const argv = ['-n', 'opamp', 'exec', '-it', 'p', '--', 'sh', '-c', `grep -R "test_opamp" -n /x 'y'`, 'two\nlines', ''];
    const r: { code?: number; stdout: string } = await run(wrapper, argv, { env: { ...process.env, OPAMP_LAB_COMMAND_LOG: log } }).catch((e: { code: number; stdout: string }) => e);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe(argv.map((a) => `<${a}>`).join(''));
    const { records, rest } = parseCommandLog(readFileSync(log, 'utf8'));
    expect(records).toEqual([{ argv, exitCode: 3 }]);
    expect(rest).toBe('');
    expect(statSync(wrapper).mode & 0o777).toBe(0o700);
  });

  it('keeps an unfinished record for the next read', () => {
    expect(parseCommandLog('end\x1f0\x1fget\x1f\x1e\nend\x1f1\x1fapp')).toEqual({ records: [{ argv: ['get'], exitCode: 0 }], rest: 'end\x1f1\x1fapp' });
  });
});

describe('kubectl for the lab shell', () => {
  it('prefers the user\'s kubectl, falls back to the bundled one on linux-x64 only, else says how to install it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'choose-'));
    writeFileSync(join(dir, 'kubectl'), '#!/bin/sh\n', { mode: 0o755 });
    expect(await chooseKubectl(`/nonexistent${delimiter}${dir}`, join(dir, 'cache'))).toEqual({ kind: 'user', path: join(dir, 'kubectl') });
    expect(await chooseKubectl('/nonexistent', join(dir, 'cache'), 'darwin-arm64')).toEqual({ kind: 'missing', message: KUBECTL_INSTALL_HINT });
    const bundled = await chooseKubectl('/nonexistent', join(dir, 'cache'), 'linux-x64');
    expect(bundled.kind).toBe('bundled');
    if (process.platform === 'linux' && process.arch === 'x64') {
      const v = await run((bundled as { path: string }).path, ['version', '--client', '-o', 'json']);
      expect(JSON.parse(v.stdout).clientVersion.minor).toBe('35');
    }
  }, 120_000);
});

describe('selector kubeconfig', () => {
  it('makes kubectl use the connected context and namespace while credentials stay in the user\'s file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'selector-'));
    const user = join(dir, 'config');
    writeFileSync(user, `apiVersion: v1
kind: Config
current-context: other
clusters:
  - { name: eks, cluster: { server: https://eks.example:443 } }
  - { name: kind, cluster: { server: https://127.0.0.1:6443 } }
users:
  - { name: me, user: { token: secret-token } }
contexts:
  - { name: lab, context: { cluster: eks, user: me, namespace: default } }
  - { name: other, context: { cluster: kind, user: me } }
`);
    const selector = join(dir, 'selector');
    const text = selectorYaml('lab', 'eks', 'me', 'opamp');
    expect(text).not.toContain('secret-token');
    writeFileSync(selector, text);
    const kubectl = await ensureKubectl();
    const env = { ...process.env, KUBECONFIG: [selector, user].join(delimiter) };
    const view = await run(kubectl, ['config', 'view', '--minify', '-o', 'jsonpath={.contexts[0].name} {.contexts[0].context.namespace} {.clusters[0].cluster.server}'], { env });
    expect(view.stdout).toBe('lab opamp https://eks.example:443');
  }, 60_000);
});

describe('lab folder', () => {
  it('holds the lab files under the guide\'s names, 0700, never overwriting an edited one', async () => {
    const data = mkdtempSync(join(tmpdir(), 'lab-folder-'));
    const dir = await prepareLabFolder(data, 'opamp');
    for (const name of Object.keys(LAB_FILES)) expect(readFileSync(join(dir, name), 'utf8').length, name).toBeGreaterThan(10);
    expect(readFileSync(join(dir, 'supervisor.yaml'), 'utf8')).toContain('agent:');
    writeFileSync(join(dir, 'supervisor.yaml'), 'edited\n');
    await prepareLabFolder(data, 'opamp');
    expect(readFileSync(join(dir, 'supervisor.yaml'), 'utf8')).toBe('edited\n');
    expect(statSync(join(data, 'lab-files')).mode & 0o777).toBe(0o700);
  });

  it('moves the manifests and the server address to another namespace', () => {
    expect(inNamespace('kind: Namespace\nmetadata:\n  name: opamp\n', 'team-a')).toBe('kind: Namespace\nmetadata:\n  name: team-a\n');
    expect(inNamespace('metadata:\n  name: opamp-agent\n  namespace: opamp\n', 'team-a')).toBe('metadata:\n  name: opamp-agent\n  namespace: team-a\n');
    expect(inNamespace('  endpoint: wss://opamp-server.opamp.svc.cluster.local:4320/v1/opamp\n', 'team-a')).toContain('opamp-server.team-a.svc');
  });
});

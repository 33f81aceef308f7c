// Connection failures through the whole LabService: each gives its own clear
// error kind and message, the state says so, and the service keeps working.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { createEngineService, type EngineService } from '../../electron/engine/index';
import { SimCluster } from '../../lab/sim/kube/cluster';
import { createMiniSandbox, isTestImage } from '../../lab/sim/kube/testing/miniSandbox';
import { kubeconfigYaml } from '../../lab/sim/kubeconfig';
import { freePort } from './freePort';

const dir = mkdtempSync(join(tmpdir(), 'engine-errors-'));
let cluster: SimCluster;
let service: EngineService;

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** The sim's kubeconfig with the user swapped for `user`. */
function withUser(user: Record<string, unknown>): string {
  const kc = YAML.parse(kubeconfigYaml(cluster.apiUrl, cluster.token, cluster.caPem)) as { users: { user: unknown }[] };
  kc.users[0]!.user = user;
  return YAML.stringify(kc);
}

async function connectError(target: Record<string, unknown>): Promise<{ kind: string; message: string; detail?: string }> {
  const r = await service.call('connect', { target });
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error('connected');
  expect(service.store.current.connection).toMatchObject({ status: 'error', error: { kind: r.error.kind } });
  return r.error;
}

beforeAll(async () => {
  cluster = await SimCluster.start({ createSandbox: createMiniSandbox, isKnownImage: isTestImage, speed: 20 });
  service = createEngineService({ shell: 'test', version: 'test', dataDir: dir });
});

afterAll(async () => {
  await service?.close();
  await cluster?.stop();
});

describe('engine connection errors', () => {
  it('a missing or unreadable kubeconfig', async () => {
    const missing = await connectError({ kind: 'kubeconfig', kubeconfigPath: join(dir, 'nope.yaml') });
    expect(missing.kind).toBe('kubeconfig');
    expect(missing.message).toContain('No kubeconfig file at');
    const garbage = await connectError({ kind: 'kubeconfig', kubeconfigPath: file('garbage.yaml', 'clusters: [unclosed\n') });
    expect(garbage.kind).toBe('kubeconfig');
    const listed = await service.call('listContexts', { kubeconfigPath: join(dir, 'nope.yaml') });
    expect(listed).toMatchObject({ ok: true, value: { contexts: [], error: { kind: 'kubeconfig' } } });
  });

  it('a context that does not exist, naming the ones that do', async () => {
    const path = file('good.yaml', kubeconfigYaml(cluster.apiUrl, cluster.token, cluster.caPem));
    const e = await connectError({ kind: 'kubeconfig', kubeconfigPath: path, context: 'prod-eks' });
    expect(e.kind).toBe('context');
    expect(e.message).toContain('"prod-eks"');
    expect(e.message).toContain('opamp-lab');
    const listed = await service.call('listContexts', { kubeconfigPath: path });
    expect(listed).toMatchObject({ ok: true, value: { current: 'opamp-lab', contexts: [{ name: 'opamp-lab', namespace: 'opamp', server: cluster.apiUrl }] } });
  });

  it('a dead API server', async () => {
    const port = await freePort();
    const e = await connectError({ kind: 'kubeconfig', kubeconfigPath: file('dead.yaml', kubeconfigYaml(`https://127.0.0.1:${port}`, 'x', cluster.caPem)) });
    expect(e.kind).toBe('unreachable');
    expect(e.message).toContain(`127.0.0.1:${port}`);
  });

  it('wrong credentials (401)', async () => {
    const e = await connectError({ kind: 'kubeconfig', kubeconfigPath: file('401.yaml', withUser({ token: 'wrong' })) });
    expect(e.kind).toBe('auth');
    expect(e.message).toContain('401');
  });

  it('an exec credential plugin that is not installed, or that fails with its stderr', async () => {
    const exec = (command: string, args: string[]) => ({ exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command, args, interactiveMode: 'Never' } });
    const missing = await connectError({ kind: 'kubeconfig', kubeconfigPath: file('noplugin.yaml', withUser(exec('aws-not-installed-here', ['eks', 'get-token']))) });
    expect(missing.kind).toBe('plugin');
    expect(missing.message).toMatch(/"aws-not-installed-here" was not found on PATH/);
    const failing = await connectError({ kind: 'kubeconfig', kubeconfigPath: file('badplugin.yaml', withUser(exec('sh', ['-c', 'echo "The SSO session has expired" >&2; exit 255']))) });
    expect(failing.kind).toBe('plugin');
    expect(failing.message).toContain('The SSO session has expired');
  });

  it('a working exec plugin connects, and credentials never reach the state', async () => {
    const cred = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: cluster.token } });
    const path = file('plugin-ok.yaml', withUser({ exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'sh', args: ['-c', `echo '${cred}'`] } }));
    const r = await service.call('connect', { target: { kind: 'kubeconfig', kubeconfigPath: path, namespace: 'default' } });
    expect(r).toEqual({ ok: true, value: undefined });
    expect(service.store.current.connection).toMatchObject({ status: 'connected', contextName: 'opamp-lab', namespace: 'default', server: cluster.apiUrl });
    expect(JSON.stringify(service.store.snapshot())).not.toContain(cluster.token);
    const ns = await service.call('listNamespaces', {});
    expect(ns.ok && (ns.value as string[]).includes('default')).toBe(true);
    await service.call('disconnect', {});
    expect(service.store.current.connection.status).toBe('disconnected');
  });

  it('an invalid overlay is refused before anything is sent', async () => {
    const v = await service.call('validateOverlay', { text: 'processors:\n  batch: [\n' });
    expect(v).toMatchObject({ ok: true, value: { ok: false } });
    const list = await service.call('validateOverlay', { text: '- a\n' });
    expect(list.ok && (list.value as { errors: { message: string }[] }).errors[0]?.message).toMatch(/mapping/);
    const push = await service.call('pushOverlay', { text: 'a: [\n' });
    expect(push).toMatchObject({ ok: false, error: { kind: 'overlay' } });
    const notConnected = await service.call('pushOverlay', { text: 'a: 1\n' });
    expect(notConnected).toMatchObject({ ok: false, error: { kind: 'not-found' } });
  });
});

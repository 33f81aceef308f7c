// The emulated kubelet's pod lifecycle with a tiny test sandbox: back-offs,
// image pull failures, missing ConfigMaps, graceful termination, restarts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimCluster } from './cluster';
import { createMiniSandbox, isTestImage } from './testing/miniSandbox';
import type { KubeObject } from './types';

let cluster: SimCluster;

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function pod(name: string, image: string, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'main', image, ...extra }] } };
}
const get = (name: string): KubeObject | undefined => cluster.api.tryGet('pods', 'default', name);
const eventsOf = (name: string): KubeObject[] => cluster.api.list('events', 'default').filter((e) => (e.involvedObject as { name: string }).name === name).sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
const reasons = (name: string): string[] => eventsOf(name).map((e) => String(e.reason));
const messages = (name: string): string[] => eventsOf(name).map((e) => String(e.message));

beforeAll(async () => {
  const createSandbox: typeof createMiniSandbox = (opts) => {
    if (opts.name === 'nosandbox') throw new Error('no room for this pod');
    return createMiniSandbox(opts);
  };
  cluster = await SimCluster.start({ createSandbox, isKnownImage: isTestImage, speed: 50 });
});
afterAll(async () => {
  await cluster.stop();
});

describe('emulated kubelet', () => {
  it('runs a pod: Scheduled, Pulled, Created, Started; Running and Ready with a containerID', async () => {
    cluster.api.create('pods', 'default', pod('ok', 'test/printer:1'));
    const running = await until('ok Ready', () => {
      const p = get('ok');
      return p?.status?.phase === 'Running' && p.status.containerStatuses?.[0]?.ready ? p : undefined;
    });
    const cs = running.status.containerStatuses[0];
    expect(cs).toMatchObject({ name: 'main', ready: true, started: true, restartCount: 0, image: 'test/printer:1' });
    expect(cs.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(cs.imageID).toMatch(/^docker\.io\/test\/printer@sha256:[0-9a-f]{64}$/);
    expect(running.status.podIP).toMatch(/^10\.244\.0\.\d+$/);
    expect(reasons('ok')).toEqual(['Scheduled', 'Pulled', 'Created', 'Started']);
    expect(messages('ok')).toContain('Container image "test/printer:1" already present on machine');
  });

  it('restarts a crashing container with CrashLoopBackOff and keeps the previous instance', async () => {
    cluster.api.create('pods', 'default', pod('crash', 'test/crash:1'));
    const looping = await until('CrashLoopBackOff', () => {
      const cs = get('crash')?.status?.containerStatuses?.[0];
      return cs?.state?.waiting?.reason === 'CrashLoopBackOff' ? cs : undefined;
    });
    expect(looping.state.waiting.message).toMatch(/^back-off (10|20)s restarting failed container=main pod=crash_default\([0-9a-f-]+\)$/);
    expect(looping.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(looping.restartCount).toBeGreaterThanOrEqual(1);
    expect(reasons('crash')).toContain('BackOff');
    expect(cluster.kubelet.worker('default', 'crash')?.logs.previous('main')?.lines.map((l) => l.text)).toEqual([expect.stringMatching(/^starting \w+$/), 'fatal: crashing']);
  });

  it('reports ErrImagePull then ImagePullBackOff for an unknown image', async () => {
    cluster.api.create('pods', 'default', pod('pull', 'nothere:v9'));
    await until('ImagePullBackOff', () => get('pull')?.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff');
    expect(get('pull')?.status?.phase).toBe('Pending');
    expect(messages('pull')).toEqual(expect.arrayContaining(['Pulling image "nothere:v9"', 'Error: ErrImagePull', 'Back-off pulling image "nothere:v9"', 'Error: ImagePullBackOff']));
  });

  it('keeps a pod ContainerCreating with FailedMount until its ConfigMap exists', async () => {
    const p = pod('mount', 'test/printer:1', { volumeMounts: [{ name: 'cfg', mountPath: '/cfg.yaml', subPath: 'cfg.yaml' }] });
    p.spec.volumes = [{ name: 'cfg', configMap: { name: 'later' } }];
    cluster.api.create('pods', 'default', p);
    await until('FailedMount', () => messages('mount').includes('MountVolume.SetUp failed for volume "cfg" : configmap "later" not found'));
    expect(get('mount')?.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ContainerCreating');
    cluster.api.create('configmaps', 'default', { metadata: { name: 'later' }, data: { 'cfg.yaml': 'a: 1' } });
    await until('mount Running', () => get('mount')?.status?.phase === 'Running');
  });

  it('retries a sandbox that fails to start, with FailedCreatePodSandBox events', async () => {
    cluster.api.create('pods', 'default', pod('nosandbox', 'test/printer:1'));
    await until('FailedCreatePodSandBox', () => messages('nosandbox').includes('Failed to create pod sandbox: no room for this pod'));
    expect(get('nosandbox')?.status?.phase).toBe('Pending');
    cluster.api.delete('pods', 'default', 'nosandbox');
    await until('nosandbox gone', () => get('nosandbox') === undefined);
  });

  it('terminates gracefully: Killing, SIGKILL after the grace period, then the pod is gone', async () => {
    cluster.api.create('pods', 'default', pod('stubborn', 'test/stubborn:1'));
    await until('stubborn Running', () => get('stubborn')?.status?.phase === 'Running');
    const started = Date.now();
    const deleting = cluster.api.delete('pods', 'default', 'stubborn', { gracePeriodSeconds: 10 });
    expect(deleting.metadata.deletionTimestamp).toBeDefined();
    await until('stubborn gone', () => get('stubborn') === undefined);
    // 10 s of grace at speed 50 is 200 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    expect(messages('stubborn')).toContain('Stopping container main');
  });
});

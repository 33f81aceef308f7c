// @kubernetes/client-node 1.4 against the emulator: Exec (v5 channels, stdin,
// exit status), Log (follow, tail), PortForward (v4, port prefix) into a pod's
// TCP port, Watch with resourceVersion and 410 Gone, and makeInformer.
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimCluster } from '../../lab/sim/kube/cluster';
import { createMiniSandbox, isTestImage } from '../../lab/sim/kube/testing/miniSandbox';
import { writeKubeconfig } from '../../lab/sim/kubeconfig';
import { eventually } from './eventually';

let cluster: SimCluster;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;

function collector(): { stream: Writable; text: () => string; finished: Promise<void> } {
  let text = '';
  const stream = new Writable({ write(chunk: Buffer, _enc, cb) { text += chunk.toString(); cb(); } });
  const finished = new Promise<void>((resolve) => stream.on('finish', () => resolve()));
  return { stream, text: () => text, finished };
}

async function runningPod(app: string): Promise<string> {
  return eventually(`a ready ${app} pod`, () => {
    const pod = cluster.api.list('pods', 'default').find((p) => p.metadata.labels?.app === app && p.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True') && !p.metadata.deletionTimestamp);
    return pod?.metadata.name;
  });
}

function deployment(name: string, image: string, ports: number[] = []): Record<string, unknown> {
  return {
    metadata: { name, namespace: 'default' },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image, ports: ports.map((containerPort) => ({ containerPort })) }] } } },
  };
}

beforeAll(async () => {
  cluster = await SimCluster.start({ createSandbox: createMiniSandbox, isKnownImage: isTestImage, speed: 20 });
  const path = join(mkdtempSync(join(tmpdir(), 'sim-client-node-')), 'kubeconfig');
  await writeKubeconfig(path, cluster.apiUrl, cluster.token, cluster.caPem);
  kc = new k8s.KubeConfig();
  kc.loadFromFile(path);
  core = kc.makeApiClient(k8s.CoreV1Api);
  cluster.api.create('deployments', 'default', deployment('printer', 'test/printer:1'));
  cluster.api.create('deployments', 'default', deployment('echo', 'test/echo:1', [7000]));
});

afterAll(async () => {
  await cluster?.stop();
});

describe('@kubernetes/client-node 1.4 against the emulator', () => {
  it('authenticates with the bearer token over TLS and rejects a wrong one', async () => {
    const list = await core.listNamespace();
    expect(list.items.map((n) => n.metadata?.name)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    const bad = new k8s.KubeConfig();
    bad.loadFromString(kc.exportConfig().replace(cluster.token, 'wrong-token'));
    await expect(bad.makeApiClient(k8s.CoreV1Api).listNamespace()).rejects.toMatchObject({ code: 401 });
  });

  it('Exec: stdout, stdin through cat, and the exit Status on channel 3', async () => {
    const pod = await runningPod('printer');
    const exec = new k8s.Exec(kc);
    const out = collector();
    const status = await new Promise<k8s.V1Status>((resolve, reject) => {
      exec.exec('default', pod, 'main', ['echo', 'from', 'exec'], out.stream, null, null, false, resolve).catch(reject);
    });
    expect(status.status).toBe('Success');
    expect(out.text()).toBe('from exec\n');

    const stdin = new PassThrough();
    const cat = collector();
    const catStatus = new Promise<k8s.V1Status>((resolve, reject) => {
      exec.exec('default', pod, 'main', ['cat'], cat.stream, null, stdin, false, resolve).catch(reject);
    });
    stdin.write('line one\n');
    await eventually('cat echoes stdin', () => cat.text() === 'line one\n');
    stdin.end();
    expect((await catStatus).status).toBe('Success');

    const failed = await new Promise<k8s.V1Status>((resolve, reject) => {
      exec.exec('default', pod, 'main', ['exit', '4'], null, null, null, false, resolve).catch(reject);
    });
    expect(failed).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '4' }] } });
  });

  it('Log: tail and follow; the follow stream ends when the container stops', async () => {
    const pod = await runningPod('printer');
    const tail = collector();
    await new k8s.Log(kc).log('default', pod, 'main', tail.stream, { tailLines: 1 });
    await tail.finished;
    expect(tail.text()).toMatch(/^tick \d+\n$/);

    // client-node 1.4 never calls `done`: the end of the response ends the stream.
    const follow = collector();
    let ended = false;
    void follow.finished.then(() => { ended = true; });
    await new k8s.Log(kc).log('default', pod, 'main', follow.stream, { follow: true, sinceSeconds: 600 });
    await eventually('followed lines', () => follow.text().split('\n').length > 3);
    expect(follow.text()).toMatch(/^hello from printer-\w+-\w{5}\ntick 1\n/);
    await core.deleteNamespacedPod({ name: pod, namespace: 'default' });
    await eventually('the follow stream ended', () => ended);
  });

  it('PortForward: bytes reach the pod port and come back; the stream closes with the pod', async () => {
    const pod = await runningPod('echo');
    const forward = new k8s.PortForward(kc);
    // client-node leaves the local socket open when the WebSocket closes; callers watch the socket it returns.
    const webSockets: { readyState: number }[] = [];
    const local = createServer((socket: Socket) => {
      void forward.portForward('default', pod, [7000], socket, null, socket).then((ws) => webSockets.push(ws as { readyState: number }));
    });
    await new Promise<void>((r) => local.listen(0, '127.0.0.1', () => r()));
    const client = connect((local.address() as AddressInfo).port, '127.0.0.1');
    let received = '';
    client.on('data', (d) => (received += d.toString()));
    client.write('ping through the pod\n');
    await eventually('echo back', () => received === 'ping through the pod\n');
    await core.deleteNamespacedPod({ name: pod, namespace: 'default', gracePeriodSeconds: 0 });
    expect(webSockets).toHaveLength(1);
    await eventually('the port-forward WebSocket closed', () => webSockets.every((ws) => ws.readyState === 3));
    client.destroy();
    local.close();
  });

  it('Watch: resumes from a resourceVersion, and an expired one gets 410 Gone', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: 'default' });
    const rv = list.metadata?.resourceVersion ?? '0';
    const seen: string[] = [];
    const abort = await new k8s.Watch(kc).watch('/api/v1/namespaces/default/configmaps', { resourceVersion: rv, allowWatchBookmarks: true }, (type, obj: k8s.V1ConfigMap) => {
      seen.push(`${type} ${obj.metadata?.name ?? ''}`);
    }, () => {});
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'watched' }, data: { a: '1' } } });
    await core.patchNamespacedConfigMap({ name: 'watched', namespace: 'default', body: { data: { a: '2' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    await core.deleteNamespacedConfigMap({ name: 'watched', namespace: 'default' });
    await eventually('three events', () => seen.length >= 3);
    expect(seen).toEqual(['ADDED watched', 'MODIFIED watched', 'DELETED watched']);
    abort.abort();

    const expired: { type: string; code?: number }[] = [];
    // Force compaction by asking for a version older than the store keeps.
    (cluster.store as unknown as { compactedAt: number }).compactedAt = cluster.store.resourceVersion;
    await new Promise<void>((resolve) => {
      void new k8s.Watch(kc).watch('/api/v1/namespaces/default/configmaps', { resourceVersion: '1' }, (type, obj: { code?: number }) => expired.push({ type, code: obj.code }), () => resolve());
    });
    expect(expired).toEqual([{ type: 'ERROR', code: 410 }]);

    const started = Date.now();
    await new Promise<void>((resolve) => {
      void new k8s.Watch(kc).watch('/api/v1/namespaces/default/configmaps', { timeoutSeconds: 1 }, () => {}, () => resolve());
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('makeInformer: list then watch keeps a cache in step with the cluster', async () => {
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/configmaps', () => core.listNamespacedConfigMap({ namespace: 'default' }));
    const added: string[] = [];
    informer.on('add', (cm: k8s.V1ConfigMap) => added.push(cm.metadata?.name ?? ''));
    await informer.start();
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'informed' }, data: { k: 'v' } } });
    await eventually('informer saw the configmap', () => informer.get('informed', 'default') !== undefined);
    expect(added).toContain('informed');
    await informer.stop();
  });
});

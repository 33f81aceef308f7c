// The engine's cluster plumbing against the Kubernetes emulator with its tiny
// test pods (no lab runtime needed): watches, port-forward re-targeting, the log
// follower across a rollout restart, kubectl's rollout messages.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent, LogLine } from '../../shared/api';
import { createEngineService, type EngineService } from '../../electron/engine/index';
import { SimCluster } from '../../lab/sim/kube/cluster';
import { createMiniSandbox, isTestImage } from '../../lab/sim/kube/testing/miniSandbox';
import { kubeconfigYaml } from '../../lab/sim/kubeconfig';
import { eventually } from '../conformance/eventually';

let cluster: SimCluster;
let service: EngineService;
const lines: LogLine[] = [];

function deployment(name: string, container: string, image: string, ports: number[] = []): Record<string, unknown> {
  return {
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: container, image, ports: ports.map((containerPort) => ({ containerPort })) }] } },
    },
  };
}

function echoThrough(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.write(text));
    let got = '';
    s.on('data', (d) => {
      got += d.toString();
      if (got.length >= text.length) {
        s.destroy();
        resolve(got);
      }
    });
    s.on('error', reject);
    setTimeout(() => reject(new Error(`no echo through 127.0.0.1:${port}`)), 5000);
  });
}

beforeAll(async () => {
  cluster = await SimCluster.start({ createSandbox: createMiniSandbox, isKnownImage: isTestImage, speed: 20 });
  cluster.api.create('deployments', 'default', deployment('opamp-agent', 'agent', 'test/printer:1'));
  cluster.api.create('deployments', 'default', deployment('opamp-server', 'server', 'test/echo:1', [4320, 4321]));
  const dir = mkdtempSync(join(tmpdir(), 'engine-cluster-'));
  const path = join(dir, 'kubeconfig');
  writeFileSync(path, kubeconfigYaml(cluster.apiUrl, cluster.token, cluster.caPem));
  service = createEngineService({ shell: 'test', version: 'test', dataDir: dir });
  service.subscribe((e: LabEvent) => {
    if (e.type === 'logs') lines.push(...e.lines);
  });
  const r = await service.call('connect', { target: { kind: 'kubeconfig', kubeconfigPath: path, namespace: 'default' } });
  expect(r).toEqual({ ok: true, value: undefined });
});

afterAll(async () => {
  await service?.close();
  await cluster?.stop();
});

const state = () => service.store.current;
const serverPod = () => state().pods.find((p) => p.app === 'opamp-server' && p.ready && !p.terminating)?.name;

describe('engine against the emulated cluster', () => {
  it('watches the pods and forwards 4320/4321 on 127.0.0.1 to the server pod', async () => {
    await eventually('both pods ready', () => state().pods.filter((p) => p.ready).length === 2);
    const pod = serverPod();
    const fwd = await eventually('forwards at the server pod', () => {
      const f = state().forwards;
      return f.length === 2 && f.every((x) => x.pod === pod && x.localPort) ? f : undefined;
    });
    const ui = fwd.find((f) => f.name === 'ui');
    expect(ui?.url).toBe(`http://127.0.0.1:${ui?.localPort}/`);
    expect(await echoThrough(ui!.localPort!, 'hello 4321')).toBe('hello 4321');
    const opamp = fwd.find((f) => f.name === 'opamp');
    expect(await echoThrough(opamp!.localPort!, 'hello 4320')).toBe('hello 4320');
    // An echo server is not HTTP: the health probe must say so rather than claim "up".
    await eventually('health checked', () => state().forwards.find((f) => f.name === 'ui')?.checkedAt);
    expect(state().forwards.find((f) => f.name === 'ui')?.health).toBe('down');
  });

  it('follows the agent log with a new-pod and a container-start marker, in order, without duplicates', async () => {
    await eventually('ticks', () => lines.filter((l) => l.text.startsWith('tick')).length >= 5);
    const markers = lines.filter((l) => l.marker).map((l) => l.marker?.kind);
    expect(markers.slice(0, 2)).toEqual(['new-pod', 'container-start']);
    const seqs = lines.map((l) => l.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('restarts the agent rollout with kubectl messages; logs carry on from the new pod without duplicates', async () => {
    const oldPod = state().pods.find((p) => p.app === 'opamp-agent')?.name;
    const r = await service.call('restartRollout', {});
    expect(r.ok).toBe(true);
    const messages = (r as { value: { messages: string[] } }).value.messages;
    expect(messages[0]).toBe('deployment.apps/opamp-agent restarted');
    expect(messages.at(-1)).toBe('deployment "opamp-agent" successfully rolled out');
    expect(messages.some((m) => m.startsWith('Waiting for deployment "opamp-agent" rollout to finish'))).toBe(true);
    expect(state().rollout).toMatchObject({ status: 'done', deployment: 'opamp-agent' });
    const newPod = await eventually('a new agent pod', () => state().pods.find((p) => p.app === 'opamp-agent' && p.name !== oldPod && p.ready)?.name);
    await eventually('ticks from the new pod', () => lines.filter((l) => l.pod === newPod && l.text.startsWith('tick')).length >= 3);
    expect(lines.some((l) => l.pod === newPod && l.marker?.kind === 'new-pod')).toBe(true);
    const keys = lines.filter((l) => !l.marker).map((l) => `${l.pod}|${l.at}|${l.text}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('moves the forwards to the new server pod within 2 s of it becoming Ready', async () => {
    const oldPod = serverPod();
    const t0 = Date.now();
    cluster.api.patch('deployments', 'default', 'opamp-server', 'strategic', JSON.stringify({ spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } } }));
    const newPod = await eventually('new server pod ready', () => {
      const p = cluster.api.list('pods', 'default').find((x) => x.metadata.labels?.app === 'opamp-server' && x.metadata.name !== oldPod && x.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True'));
      return p?.metadata.name as string | undefined;
    }, 20_000);
    const readyAt = Date.now();
    await eventually('forwards re-targeted', () => state().forwards.every((f) => f.pod === newPod), 5000);
    expect(Date.now() - readyAt).toBeLessThan(2000);
    const ui = state().forwards.find((f) => f.name === 'ui');
    expect(await echoThrough(ui!.localPort!, 'after restart')).toBe('after restart');
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('reports the probe honestly when the container has no shell', async () => {
    const a = await eventually('probe status with an error', () => state().agents.find((x) => x.probe.error));
    expect(a.probe.status).toMatch(/reconnecting|starting/);
    expect(a.criteria.find((c) => c.id === 'supervisor-pid1')?.status).toBe('pending');
  });
});

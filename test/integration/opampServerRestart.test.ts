// Saved overlays outlive the server: a restarted server (same --data-dir) offers them again, and in the
// embedded lab `kubectl delete pod` of the server pod leaves the overlay with the reconnecting agent and
// with the next agent pod of the workload.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLabServer, type LabServer } from '../../lab/server/index';
import { SimpleAgent } from '../../lab/opamp-client/simpleAgent';
import { startSim, type Sim } from '../../lab/sim/boot';
import { saveConfig } from '../../electron/engine/server/overlayPush';
import { bytesToUuid } from '../../shared/opamp/index';
import type { ServerAgentView, ServerAgentsResponse } from '../../shared/serverApi';
import { eventually } from '../conformance/eventually';
import { kubectl, tempCacheDir } from '../conformance/kubectl';
import { freePort } from './freePort';

const OVERLAY = 'processors:\n  attributes/test_opamp:\n    actions:\n      - key: opamp.ui_test\n        value: "hello-from-ui"\n        action: insert\n';

const servers: LabServer[] = [];
const agents: SimpleAgent[] = [];
let sim: Sim | undefined;

afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.stop()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await sim?.close();
  sim = undefined;
});

describe('a restarted lab server with the same --data-dir', () => {
  it('offers the saved overlays again: to the reconnecting agent when it lacks them, and to a new pod of the workload', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'server-restart-')), 'data');
    const ports = { opampPort: await freePort(), uiPort: await freePort(), restPort: false as const, dataDir };
    const first = await startLabServer(ports);
    servers.push(first);
    const agent = new SimpleAgent({ endpoint: first.opampUrl, hostName: 'opamp-agent-7d4b9c8f6-aaaaa' }).start();
    agents.push(agent);
    const uid = bytesToUuid(agent.client.instanceUid);
    await eventually('registered', () => first.registry.agents.get(uid)?.status.agentDescription);
    await saveConfig(first.uiUrl, uid, OVERLAY);
    expect(agent.applied).toBe(OVERLAY);
    await first.close();
    servers.splice(0);

    const second = await startLabServer(ports);
    servers.push(second);
    // The agent reconnects by itself; it already runs the overlay, so the server shows it as applied.
    const back = await eventually('agent back', () => {
      const r = second.registry.agents.get(uid);
      return r?.connected && r.status.remoteConfigStatus && second.registry.view(r);
    });
    expect(back.overlay).toBe(OVERLAY);
    expect(back.overlaySource).toBe('agent');
    expect(back.remoteConfigStatus).toMatchObject({ status: 'APPLIED', hash: back.overlayHash });

    // The same instance without the config (its state was lost) gets it re-sent.
    await agent.stop();
    const amnesic = new SimpleAgent({ endpoint: second.opampUrl, hostName: 'opamp-agent-7d4b9c8f6-aaaaa', instanceUid: agent.client.instanceUid });
    agents.push(amnesic.start());
    await eventually('re-sent', () => amnesic.applied === OVERLAY);

    // A new pod of the same workload (new instance_uid) gets the workload's overlay on its first report.
    const next = new SimpleAgent({ endpoint: second.opampUrl, hostName: 'opamp-agent-6a8b7c9d5-bbbbb' });
    agents.push(next.start());
    await eventually('new pod got it', () => next.applied === OVERLAY);
    expect(second.registry.view(second.registry.agents.get(bytesToUuid(next.client.instanceUid))!).overlaySource).toBe('group');
  });
});

describe('embedded lab: kubectl delete pod of the OpAMP server', () => {
  it('the new server pod keeps the overlay for the running agent and hands it to the next agent pod', async () => {
    sim = await startSim({ kubeconfigPath: join(mkdtempSync(join(tmpdir(), 'server-pod-')), 'kubeconfig'), speed: 20 });
    const k = { kubeconfig: sim.kubeconfigPath, cacheDir: tempCacheDir() };
    const ui = sim.uiUrl;
    const agentsNow = async (): Promise<ServerAgentView[]> => {
      // Bounded: Node's fetch waits forever on a socket closed before any answer (a pod not ready yet).
      const res = await fetch(`${ui}/api/agents`, { signal: AbortSignal.timeout(3000) }).catch(() => undefined);
      return res?.ok ? ((await res.json()) as ServerAgentsResponse).agents : [];
    };
    const live = await eventually('agent listed', async () => (await agentsNow()).find((a) => a.connected), 30_000);
    await saveConfig(ui, live.instanceUid, OVERLAY);
    const applied = await eventually('APPLIED', async () => (await agentsNow()).find((a) => a.instanceUid === live.instanceUid && a.remoteConfigStatus.status === 'APPLIED'));

    const serverPod = (await kubectl(k, ['get', 'pods', '-l', 'app=opamp-server', '-o', 'jsonpath={.items[0].metadata.name}'])).stdout;
    expect((await kubectl(k, ['delete', 'pod', serverPod])).stdout).toContain(`pod "${serverPod}" deleted`);
    const after = await eventually('agent back on the new server', async () =>
      (await agentsNow()).find((a) => a.instanceUid === live.instanceUid && a.connected && a.overlayHash), 60_000);
    expect(after.overlay).toBe(OVERLAY);
    expect(after.overlayHash).toBe(applied.remoteConfigStatus.hash);
    expect(after.remoteConfigStatus.status).toBe('APPLIED');
    const logs = await kubectl(k, ['logs', 'deploy/opamp-server']);
    expect(logs.stdout).toContain('[STORE] loaded 1 group and 1 agent overlays from /data/overlays.json');

    const agentPod = (await kubectl(k, ['get', 'pods', '-l', 'app=opamp-agent', '-o', 'jsonpath={.items[0].metadata.name}'])).stdout;
    await kubectl(k, ['delete', 'pod', agentPod]);
    const successor = await eventually('next agent pod applied the overlay', async () =>
      (await agentsNow()).find((a) => a.connected && a.instanceUid !== live.instanceUid && a.remoteConfigStatus.status === 'APPLIED'), 60_000);
    expect(successor.overlaySource).toBe('group');
    expect(successor.effectiveConfig).toContain('attributes/test_opamp');
  }, 180_000);
});

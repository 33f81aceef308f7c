// A one-look engine (`opamp-lab verify` without --watch) on the embedded lab: the server's view comes
// through the API server's service proxy, without waiting for the pods list; where the proxy cannot
// reach the server (here: the Service deleted), it comes through the port-forward, as the app reads it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineService, type EngineService } from '../../electron/engine/index';
import { startSim, type Sim } from '../../lab/sim/boot';
import { eventually } from '../conformance/eventually';

let sim: Sim;
const dir = mkdtempSync(join(tmpdir(), 'one-look-'));

beforeAll(async () => {
  sim = await startSim({ kubeconfigPath: join(dir, 'kubeconfig'), speed: 10 });
}, 120_000);

afterAll(async () => {
  await sim?.close();
});

async function serverEvidence(): Promise<string> {
  const service: EngineService = createEngineService({ shell: 'web', version: 'test', dataDir: mkdtempSync(join(dir, 'data-')), oneLook: true });
  try {
    expect(await service.call('connect', { target: { kind: 'kubeconfig', kubeconfigPath: sim.kubeconfigPath, namespace: 'opamp' } })).toEqual({ ok: true, value: undefined });
    let source = '';
    await eventually('the server lists the agent pod', () => {
      const connected = service.store.current.agents[0]?.criteria.find((c) => c.id === 'opamp-connected');
      source = connected?.evidence.find((e) => e.kind === 'server')?.source ?? '';
      return source !== '';
    }, 30_000);
    return source;
  } finally {
    await service.close();
  }
}

describe('one look reads the server', () => {
  it("through the API server's service proxy", async () => {
    await eventually('the lab up', () => sim.cluster.api.list('pods', 'opamp').filter((p) => p.status?.phase === 'Running').length >= 2, 60_000);
    expect(await serverEvidence()).toBe("GET /api/agents via the API server's service proxy");
  }, 90_000);

  it('through the port-forward when the proxy cannot reach the server', async () => {
    sim.cluster.api.delete('services', 'opamp', 'opamp-server');
    expect(await serverEvidence()).toBe('GET /api/agents');
  }, 90_000);
});

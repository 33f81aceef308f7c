// Issue 10: a `connect` with a bad kubeconfig tore down the working embedded lab. Now the new
// cluster is reached first; each bad target fails with its own clear message and the embedded
// lab, its API and the connection state stay as they were.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineService, type EngineService } from '../../electron/engine/index';
import { kubeconfigYaml } from '../../lab/sim/kubeconfig';
import { freePort } from '../integration/freePort';

const dir = mkdtempSync(join(tmpdir(), 'abuse-connect-'));
let service: EngineService;

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

beforeAll(async () => {
  service = createEngineService({ shell: 'test', version: 'test', dataDir: dir });
  const r = await service.call('connect', { target: { kind: 'embedded' } });
  expect(r).toEqual({ ok: true, value: undefined });
}, 60_000);

afterAll(async () => {
  await service?.close();
});

describe('a failed connect leaves the current session running', () => {
  it('for a missing file, garbage, an unknown context and an unreachable cluster', async () => {
    const sim = service.engine.embedded!;
    const simKubeconfig = sim.kubeconfigPath;
    const dead = await freePort();
    const targets = [
      { kubeconfigPath: join(dir, 'nope.yaml') },
      { kubeconfigPath: file('garbage.yaml', 'clusters: [unclosed\n') },
      { kubeconfigPath: simKubeconfig, context: 'prod-eks' },
      { kubeconfigPath: file('dead.yaml', kubeconfigYaml(`https://127.0.0.1:${dead}`, 'x', sim.cluster.caPem)) },
    ];
    for (const t of targets) {
      const r = await service.call('connect', { target: { kind: 'kubeconfig', ...t } });
      expect(r.ok, JSON.stringify(t)).toBe(false);
      if (r.ok) continue;
      expect(r.error.message).toMatch(/Still connected to Embedded lab\.$/);
      // The same lab, still connected and still answering.
      expect(service.engine.embedded).toBe(sim);
      expect(service.store.current.connection).toMatchObject({ status: 'connected', contextName: 'Embedded lab', target: { kind: 'embedded' } });
      const pods = await service.engine.kube!.core.listNamespacedPod({ namespace: 'opamp' });
      expect(pods.items.length).toBeGreaterThan(0);
    }
    expect((await service.call('getSnapshot', {})).ok).toBe(true);
  }, 60_000);

  it('with nothing connected, the failure is the connection state, as before', async () => {
    await service.call('disconnect', {});
    const r = await service.call('connect', { target: { kind: 'kubeconfig', kubeconfigPath: join(dir, 'nope.yaml') } });
    expect(r).toMatchObject({ ok: false, error: { kind: 'kubeconfig' } });
    expect(service.store.current.connection).toMatchObject({ status: 'error', error: { kind: 'kubeconfig' } });
  });
});

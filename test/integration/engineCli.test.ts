// The engine's CLI commands end to end (flags, connect, output, exit codes)
// against the emulator with its test pods; the full pass is covered by the
// embedded-lab test.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runPushOverlayCommand } from '../../electron/engine/cli/pushOverlay';
import { runRestartCommand } from '../../electron/engine/cli/restart';
import { runVerifyCommand } from '../../electron/engine/cli/verify';
import { createEngineService } from '../../electron/engine/index';
import { SimCluster } from '../../lab/sim/kube/cluster';
import { createMiniSandbox, isTestImage } from '../../lab/sim/kube/testing/miniSandbox';
import { kubeconfigYaml } from '../../lab/sim/kubeconfig';

const dir = mkdtempSync(join(tmpdir(), 'engine-cli-'));
let cluster: SimCluster;
let kubeconfig: string;

async function capture(run: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += `${a.join(' ')}\n`));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (err += `${a.join(' ')}\n`));
  try {
    return { code: await run(), out, err };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

beforeAll(async () => {
  cluster = await SimCluster.start({ createSandbox: createMiniSandbox, isKnownImage: isTestImage, speed: 20 });
  const dep = (name: string, container: string, image: string) => ({
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: container, image }] } } },
  });
  cluster.api.create('deployments', 'default', dep('opamp-agent', 'agent', 'test/printer:1'));
  kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigYaml(cluster.apiUrl, cluster.token, cluster.caPem));
});

afterAll(async () => {
  await cluster?.stop();
});

describe('opamp-lab verify / push-overlay / restart', () => {
  it('verify prints the six criteria of each agent pod and exits 1 when they do not all pass', async () => {
    const r = await capture(() => runVerifyCommand(['--kubeconfig', kubeconfig, '-n', 'default', '--timeout', '2']));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^pod opamp-agent-/m);
    expect(r.out).toContain('Supervisor runs as PID 1');
    expect(r.out).toContain('Changes visible in effective.yaml');
    const json = await capture(() => runVerifyCommand(['--kubeconfig', kubeconfig, '-n', 'default', '--timeout', '1', '--json']));
    const parsed = JSON.parse(json.out) as { allPass: boolean; pods: { criteria: unknown[] }[] };
    expect(parsed.allPass).toBe(false);
    expect(parsed.pods[0]?.criteria).toHaveLength(6);
  });

  it("one look (verify without --watch) starts only what the verdicts need: the pods watch, the UI forward, no Lab mode", async () => {
    const service = createEngineService({ shell: 'web', version: 'test', dataDir: mkdtempSync(join(dir, 'one-look-')), oneLook: true });
    try {
      expect(await service.call('connect', { target: { kind: 'kubeconfig', kubeconfigPath: kubeconfig, namespace: 'default' } })).toEqual({ ok: true, value: undefined });
      const s = service.store.current;
      expect(s.pods.some((p) => p.app === 'opamp-agent')).toBe(true);
      expect(s.forwards.map((f) => f.name)).toEqual(['ui']);
      // The deployment exists, but no deployments watch was started, and Lab mode did not read the cluster.
      expect(s.workloads.deployments).toEqual([]);
      expect(s.guide.steps.every((step) => step.status === 'todo')).toBe(true);
      expect(s.connection).toMatchObject({ status: 'connected' });
      expect(s.connection.status === 'connected' && s.connection.kubeconfig).toBeFalsy();
    } finally {
      await service.close();
    }
  });

  it('bad usage and bad kubeconfigs exit 2 with a clear message', async () => {
    expect((await capture(() => runVerifyCommand(['--bogus']))).err).toContain('unknown option --bogus');
    const missing = await capture(() => runVerifyCommand(['--kubeconfig', join(dir, 'none')]));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('[kubeconfig] No kubeconfig file at');
    const ctx = await capture(() => runVerifyCommand(['--kubeconfig', kubeconfig, '--context', 'nope']));
    expect(ctx.code).toBe(2);
    expect(ctx.err).toContain('[context]');
    expect((await capture(() => runVerifyCommand(['--timeout', 'soon']))).code).toBe(2);
  });

  it('push-overlay refuses an invalid file with line and column before connecting', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'processors:\n  batch: [\n');
    const r = await capture(() => runPushOverlayCommand([bad, '--kubeconfig', join(dir, 'none')]));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.yaml:\d+:\d+: /);
    expect((await capture(() => runPushOverlayCommand([]))).code).toBe(2);
  });

  it("push-overlay refuses what otelcol-contrib would refuse, in the collector's words, unless --force", async () => {
    const typo = join(dir, 'typo.yaml');
    writeFileSync(typo, 'procesors:\n  batch: {}\n');
    const r = await capture(() => runPushOverlayCommand([typo, '--kubeconfig', join(dir, 'none')]));
    expect(r.code).toBe(2);
    expect(r.err).toContain(`typo.yaml:1:1: '' has invalid keys: procesors (did you mean "processors"?; fix: rename "procesors" to "processors")`);
    expect(r.err).toContain('--force');
    // --force gets past the check (and then fails on the missing kubeconfig, exit 2, not on the overlay).
    const forced = await capture(() => runPushOverlayCommand([typo, '--force', '--kubeconfig', join(dir, 'none')]));
    expect(forced.err).not.toContain('would refuse');
    expect(forced.err).toContain('[kubeconfig]');
  });

  it('restart prints kubectl rollout messages and exits 0', async () => {
    const r = await capture(() => runRestartCommand(['--kubeconfig', kubeconfig, '-n', 'default', '--timeout', '60']));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('deployment.apps/opamp-agent restarted');
    expect(r.out.trim().split('\n').at(-1)).toBe('deployment "opamp-agent" successfully rolled out');
  });
});

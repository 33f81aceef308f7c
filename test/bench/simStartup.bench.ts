// Embedded lab timings: cold start to ready (the agent pod Running) and
// `kubectl rollout restart` of the agent to its new pod Ready, medians of a
// few runs with the real pod runtime at real speed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSim } from '../../lab/sim/boot';
import { loadPodRuntime } from '../../lab/sim/podRuntime';
import { kubectl, tempCacheDir } from '../conformance/kubectl';

const RUNS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)] ?? NaN);
}

async function waitFor(what: string, probe: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export default async function run(): Promise<Record<string, number | string>> {
  const podRuntime = await loadPodRuntime();
  const cold: number[] = [];
  const restart: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    const sim = await startSim({ kubeconfigPath: join(mkdtempSync(join(tmpdir(), 'sim-bench-')), 'kubeconfig'), runtime: podRuntime });
    cold.push(performance.now() - started);
    try {
      const env = { kubeconfig: sim.kubeconfigPath, cacheDir: tempCacheDir() };
      const agentPods = (): { name: string; ready: boolean }[] => sim.cluster.api.list('pods', 'opamp')
        .filter((p) => p.metadata.labels?.app === 'opamp-agent' && !p.metadata.deletionTimestamp)
        .map((p) => ({ name: p.metadata.name ?? '', ready: (p.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True') }));
      await waitFor('the first agent pod Ready', () => agentPods().some((p) => p.ready));
      const before = new Set(agentPods().map((p) => p.name));
      const t0 = performance.now();
      const r = await kubectl(env, ['-n', 'opamp', 'rollout', 'restart', 'deploy/opamp-agent']);
      if (r.code !== 0) throw new Error(`bench: rollout restart failed: ${r.stderr}`);
      await waitFor('the new agent pod Ready', () => agentPods().some((p) => p.ready && !before.has(p.name)));
      restart.push(performance.now() - t0);
    } finally {
      await sim.close();
    }
  }
  return {
    podRuntime: 'lab/sim/pod',
    runs: RUNS,
    coldStartToReadyMs: median(cold),
    rolloutRestartToNewPodReadyMs: median(restart),
    coldStartSamplesMs: cold.map(Math.round).join(','),
    rolloutRestartSamplesMs: restart.map(Math.round).join(','),
  };
}

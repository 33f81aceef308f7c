// Lab OpAMP server with 100 connected agents: remote-config round trip (PUT /api overlay → agent applies
// and reports → server answers acknowledged) p50/p99, and the server's memory per connected agent
// (heap + external, after GC, server in its own process).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SimpleAgent } from '../../lab/opamp-client/simpleAgent';
import { bytesToUuid } from '../../shared/opamp/index';

const AGENTS = 100;
const ROUNDS = 300;

function percentile(sorted: number[], p: number): number {
  return Number((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN).toFixed(2));
}

export default async function run(): Promise<Record<string, number | string>> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(new URL('../../lab/server/benchChild.ts', import.meta.url))], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => JSON.parse(String((await lines.next()).value)) as Record<string, any>;
  const agents: SimpleAgent[] = [];
  try {
    const { opampUrl, uiUrl } = await next();
    child.stdin!.write('mem\n');
    const before = await next();
    for (let i = 0; i < AGENTS; i++) agents.push(new SimpleAgent({ endpoint: opampUrl, hostName: `bench-${i}` }).start());
    const deadline = Date.now() + 30_000;
    while (!agents.every((a) => a.client.isConnected) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    child.stdin!.write('mem\n');
    const after = await next();
    if (after.agents !== AGENTS) throw new Error(`expected ${AGENTS} agents on the server, it has ${after.agents}`);

    const times: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const a = agents[i % AGENTS]!;
      const t0 = performance.now();
      const res = await fetch(`${uiUrl}/api/agents/${bytesToUuid(a.client.instanceUid)}/overlay`, {
        method: 'PUT', body: JSON.stringify({ config: `processors:\n  batch:\n    send_batch_size: ${i}\n` }),
      });
      const body = (await res.json()) as { acknowledged?: boolean };
      if (!body.acknowledged) throw new Error(`round ${i}: not acknowledged`);
      times.push(performance.now() - t0);
    }
    times.sort((x, y) => x - y);
    const perAgent = (after.heapUsed + after.external - before.heapUsed - before.external) / AGENTS;
    return {
      agents: AGENTS,
      rounds: ROUNDS,
      remoteConfigRoundTripP50Ms: percentile(times, 50),
      remoteConfigRoundTripP99Ms: percentile(times, 99),
      memoryPerAgentBytes: Math.round(perAgent),
      serverRssWith100AgentsBytes: after.rss,
      transport: 'ws:// (TLS off; TLS adds per-connection cost)',
    };
  } finally {
    await Promise.all(agents.map((a) => a.stop()));
    child.stdin!.end();
    await new Promise((r) => child.once('exit', r));
  }
}

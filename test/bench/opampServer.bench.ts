// Lab OpAMP server, whole process (its own child, ws://), with 100 connected agents that each report a
// 1 MiB effective config: the server's RSS (after GC) with its stated per-agent limit, and with that
// limit raised to keep whole configs (what it used to do), so the ratio shows what the limit buys;
// GET / (the agent list a person waits for) p50. Then, with 100 agents and small configs as before,
// the remote-config round trip (PUT /api overlay → agent applies and reports → acknowledged) p50/p99.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SimpleAgent } from '../../lab/opamp-client/simpleAgent';
import { DEFAULT_LIMITS } from '../../lab/server/limits';
import { bytesToUuid } from '../../shared/opamp/index';

const AGENTS = 100;
const CONFIG_BYTES = 1024 * 1024;
const ROUNDS = 300;
const LIST_READS = 30;

function percentile(sorted: number[], p: number): number {
  return Number((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN).toFixed(2));
}

interface Mem { heapUsed: number; external: number; rss: number; agents: number; connected: number; reported: number }

/** A server child; `limits` are overrides passed on its command line. */
async function serverChild(limits: Record<string, number> = {}) {
  const child: ChildProcess = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(new URL('../../lab/server/benchChild.ts', import.meta.url)), JSON.stringify(limits)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => JSON.parse(String((await lines.next()).value)) as Record<string, any>;
  const { opampUrl, uiUrl } = (await next()) as { opampUrl: string; uiUrl: string };
  return {
    opampUrl, uiUrl,
    async mem(): Promise<Mem> {
      child.stdin!.write('mem\n');
      return (await next()) as Mem;
    },
    async stop() {
      child.stdin!.end();
      await new Promise((r) => child.once('exit', r));
    },
  };
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** 100 agents reporting `configBytes` effective configs to one server child: its memory and list time. */
async function hundredAgents(limits: Record<string, number>, configBytes: number, roundTrip: boolean) {
  const server = await serverChild(limits);
  const agents: SimpleAgent[] = [];
  const line = '  # a line of a very large collector configuration .....\n';
  const config = `receivers:\n${line.repeat(Math.floor(configBytes / line.length))}`;
  try {
    const before = await server.mem();
    for (let i = 0; i < AGENTS; i++) agents.push(new SimpleAgent({ endpoint: server.opampUrl, hostName: `bench-${i}`, baseConfig: config }).start());
    await until('all connected and reported', async () => {
      const m = await server.mem();
      return m.connected === AGENTS && m.reported === AGENTS;
    });
    await new Promise((r) => setTimeout(r, 500));
    const after = await server.mem();

    const list: number[] = [];
    for (let i = 0; i < LIST_READS; i++) {
      const t0 = performance.now();
      const res = await fetch(`${server.uiUrl}/`);
      await res.text();
      list.push(performance.now() - t0);
    }
    list.sort((x, y) => x - y);

    const times: number[] = [];
    if (roundTrip) {
      for (let i = 0; i < ROUNDS; i++) {
        const a = agents[i % AGENTS]!;
        const t0 = performance.now();
        const res = await fetch(`${server.uiUrl}/api/agents/${bytesToUuid(a.client.instanceUid)}/overlay`, {
          method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ config: `processors:\n  batch:\n    send_batch_size: ${i}\n` }),
        });
        const body = (await res.json()) as { acknowledged?: boolean };
        if (!body.acknowledged) throw new Error(`round ${i}: not acknowledged`);
        times.push(performance.now() - t0);
      }
      times.sort((x, y) => x - y);
    }
    return { before, after, listP50: percentile(list, 50), times };
  } finally {
    await Promise.all(agents.map((a) => a.stop()));
    await server.stop();
  }
}

export default async function run(): Promise<Record<string, number | string>> {
  const capped = await hundredAgents({}, CONFIG_BYTES, false);
  const whole = await hundredAgents({ maxEffectiveConfigBytes: 2 * CONFIG_BYTES }, CONFIG_BYTES, false);
  const small = await hundredAgents({}, 1024, true);
  const mib = (n: number) => Number((n / 1024 / 1024).toFixed(1));
  return {
    agents: AGENTS,
    effectiveConfigBytesPerAgent: CONFIG_BYTES,
    keptEffectiveConfigLimitBytes: DEFAULT_LIMITS.maxEffectiveConfigBytes,
    serverRssIdleMiB: mib(capped.before.rss),
    serverRssWith100AgentsMiB: mib(capped.after.rss),
    serverRssWith100AgentsWholeConfigsMiB: mib(whole.after.rss),
    rssRatioWholeOverLimited: Number((whole.after.rss / capped.after.rss).toFixed(2)),
    heapPlusExternalPerAgentBytes: Math.round((capped.after.heapUsed + capped.after.external - capped.before.heapUsed - capped.before.external) / AGENTS),
    agentListGetP50Ms: capped.listP50,
    agentListGetP50WholeConfigsMs: whole.listP50,
    rounds: ROUNDS,
    remoteConfigRoundTripP50Ms: percentile(small.times, 50),
    remoteConfigRoundTripP99Ms: percentile(small.times, 99),
    transport: 'ws:// (TLS off; TLS adds per-connection cost)',
  };
}

// The dashboard's /api (agents, one agent, overlay, server-sent events), the opamp-go compatible REST API
// and the `opamp-lab server` command, each against a real agent.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { startLabServer, type LabServer } from '../../lab/server/index';
import { SimpleAgent } from '../../lab/opamp-client/simpleAgent';
import { runServerCommand } from '../../lab/server/cli';
import { bytesToUuid } from '../../shared/opamp/index';
import type { ServerAgentResponse, ServerAgentsResponse, ServerApiError, ServerEvent } from '../../shared/serverApi';
import { eventually } from '../conformance/eventually';

const JSON_TYPE = { 'content-type': 'application/json' };
let server: LabServer | undefined;
const agents: SimpleAgent[] = [];

afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.stop()));
  await server?.close();
  server = undefined;
});

async function withAgent(): Promise<{ s: LabServer; a: SimpleAgent; uid: string }> {
  const s = (server = await startLabServer({ opampPort: 0, uiPort: 0, restPort: 0 }));
  const a = new SimpleAgent({ endpoint: s.opampUrl, hostName: 'otel-agent-7d4b9c8f6-abcde' }).start();
  agents.push(a);
  const uid = bytesToUuid(a.client.instanceUid);
  await eventually('registered', () => s.registry.agents.get(uid)?.status.agentDescription);
  return { s, a, uid };
}

describe('/api on the UI port', () => {
  it('lists agents, returns one, and rejects bad ids and bodies clearly', async () => {
    const { s, uid } = await withAgent();
    const list = (await (await fetch(`${s.uiUrl}/api/agents`)).json()) as ServerAgentsResponse;
    expect(list.agents.map((x: { instanceUid: string }) => x.instanceUid)).toEqual([uid]);
    const one = (await (await fetch(`${s.uiUrl}/api/agents/${uid}`)).json()) as ServerAgentResponse;
    expect(one.agent).toMatchObject({ instanceUid: uid, connected: true, hostName: 'otel-agent-7d4b9c8f6-abcde', group: 'host:otel-agent' });
    expect((await fetch(`${s.uiUrl}/api/agents/xyz`)).status).toBe(400);
    expect((await fetch(`${s.uiUrl}/api/agents/00000000-0000-0000-0000-000000000001`)).status).toBe(404);
    const bad = await fetch(`${s.uiUrl}/api/agents/${uid}/overlay`, { method: 'PUT', headers: JSON_TYPE, body: '{"config": 5}' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ServerApiError).error).toMatch(/"config" must be a string/);
  });

  it('streams a snapshot and then agent changes as server-sent events', async () => {
    const { s, uid } = await withAgent();
    const controller = new AbortController();
    const res = await fetch(`${s.uiUrl}/api/events`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const events: ServerEvent[] = [];
    let buffer = '';
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        buffer += Buffer.from(value!).toString('utf8');
        let i;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          events.push(JSON.parse(buffer.slice(0, i).replace(/^data: /, '')) as ServerEvent);
          buffer = buffer.slice(i + 2);
        }
      }
    })();
    await eventually('snapshot', () => events[0]?.type === 'snapshot');
    await fetch(`${s.uiUrl}/api/agents/${uid}/overlay`, { method: 'PUT', headers: JSON_TYPE, body: JSON.stringify({ config: 'x: 1\n' }) });
    await eventually('APPLIED event', () =>
      events.some((e) => e.type === 'agent' && e.agent.instanceUid === uid && e.agent.remoteConfigStatus.status === 'APPLIED'));
    controller.abort();
    await pump;
  });
});

describe('REST API (opamp-go example server routes)', () => {
  it('GET /api/v1/agents, GET one, POST config → 200 when the agent reports', async () => {
    const { s, a, uid } = await withAgent();
    const base = `http://127.0.0.1:${s.restPort}/api/v1/agents`;
    const list = (await (await fetch(base)).json()) as any;
    expect(list.data[0].uuid).toBe(uid);
    expect(list.data[0].status.agent_description.identifying_attributes[0].key).toBe('service.name');
    expect((await fetch(`${base}/${uid}`)).status).toBe(200);
    expect(await (await fetch(`${base}/bad-id`)).json()).toEqual({ error: 'Invalid instance ID format' });
    expect((await fetch(`${base}/00000000-0000-0000-0000-000000000001`)).status).toBe(404);
    const post = await fetch(`${base}/${uid}/config`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ config: 'y: 2\n' }) });
    expect(post.status).toBe(200);
    expect(await post.json()).toEqual({ message: 'Configuration updated successfully' });
    expect(a.applied).toBe('y: 2\n');
    expect((await fetch(`${base}/${uid}/config`, { method: 'POST', headers: JSON_TYPE, body: 'not json' })).status).toBe(400);
  });

  it('POST config answers 408 when the agent does not report within the wait', async () => {
    const { s, a, uid } = await withAgent();
    await a.stop();
    agents.splice(0);
    await eventually('disconnected', () => s.registry.agents.get(uid)?.connected === false);
    const started = Date.now();
    const post = await fetch(`http://127.0.0.1:${s.restPort}/api/v1/agents/${uid}/config`, { method: 'POST', headers: JSON_TYPE, body: '{"config":"z: 3"}' });
    expect(post.status).toBe(408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4900);
  }, 15_000);
});

describe('opamp-lab server command', () => {
  it('rejects bad options with a usage error and prints help', async () => {
    expect(await runServerCommand(['--opamp-port', 'abc'])).toBe(2);
    expect(await runServerCommand(['--bogus'])).toBe(2);
    expect(await runServerCommand(['--help'])).toBe(0);
  });

  it('runs until SIGTERM and serves the UI', async () => {
    const script = "import { runServerCommand } from './lab/server/cli.ts'; process.exit(await runServerCommand(process.argv.slice(1)));";
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, '--', '--opamp-port', '0', '--ui-port', '0', '--rest-port', '0'], { cwd: process.cwd() });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const uiUrl = await eventually('UI line', () => /web UI at (http:\S+)/.exec(out)?.[1], 20_000);
    expect(out).toMatch(/wss:\/\/127\.0\.0\.1:\d+\/v1\/opamp - TLS enabled/);
    expect((await fetch(uiUrl)).status).toBe(200);
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(0);
    expect(out).toContain('OpAMP server stopped');
  }, 30_000);
});

// Fault and abuse cases for the lab OpAMP server, bounded and on 127.0.0.1 only: half-open and silent
// sockets (plain and TLS), too many connections, silent and dead WebSockets, oversized reports, a reused
// instance_uid, event streams that do not read, and heartbeats that must not re-hash the overlay. Limits are
// lowered per case so each runs in seconds; every case ends by checking the server still answers.
import { afterEach, describe, expect, it } from 'vitest';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import WebSocket from 'ws';
import { startLabServer, type LabServer, type ServerLimits } from '../../lab/server/index';
import { overlayHashes } from '../../lab/server/overlay';
import { HTTP_AGENT_STALE_MS } from '../../lab/server/agentRegistry';
import { SimpleAgent } from '../../lab/opamp-client/simpleAgent';
import {
  bytesToUuid, decodeServerToAgent, encodeAgentToServer, frameWsMessage, newUuidV7, unframeWsMessage,
} from '../../shared/opamp/index';
import { eventually } from '../conformance/eventually';

let server: LabServer | undefined;
const agents: SimpleAgent[] = [];
const sockets: Socket[] = [];
const lines: string[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(agents.splice(0).map((a) => a.stop()));
  // The server must still answer after every case.
  if (server) expect((await fetch(`${server.uiUrl}/api/agents`)).status).toBe(200);
  await server?.close();
  server = undefined;
  lines.length = 0;
});

async function start(limits: Partial<ServerLimits>, tls = true): Promise<LabServer> {
  server = await startLabServer({ opampPort: 0, uiPort: 0, restPort: false, limits, log: (l) => lines.push(l), ...(tls ? {} : { tls: false }) });
  return server;
}

function agent(opts: Partial<ConstructorParameters<typeof SimpleAgent>[0]> = {}): SimpleAgent {
  const a = new SimpleAgent({ endpoint: server!.opampUrl, ...opts }).start();
  agents.push(a);
  return a;
}

/** Resolves when the server closes the socket (or after `ms`, with false). */
function closedWithin(socket: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    socket.on('close', () => { clearTimeout(t); resolve(true); });
    socket.on('error', () => {});
    socket.resume();
  });
}

function openWs(headers: Record<string, string> = {}, autoPong = true): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
  const ws = new WebSocket(server!.opampUrl, { rejectUnauthorized: false, headers, autoPong });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on('error', () => {});
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve({ ws, closed }));
    ws.on('unexpected-response', (_q, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { res })));
  });
}

describe('sockets that never finish a request are closed (header timeout)', () => {
  it.each([['plain', false], ['TLS', true]] as const)('%s: half-open requests and silent sockets', async (_name, tls) => {
    const s = await start({ headersTimeoutMs: 1000, requestTimeoutMs: 3000 }, tls);
    const open = (): Promise<Socket> => new Promise((resolve) => {
      const sock = tls
        ? tlsConnect({ host: '127.0.0.1', port: s.opampPort, rejectUnauthorized: false }, () => resolve(sock))
        : tcpConnect(s.opampPort, '127.0.0.1', () => resolve(sock));
      sockets.push(sock);
    });
    const halfOpen = await Promise.all(Array.from({ length: 20 }, async () => {
      const sock = await open();
      sock.write('POST /v1/opamp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\n');
      return sock;
    }));
    const silent = await Promise.all(Array.from({ length: 5 }, () => open()));
    const closed = await Promise.all([...halfOpen, ...silent].map((sock) => closedWithin(sock, 10_000)));
    expect(closed.filter(Boolean)).toHaveLength(25);
  }, 30_000);

  it('a raw TCP socket on the TLS port that never speaks is closed too', async () => {
    const s = await start({ headersTimeoutMs: 1000 });
    const sock = tcpConnect(s.opampPort, '127.0.0.1');
    sockets.push(sock);
    expect(await closedWithin(sock, 10_000)).toBe(true);
  });
});

describe('WebSocket limits', () => {
  it('refuses the connection above the cap with 503, Retry-After and the reason, and admits again below it', async () => {
    const s = await start({ maxAgentConnections: 3 });
    const three = [agent(), agent(), agent()];
    await eventually('3 connected', () => s.connections() === 3 && three.every((a) => a.client.isConnected));
    const refused = await openWs().then(() => undefined, (err: Error & { res: import('node:http').IncomingMessage }) => err.res);
    expect(refused?.statusCode).toBe(503);
    expect(refused?.headers['retry-after']).toBe('30');
    let body = '';
    for await (const c of refused!) body += String(c);
    expect(body).toBe('the server holds at most 3 agent connections; try again later\n');
    await three[0]!.stop();
    await eventually('slot free', () => s.connections() === 2);
    const again = await openWs();
    again.ws.close();
  });

  it('closes a WebSocket that sends no status report in time (1008, with the reason)', async () => {
    await start({ firstMessageTimeoutMs: 400 });
    const { closed } = await openWs();
    expect(await closed).toEqual({ code: 1008, reason: 'no AgentToServer within 0.4 s of connecting' });
  });

  it('drops a peer that stops answering pings', async () => {
    const s = await start({ pingIntervalMs: 200 });
    const { ws, closed } = await openWs({}, false);
    ws.send(frameWsMessage(encodeAgentToServer({ instanceUid: newUuidV7(), sequenceNum: 0, capabilities: 1 })));
    expect((await closed).code).toBe(1006);
    expect(s.connections()).toBe(0);
    expect(lines).toContain('[OPAMP] dropping a connection that did not answer a ping');
  });

  it('refuses agent status above the per-agent limit (error response, close 1009)', async () => {
    await start({ maxAgentStatusBytes: 4096 });
    const { ws, closed } = await openWs();
    const replies: Buffer[] = [];
    ws.on('message', (d: Buffer) => replies.push(d));
    ws.send(frameWsMessage(encodeAgentToServer({
      instanceUid: newUuidV7(), capabilities: 1,
      agentDescription: { nonIdentifyingAttributes: [{ key: 'host.name', value: { stringValue: 'x'.repeat(10_000) } }] },
    })));
    expect((await closed).code).toBe(1009);
    expect(decodeServerToAgent(unframeWsMessage(new Uint8Array(replies[0]!))).errorResponse?.errorMessage)
      .toMatch(/^agent status .* of 10,0\d\d bytes is larger than the 4,096 bytes this server keeps per agent$/);
  });
});

describe('per-agent state stays bounded', () => {
  it('keeps a 1 MiB effective config cut to the limit with a note', async () => {
    const s = await start({});
    const big = `receivers:\n${'  # filler line for a very large collector config\n'.repeat(21_000)}`;
    const a = agent({ baseConfig: big });
    const uid = bytesToUuid(a.client.instanceUid);
    const view = await eventually('reported', () => { const r = s.registry.agents.get(uid); return r?.effective && s.registry.view(r); });
    expect(Buffer.byteLength(view.effectiveConfig)).toBe(s.limits.maxEffectiveConfigBytes);
    expect(view.effectiveConfigNote).toBe(`The agent reported ${Buffer.byteLength(big).toLocaleString('en-US')} bytes; the server keeps the first 131,072 bytes.`);
    const page = await (await fetch(`${s.uiUrl}/agent?instanceid=${uid}`)).text();
    expect(page).toContain('Cut short: The agent reported');
  });

  it('computes the overlay hash once per change, not per heartbeat', async () => {
    const s = await start({});
    const a = agent({ heartbeatMs: 10 });
    const uid = bytesToUuid(a.client.instanceUid);
    await eventually('registered', () => s.registry.agents.get(uid));
    const before = overlayHashes.computed;
    expect(await s.registry.setOverlay(uid, `processors:\n  batch: {}\n${'# pad\n'.repeat(20_000)}`, 5000)).toBe(true);
    const seq = s.registry.agents.get(uid)!.status.sequenceNum ?? 0;
    await eventually('50 more heartbeats', () => (s.registry.agents.get(uid)!.status.sequenceNum ?? 0) > seq + 50);
    expect(overlayHashes.computed - before).toBe(1);
  });

  it('forgets the oldest disconnected agents beyond the cap, and all of them after the expiry', async () => {
    const s = await start({ maxDisconnectedAgents: 2, forgetDisconnectedMs: 60_000 });
    const four = Array.from({ length: 4 }, (_, i) => agent({ hostName: `gone-${i}` }));
    await eventually('4 registered', () => s.registry.agents.size === 4);
    for (const a of four) await a.stop();
    await eventually('2 kept', () => s.registry.agents.size === 2);
    expect([...s.registry.agents.values()].every((r) => !r.connected)).toBe(true);
    s.registry.prune(Date.now() + 61_000);
    expect(s.registry.agents.size).toBe(0);
  });
});

describe('agent records stay bounded', () => {
  it('one connection may report for a few agents only (1008 above it)', async () => {
    await start({ maxAgentsPerConnection: 2 });
    const { ws, closed } = await openWs();
    const replies: Buffer[] = [];
    ws.on('message', (d: Buffer) => replies.push(d));
    for (let i = 0; i < 3; i++) ws.send(frameWsMessage(encodeAgentToServer({ instanceUid: newUuidV7(), sequenceNum: 0, capabilities: 1 })));
    expect(await closed).toEqual({ code: 1008, reason: 'too many agents on one connection' });
    const last = decodeServerToAgent(unframeWsMessage(new Uint8Array(replies.at(-1)!)));
    expect(last.errorResponse).toMatchObject({ type: 1, errorMessage: 'this connection already reports for 2 agents, the most this server accepts on one connection' });
    expect(server!.registry.agents.size).toBe(2);
  });

  it('above the total, a disconnected record makes room; with none, a newcomer is refused as Unavailable (503 over HTTP)', async () => {
    const s = await start({ maxAgents: 2 }, false);
    const [a, b] = [agent({ hostName: 'a' }), agent({ hostName: 'b' })];
    await eventually('2 registered', () => s.registry.agents.size === 2);
    const post = (uid: Uint8Array) => fetch(`http://127.0.0.1:${s.opampPort}/v1/opamp`, {
      method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: encodeAgentToServer({ instanceUid: uid, capabilities: 1 }),
    });
    const refused = await post(newUuidV7());
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(decodeServerToAgent(new Uint8Array(await refused.arrayBuffer())).errorResponse).toMatchObject({ type: 2, errorMessage: 'the server holds 2 agents, its limit; try again later' });
    await a.stop();
    await eventually('a disconnected', () => s.registry.agents.get(bytesToUuid(a.client.instanceUid))?.connected === false);
    const fresh = newUuidV7();
    expect((await post(fresh)).status).toBe(200);
    expect([...s.registry.agents.keys()].sort()).toEqual([bytesToUuid(b.client.instanceUid), bytesToUuid(fresh)].sort());
  });
});

describe('HTTP-transport agents', () => {
  it('are shown as disconnected once they stop polling, then forgotten like the others', async () => {
    const s = await start({ forgetDisconnectedMs: 600_000 });
    const a = agent({ endpoint: `https://127.0.0.1:${s.opampPort}/v1/opamp` });
    const uid = bytesToUuid(a.client.instanceUid);
    await eventually('polled', () => s.registry.agents.get(uid)?.connected);
    s.registry.prune(Date.now() + HTTP_AGENT_STALE_MS + 1000);
    expect(s.registry.agents.get(uid)?.connected).toBe(false);
    s.registry.prune(Date.now() + 601_000);
    expect(s.registry.agents.has(uid)).toBe(false);
  });
});

describe('a reused instance_uid', () => {
  it('gets a new uid (AgentIdentification) and its own flagged record; the live agent\'s record is untouched', async () => {
    const s = await start({});
    const first = agent({ hostName: 'opamp-agent-7d4b9c8f6-aaaaa' });
    const uid = bytesToUuid(first.client.instanceUid);
    await eventually('first registered', () => s.registry.agents.get(uid)?.status.agentDescription);
    expect(await s.registry.setOverlay(uid, 'a: 1\n', 5000)).toBe(true);

    const clone = agent({ hostName: 'intruder', instanceUid: first.client.instanceUid.slice() });
    const newUid = await eventually('clone renamed', () => bytesToUuid(clone.client.instanceUid) !== uid && bytesToUuid(clone.client.instanceUid));
    const cloneRec = await eventually('clone record', () => s.registry.agents.get(newUid)?.status.agentDescription && s.registry.agents.get(newUid));
    expect(cloneRec.duplicateOf).toBe(uid);
    expect(s.registry.view(cloneRec).hostName).toBe('intruder');

    const original = s.registry.view(s.registry.agents.get(uid)!);
    expect(original.hostName).toBe('opamp-agent-7d4b9c8f6-aaaaa');
    expect(original.overlay).toBe('a: 1\n');
    expect(original.connected).toBe(true);
    expect(await s.registry.setOverlay(uid, 'b: 2\n', 5000)).toBe(true);
    expect(first.applied).toBe('b: 2\n');
    expect(clone.received.map((rc) => rc.configHash)).not.toContainEqual(s.registry.agents.get(uid)!.overlay!.offer.configHash);
    expect(lines.join('\n')).toContain(`instance_uid ${uid} is already connected on another connection; the newcomer is assigned ${newUid}`);
  });
});

describe('/api/events streams', () => {
  it('drops a client that does not read and caps the number of streams', async () => {
    const s = await start({ maxEventBacklogBytes: 16 * 1024, maxEventStreams: 2 });
    const a = agent({ baseConfig: `receivers:\n${'  # some filler for a large event\n'.repeat(3000)}` });
    await eventually('registered', () => s.registry.agents.get(bytesToUuid(a.client.instanceUid)));
    const stalled = tcpConnect(s.uiPort, '127.0.0.1');
    sockets.push(stalled);
    stalled.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${s.uiPort}\r\n\r\n`);
    stalled.pause();
    const reader = await fetch(`${s.uiUrl}/api/events`);
    expect(reader.status).toBe(200);
    const third = await fetch(`${s.uiUrl}/api/events`);
    expect(third.status).toBe(503);
    expect(((await third.json()) as { error: string }).error).toMatch(/too many event streams are open \(at most 2\)/);
    const body = reader.body!.getReader();
    let got = 0;
    const pump = (async () => { for (;;) { const r = await body.read().catch(() => ({ done: true, value: undefined })); if (r.done) return; got += r.value!.length; } })();
    // Each report of the ~100 KiB effective config is one event for every stream.
    for (let i = 0; i < 200 && !lines.some((l) => l.includes('dropping an /api/events client')); i++) {
      a.client.effectiveConfigChanged();
      await new Promise((r) => setTimeout(r, 5));
    }
    await eventually('stalled stream dropped', () => lines.some((l) => l.startsWith('[UI] dropping an /api/events client that is not reading')));
    expect(got).toBeGreaterThan(1_000_000);
    await body.cancel();
    await pump;
  }, 30_000);
});

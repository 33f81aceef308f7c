// The lab OpAMP server against the real agent client: WebSocket over TLS (demo certificate), plain HTTP,
// malformed frames, many agents, and overlays kept for a workload whose pod comes back with a new uid.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { request } from 'node:http';
import { startLabServer, type LabServer } from '../../lab/server/index';
import { SimpleAgent } from '../../lab/opamp-client/simpleAgent';
import {
  bytesToHex, bytesToUuid, decodeServerToAgent, encodeAgentToServer, frameWsMessage, sha256, unframeWsMessage, utf8Encode,
} from '../../shared/opamp/index';
import { eventually } from '../conformance/eventually';

const JSON_TYPE = { 'content-type': 'application/json' };
let server: LabServer | undefined;
const agents: SimpleAgent[] = [];

afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.stop()));
  await server?.close();
  server = undefined;
});

async function start(opts: Parameters<typeof startLabServer>[0] = {}): Promise<LabServer> {
  server = await startLabServer({ opampPort: 0, uiPort: 0, restPort: 0, ...opts });
  return server;
}

function agent(opts: Omit<ConstructorParameters<typeof SimpleAgent>[0], 'endpoint'> & { endpoint?: string }): SimpleAgent {
  const a = new SimpleAgent({ endpoint: server!.opampUrl, ...opts });
  agents.push(a);
  return a.start();
}

async function json(url: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json() };
}

describe('lab OpAMP server over WebSocket + TLS', () => {
  it('connect → description → effective config → remote config → APPLIED', async () => {
    const s = await start();
    expect(s.opampUrl).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/v1\/opamp$/);
    const a = agent({ hostName: 'otel-agent-7d4b9c8f6-abcde', baseConfig: 'receivers:\n  otlp: {}\n' });
    const uid = bytesToUuid(a.client.instanceUid);
    const seen = await eventually('agent registered', () => s.registry.agents.get(uid));
    expect(seen.connected).toBe(true);
    const view = s.registry.view(seen);
    expect(view.serviceName).toBe('otelcol-contrib');
    expect(view.hostName).toBe('otel-agent-7d4b9c8f6-abcde');
    expect(view.group).toBe('host:otel-agent');
    expect(view.effectiveConfig).toContain('otlp');

    const overlay = 'exporters:\n  debug: {}\n';
    const res = await json(`${s.uiUrl}/api/agents/${uid}/overlay`, { method: 'PUT', headers: JSON_TYPE, body: JSON.stringify({ config: overlay }) });
    expect(res.status).toBe(200);
    expect(res.body.acknowledged).toBe(true);
    const applied = await eventually('APPLIED', () => {
      const v = s.registry.view(s.registry.agents.get(uid)!);
      return v.remoteConfigStatus.status === 'APPLIED' && v;
    });
    expect(applied.remoteConfigStatus.hash).toBe(bytesToHex(sha256(utf8Encode(overlay))));
    expect(applied.effectiveConfig).toContain('debug');
    expect(a.received).toHaveLength(1);
    expect(Object.keys(a.received[0]!.config!.configMap!)).toEqual(['']);
  });

  it('a rejected config is tracked as FAILED with the agent\'s error text', async () => {
    const s = await start();
    const a = agent({ validate: (body) => (body.includes('\t') ? 'yaml: line 1: found character that cannot start any token' : undefined) });
    const uid = bytesToUuid(a.client.instanceUid);
    await eventually('registered', () => s.registry.agents.get(uid));
    await s.registry.setOverlay(uid, 'receivers:\n\tbad', 2000);
    const v = await eventually('FAILED', () => {
      const view = s.registry.view(s.registry.agents.get(uid)!);
      return view.remoteConfigStatus.status === 'FAILED' && view;
    });
    expect(v.remoteConfigStatus.errorMessage).toBe('yaml: line 1: found character that cannot start any token');
  });

  it('plain ws:// against the TLS listener fails the handshake like opamp-go\'s, and wss to a plain listener fails TLS', async () => {
    const s = await start();
    const plain = agent({ endpoint: `ws://127.0.0.1:${s.opampPort}/v1/opamp` });
    expect(await eventually('dial failure', () => plain.connectFailures[0])).toBe('websocket: bad handshake');
    const noTls = await startLabServer({ opampPort: 0, uiPort: 0, restPort: false, tls: false });
    try {
      const wss = agent({ endpoint: `wss://127.0.0.1:${noTls.opampPort}/v1/opamp` });
      expect(await eventually('tls failure', () => wss.connectFailures[0])).toBe('tls: first record does not look like a TLS handshake');
    } finally {
      await noTls.close();
    }
  });

  it('garbage and truncated frames get an error response and a close, and the server keeps serving', async () => {
    const s = await start();
    for (const frame of [Buffer.from([0x00, 0xff, 0xff, 0xff]), Buffer.from([0x00, 0x0a, 0x10, 0x01]), Buffer.from([0x00, 0x0a, 0x02, 0x01, 0x02])]) {
      const ws = new WebSocket(s.opampUrl, { rejectUnauthorized: false });
      const got: Buffer[] = [];
      ws.on('message', (d: Buffer) => got.push(d));
      const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
      await new Promise((r) => ws.on('open', r));
      ws.send(frame);
      expect(await closed).toBe(1002);
      const reply = decodeServerToAgent(unframeWsMessage(new Uint8Array(got[0]!)));
      expect(reply.errorResponse?.type).toBe(1);
      expect(reply.errorResponse?.errorMessage).toMatch(/decode AgentToServer|instance_uid must be 16 bytes/);
    }
    const a = agent({});
    await eventually('agent after garbage', () => s.registry.agents.get(bytesToUuid(a.client.instanceUid))?.connected);
  });

  it('oversized WebSocket messages are closed with 1009', async () => {
    const s = await start({ maxMessageBytes: 1024 });
    const ws = new WebSocket(s.opampUrl, { rejectUnauthorized: false });
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await new Promise((r) => ws.on('open', r));
    ws.send(Buffer.alloc(4096));
    expect(await closed).toBe(1009);
  });

  it('asks for the full state (ReportFullState) after a sequence gap on an unknown agent', async () => {
    const s = await start();
    const ws = new WebSocket(s.opampUrl, { rejectUnauthorized: false });
    const replies: Buffer[] = [];
    ws.on('message', (d: Buffer) => replies.push(d));
    await new Promise((r) => ws.on('open', r));
    ws.send(frameWsMessage(encodeAgentToServer({ instanceUid: new Uint8Array(16).fill(7), sequenceNum: 42, capabilities: 1 })));
    await eventually('reply', () => replies.length > 0);
    const reply = decodeServerToAgent(unframeWsMessage(new Uint8Array(replies[0]!)));
    expect(reply.flags).toBe(1);
    expect(reply.capabilities).toBe(7);
    ws.close();
  });

  it('keeps the overlay for a workload whose pod returns with a new instance_uid', async () => {
    const s = await start();
    const first = agent({ hostName: 'otel-agent-5f7c9d8b4-x2k9p' });
    const uid1 = bytesToUuid(first.client.instanceUid);
    await eventually('first registered', () => s.registry.agents.get(uid1));
    const overlay = 'processors:\n  batch: {}\n';
    expect(await s.registry.setOverlay(uid1, overlay, 3000)).toBe(true);
    await first.stop();
    agents.splice(agents.indexOf(first), 1);
    const second = agent({ hostName: 'otel-agent-6a8b7c9d5-q7w3e' });
    await eventually('new pod got the overlay', () => second.applied === overlay);
    // The agent's APPLIED report reaches the server a moment after the agent applied.
    const v = await eventually('APPLIED on the server', () => {
      const view = s.registry.view(s.registry.agents.get(bytesToUuid(second.client.instanceUid))!);
      return view.remoteConfigStatus.status === 'APPLIED' && view;
    });
    expect(v.overlaySource).toBe('group');
    const other = agent({ hostName: 'other-app-5f7c9d8b4-aaaaa' });
    await eventually('other registered', () => s.registry.agents.get(bytesToUuid(other.client.instanceUid))?.status.agentDescription);
    expect(other.received).toHaveLength(0);
  });

  it('holds 1,000 agents connected at once', async () => {
    const s = await start({ tls: false, restPort: false });
    const many = Array.from({ length: 1000 }, (_, i) => agent({ hostName: `load-${i}` }));
    await eventually('1000 connected', () => [...s.registry.agents.values()].filter((r) => r.connected).length === 1000, 30_000);
    expect(many.every((a) => a.client.isConnected)).toBe(true);
  }, 60_000);
});

describe('lab OpAMP server over plain HTTP', () => {
  it('answers POST application/x-protobuf and delivers the overlay in the next poll reply', async () => {
    const s = await start();
    const a = agent({ endpoint: `https://127.0.0.1:${s.opampPort}/v1/opamp`, heartbeatMs: 100 });
    const uid = bytesToUuid(a.client.instanceUid);
    await eventually('registered over http', () => s.registry.agents.get(uid)?.connection?.transport === 'http');
    expect(await s.registry.setOverlay(uid, 'a: 1\n', 3000)).toBe(true);
    await eventually('APPLIED over http', () => s.registry.view(s.registry.agents.get(uid)!).remoteConfigStatus.status === 'APPLIED');
    expect(a.applied).toBe('a: 1\n');
  });

  it('rejects an undecodable body with 400 and a wrong content type with 400', async () => {
    const s = await start({ tls: false });
    const post = (body: Buffer, type: string) => new Promise<number>((resolve, reject) => {
      const req = request(`http://127.0.0.1:${s.opampPort}/v1/opamp`, { method: 'POST', headers: { 'Content-Type': type } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(await post(Buffer.from([0xff, 0xff]), 'application/x-protobuf')).toBe(400);
    expect(await post(Buffer.from('x'), 'text/plain')).toBe(400);
  });
});

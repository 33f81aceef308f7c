// Issue 10, fault and abuse: every listener of the app on this machine gets malformed requests
// (broken percent-escapes, unparsable targets, oversized headers, garbage bytes, garbage WebSocket
// frames, half-open and reset sockets, bad LabApi calls) and must answer 4xx or close, never throw:
// everything here runs in this one process, as in `opamp-lab web --embedded`, so an uncaught
// exception would end the run. After each barrage the listener must still answer a good request.
// Bounded counts, 127.0.0.1 only.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createEngineService, type EngineService } from '../../electron/engine/index';
import { probeHttp, probeOpampWebSocket } from '../../electron/engine/forward/health';
import { oneShotForward, OTLP_HTTP_PORT } from '../../electron/engine/telemetry/telemetryProof';
import { startWebShell, type WebShell } from '../../electron/web/server';
import { LAB_METHODS } from '../../shared/api';
import { eventually } from '../conformance/eventually';
import { afterUpgrade, exchange, garbageFrames, halfOpen, open, request, statusOf, upgrade, type Listener } from './rawClient';

const dir = mkdtempSync(join(tmpdir(), 'abuse-listeners-'));
const rendererDir = join(dir, 'renderer');
let service: EngineService;
let shell: WebShell;
const logged: string[] = [];

beforeAll(async () => {
  // The web shell serves whatever renderer folder it is given; the real build is not needed here.
  (await import('node:fs')).mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>OpAMP Lab</title>');
  service = createEngineService({ shell: 'web', version: 'test', dataDir: dir });
  shell = await startWebShell({ service, rendererDir, maxUnsentBytes: 256 * 1024, log: (l) => logged.push(l) });
  const r = await service.call('connect', { target: { kind: 'embedded' } });
  expect(r).toEqual({ ok: true, value: undefined });
  await eventually('both forwards up', () => service.store.current.forwards.length === 2 && service.store.current.forwards.every((f) => f.health === 'up'), 60_000);
}, 120_000);

afterAll(async () => {
  await shell?.close();
  await service?.close();
});

const BAD_TARGETS = ['/%E0%A4%A', '/%', '/%zz/../../etc/passwd', '/a%00b', 'http://[', '//', '*', '/' + 'a'.repeat(20_000)];

/** The malformed-HTTP barrage every listener gets; returns the status codes seen. */
async function httpBarrage(l: Listener, wsPath: string): Promise<number[]> {
  const statuses: number[] = [];
  for (const target of BAD_TARGETS) statuses.push(statusOf(await exchange(l, request(l, target))));
  statuses.push(statusOf(await exchange(l, request(l, '/', `X-Big: ${'x'.repeat(64 * 1024)}\r\n`))));
  statuses.push(statusOf(await exchange(l, 'NOT HTTP AT ALL\r\n\r\n')));
  statuses.push(statusOf(await exchange(l, Buffer.from([0, 255, 1, 254, 13, 10, 13, 10]))));
  statuses.push(statusOf(await exchange(l, 'GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n')));
  statuses.push(statusOf(await exchange(l, 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')));
  for (const target of ['/%E0%A4%A', 'http://[', wsPath + '%']) statuses.push(statusOf(await exchange(l, upgrade(l, target))));
  await halfOpen(l, 20, 'GET / HTTP/1.1\r\nHost: ');
  await halfOpen(l, 10, upgrade(l, wsPath));
  return statuses;
}

describe('listeners survive malformed input', () => {
  it('web shell: 400 for broken paths, 431 for huge headers, closes garbage, then serves', async () => {
    const l: Listener = { name: 'web shell', port: shell.port, host: `127.0.0.1:${shell.port}` };
    const statuses = await httpBarrage(l, `/lab?token=${shell.token}`);
    expect(statuses.slice(0, 2)).toEqual([400, 400]);
    expect(statuses[BAD_TARGETS.length]).toBe(431);
    expect(statuses.every((s) => s === 0 || (s >= 400 && s < 500))).toBe(true);
    const ok = await fetch(`http://127.0.0.1:${shell.port}/`);
    expect(ok.status).toBe(200);
  }, 60_000);

  it('web shell WebSocket: garbage frames and malformed LabApi frames close only that socket', async () => {
    const l: Listener = { name: 'web shell', port: shell.port, host: `127.0.0.1:${shell.port}`, headers: { Origin: `http://127.0.0.1:${shell.port}` } };
    for (const frame of garbageFrames()) {
      const r = await afterUpgrade(l, `/lab?token=${shell.token}`, frame);
      expect(r.upgraded).toBe(true);
    }
    const closes: number[] = [];
    for (const frame of ['not json', '{"id":-1,"method":"getInfo"}', '[]', 'null', `{"id":1,"method":"${'m'.repeat(100)}"}`, Buffer.from([1, 2, 3]), 'x'.repeat(3 * 1024 * 1024)]) {
      closes.push(await new Promise<number>((resolve) => {
        const ws = labSocket();
        ws.on('open', () => ws.send(frame));
        ws.on('close', (code) => resolve(code));
        ws.on('error', () => undefined);
      }));
    }
    expect(closes).toEqual([1003, 1003, 1003, 1003, 1003, 1003, 1009]);
    expect(await labCall('getInfo', {})).toMatchObject({ ok: true, value: { shell: 'web' } });
  }, 60_000);

  it('web shell LabApi: every method refuses ill-typed requests with invalid-input, and nothing changes', async () => {
    const bad: unknown[] = [42, 'x', [], true, { zzz: 1 }, JSON.parse('{"__proto__":{"polluted":true}}'), { text: { $gt: '' } }, nested(1_000)];
    for (const method of LAB_METHODS) {
      for (const request of bad) {
        const r = await labCall(method, request);
        expect(r, `${method} ${JSON.stringify(request).slice(0, 40)}`).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await labCall('nosuchMethod', {})).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    expect(service.store.current.connection.status).toBe('connected');
  }, 120_000);

  it('web shell drops a page that stops reading, and keeps serving the others', async () => {
    const ws = labSocket();
    await new Promise((r) => ws.once('open', r));
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    // Stop reading: the kernel buffers fill, then the web shell's send buffer grows.
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    for (let i = 0; i < 400; i++) ws.send(JSON.stringify({ id: i, method: 'getSnapshot', request: {} }));
    await eventually('the slow page dropped', () => logged.some((l) => l.includes('stopped reading')), 30_000);
    (ws as unknown as { _socket: { resume(): void } })._socket.resume();
    await closed;
    expect(await labCall('getInfo', {})).toMatchObject({ ok: true });
  }, 60_000);

  it('API emulator: malformed requests and exec WebSocket garbage, then it serves kubectl', async () => {
    const sim = service.engine.embedded!;
    const api = new URL(sim.apiUrl);
    const auth = { Authorization: `Bearer ${sim.cluster.token}` };
    const l: Listener = { name: 'API emulator', port: Number(api.port), tls: api.protocol === 'https:', host: api.host, headers: auth };
    const statuses = await httpBarrage(l, '/api/v1/namespaces/opamp/pods/x/exec');
    expect(statuses.slice(0, 2), statuses.join(',')).toEqual([400, 400]);
    expect(statuses.every((s) => s < 500), statuses.join(',')).toBe(true);
    // Through the service and pod proxy and the log stream too.
    const proxied: number[] = [];
    for (const target of ['/api/v1/namespaces/opamp/services/opamp-server:4321/proxy/%E0%A4%A', '/api/v1/namespaces/opamp/services/opamp-server:4321/proxy/api/agents/%zz',
      '/api/v1/namespaces/opamp/services/nosuch:1/proxy/', '/api/v1/namespaces/opamp/pods/%E0%A4%A/log', '/api/v1/namespaces/opamp/pods/x/log?follow=true&tailLines=-5&sinceTime=zz']) {
      proxied.push(statusOf(await exchange(l, request(l, target))));
    }
    expect(proxied.every((s) => s > 0 && s < 500), proxied.join(',')).toBe(true);
    const pod = service.store.current.agents[0]?.pod ?? service.store.current.pods.find((p) => p.name.startsWith('opamp-agent'))!.name;
    const base = `/api/v1/namespaces/opamp/pods/${pod}`;
    const streams: [string, string][] = [
      [`${base}/exec?command=sh&stdin=true&stdout=true&tty=true&container=agent`, 'v5.channel.k8s.io'],
      [`${base}/attach?stdin=true&stdout=true&tty=true&container=agent`, 'v5.channel.k8s.io'],
      [`${base}/portforward?ports=4321`, 'v4.channel.k8s.io'],
      [`${base}/portforward?ports=4321`, 'portforward.k8s.io'],
    ];
    for (const [path, protocol] of streams) {
      let upgraded = 0;
      for (const frame of garbageFrames()) if ((await afterUpgrade(l, path, frame, `Sec-WebSocket-Protocol: ${protocol}\r\n`)).upgraded) upgraded += 1;
      expect(upgraded, `${path} ${protocol}`).toBe(garbageFrames().length);
    }
    const pods = await service.engine.kube!.core.listNamespacedPod({ namespace: 'opamp' });
    expect(pods.items.length).toBeGreaterThan(1);
  }, 120_000);

  it('the forwards to the server pod and the published server UI port: garbage in, still forwarding', async () => {
    const forwards = service.store.current.forwards;
    const ui = forwards.find((f) => f.name === 'ui')!.localPort!;
    const opamp = forwards.find((f) => f.name === 'opamp')!.localPort!;
    const published = Number(new URL(service.engine.embedded!.uiUrl).port);
    for (const [port, tls] of [[ui, false], [opamp, true], [opamp, false], [published, false]] as const) {
      const l: Listener = { name: `port ${port}`, port, tls, host: `127.0.0.1:${port}` };
      const statuses = await httpBarrage(l, '/v1/opamp');
      // Whatever answers behind the forward (the lab server) may serve its page for odd paths; never a 5xx.
      expect(statuses.every((s) => s < 500), `${port}: ${statuses.join(',')}`).toBe(true);
      for (const frame of garbageFrames().slice(0, 3)) await afterUpgrade(l, '/v1/opamp', frame);
    }
    expect(await probeHttp(ui)).toBe(200);
    expect(await probeHttp(published)).toBe(200);
    expect(await probeOpampWebSocket(opamp)).toBe('wss');
  }, 180_000);

  it("the agent pod's OTLP/HTTP receiver (the emulated collector) through the telemetry check's forward: bad bodies are 4xx, the lab lives", async () => {
    const pod = service.store.current.pods.find((p) => p.app === 'opamp-agent' && p.ready)!.name;
    const pidBefore = collectorPid();
    const fwd = await oneShotForward(service.engine.kube!, pod, OTLP_HTTP_PORT);
    try {
      const l: Listener = { name: 'otlp receiver', port: fwd.localPort, host: `localhost:${OTLP_HTTP_PORT}` };
      const statuses = await httpBarrage(l, '/v1/traces');
      expect(statuses.every((s) => s < 500), statuses.join(',')).toBe(true);
      const post = (body: string | Buffer, type = 'application/json', more = ''): string => {
        const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
        return `POST /v1/traces HTTP/1.1\r\nHost: ${l.host}\r\nContent-Type: ${type}\r\nContent-Length: ${b.length}\r\n${more}Connection: close\r\n\r\n${b.toString('latin1')}`;
      };
      // Bodies of the wrong shape used to reach the processors and end the whole process.
      const bad = ['{"resourceSpans":5}', '{"resourceSpans":[{"scopeSpans":"x"}]}', '{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":"zz"}]}]}]}', 'null', '[]', '{', '['.repeat(5000) + ']'.repeat(5000), deepKvList(3000)];
      for (const body of bad) expect(statusOf(await exchange(l, post(body))), body.slice(0, 60)).toBe(400);
      expect(statusOf(await exchange(l, post(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2]), 'application/x-protobuf')))).toBe(400);
      // A client that announces a body and goes away halfway.
      for (let i = 0; i < 5; i += 1) {
        const s = open(l);
        s.on('connect', () => {
          s.write(`POST /v1/traces HTTP/1.1\r\nHost: ${l.host}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"resourceSpans":[`);
          setTimeout(() => s.resetAndDestroy(), 50);
        });
      }
      await new Promise((r) => setTimeout(r, 300));
      // Still a receiver: a good span is taken, and it is the same collector process.
      const good = { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'abuse-check' }] }] }] };
      expect(statusOf(await exchange(l, post(JSON.stringify(good))))).toBe(200);
      expect(collectorPid()).toBe(pidBefore);
    } finally {
      await fwd.close();
    }
  }, 120_000);
});

/** A span attribute nested `depth` key-value lists deep (OTLP's AnyValue allows it; no decoder should recurse without limit). */
function deepKvList(depth: number): string {
  const open = '{"key":"k","value":{"kvlistValue":{"values":['.repeat(depth);
  const close = ']}}}'.repeat(depth);
  return `{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"deep","attributes":[${open}${close}]}]}]}]}`;
}

function collectorPid(): number | undefined {
  const agent = service.store.current.agents.find((a) => a.processes.some((p) => p.comm === 'otelcol-contrib'));
  return agent?.processes.find((p) => p.comm === 'otelcol-contrib')?.pid;
}

function nested(depth: number): unknown {
  return JSON.parse('['.repeat(depth) + ']'.repeat(depth));
}

function labSocket(): WebSocket {
  return new WebSocket(`ws://127.0.0.1:${shell.port}/lab?token=${shell.token}`, { origin: `http://127.0.0.1:${shell.port}` });
}

let callSocket: Promise<WebSocket> | undefined;
let nextId = 1;
const pending = new Map<number, (r: unknown) => void>();

/** One LabApi call over a shared, well-behaved socket. */
async function labCall(method: string, request: unknown): Promise<unknown> {
  callSocket ??= new Promise((resolve, reject) => {
    const ws = labSocket();
    ws.on('message', (raw) => {
      const msg = JSON.parse(raw.toString()) as { id?: number; result?: unknown };
      if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
    });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('close', () => (callSocket = undefined));
  });
  const ws = await callSocket;
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${method}: no answer`)), 20_000);
    pending.set(id, (r) => {
      clearTimeout(timer);
      pending.delete(id);
      resolve(r);
    });
    ws.send(JSON.stringify({ id, method, request }));
  });
}

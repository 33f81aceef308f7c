// The lab server's UI (4321) and REST (4322) ports against the requests any web page can make to the
// app's 127.0.0.1 forward: a cross-site form POST, text/plain "simple" POSTs, DNS-rebinding Host headers,
// framing, malformed URLs — and the clients that must keep working: the app's own overlay push (a form
// POST like a browser's), a same-origin browser form, the API server's service proxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import WebSocket from 'ws';
import { startLabServer, type LabServer } from '../../lab/server/index';
import { SimpleAgent } from '../../lab/opamp-client/simpleAgent';
import { saveConfig } from '../../electron/engine/server/overlayPush';
import { readServer } from '../../electron/engine/server/serverView';
import { bytesToUuid } from '../../shared/opamp/index';
import { eventually } from '../conformance/eventually';

let server: LabServer;
let agent: SimpleAgent;
let uid: string;
const KEPT = 'processors:\n  batch: {}\n';

/** A raw HTTP request (fetch cannot set Host or Origin the way a browser page would). */
function raw(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers, setHost: !opts.headers?.host }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const overlayNow = () => server.registry.agents.get(uid)!.overlay?.text;
const form = (config: string) => new URLSearchParams({ instanceid: uid, config }).toString();
const FORM = 'application/x-www-form-urlencoded';

beforeAll(async () => {
  server = await startLabServer({ opampPort: 0, uiPort: 0, restPort: 0, allowedHosts: ['lab.example.com'] });
  agent = new SimpleAgent({ endpoint: server.opampUrl, hostName: 'opamp-agent-7d4b9c8f6-abcde' }).start();
  uid = bytesToUuid(agent.client.instanceUid);
  await eventually('agent registered', () => server.registry.agents.get(uid)?.status.agentDescription);
  expect(await server.registry.setOverlay(uid, KEPT, 5000)).toBe(true);
});

afterAll(async () => {
  await agent?.stop();
  await server?.close();
});

describe('cross-site writes are refused and change nothing', () => {
  it('a cross-origin form POST to /save_config (also with a text/plain enctype)', async () => {
    for (const type of [FORM, 'text/plain', 'multipart/form-data; boundary=x']) {
      const res = await raw(server.uiPort, '/save_config', { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': type }, body: form('exporters: {}\n') });
      expect(res.status, type).toBe(403);
      expect(res.body).toContain('Origin "https://evil.example" is not this server\'s');
    }
    const referer = await raw(server.uiPort, '/save_config', { method: 'POST', headers: { referer: 'https://evil.example/x', 'content-type': FORM }, body: form('exporters: {}\n') });
    expect(referer.status).toBe(403);
    expect(overlayNow()).toBe(KEPT);
  });

  it('text/plain (no preflight) POSTs to the JSON API and the REST config route', async () => {
    const body = JSON.stringify({ config: 'exporters: {}\n' });
    const api = await raw(server.uiPort, `/api/agents/${uid}/overlay`, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body });
    expect(api.status).toBe(415);
    expect(JSON.parse(api.body).error).toBe('Content-Type must be application/json, not text/plain');
    const rest = await raw(server.restPort!, `/api/v1/agents/${uid}/config`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
    expect(rest.status).toBe(415);
    const noType = await raw(server.restPort!, `/api/v1/agents/${uid}/config`, { method: 'POST', body });
    expect(noType.status).toBe(415);
    expect(JSON.parse(noType.body).error).toContain('(none was sent)');
    expect(overlayNow()).toBe(KEPT);
  });

  it('a form POST that is not form-encoded', async () => {
    const res = await raw(server.uiPort, '/save_config', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(415);
    expect(overlayNow()).toBe(KEPT);
  });
});

describe('foreign Host names (DNS rebinding) are refused on every route and port', () => {
  const rebound = { host: 'evil.example:4321', origin: 'http://evil.example:4321' };

  it('reads and writes on the UI, /api and REST', async () => {
    for (const [port, path] of [[server.uiPort, '/'], [server.uiPort, `/agent?instanceid=${uid}`], [server.uiPort, '/api/agents'], [server.restPort!, '/api/v1/agents']] as const) {
      const res = await raw(port, path, { headers: { host: 'evil.example:4321' } });
      expect(res.status, path).toBe(403);
      expect(res.body).not.toContain(uid);
    }
    const post = await raw(server.uiPort, '/save_config', { method: 'POST', headers: { ...rebound, 'content-type': FORM }, body: form('exporters: {}\n') });
    expect(post.status).toBe(403);
    expect(post.body).toContain('Host "evil.example:4321" is not a name this server is served under');
    // Even dressed up as the API server's proxy: it arrives from 127.0.0.1, as a port-forward does.
    const dressed = await raw(server.uiPort, '/save_config', { method: 'POST', headers: { ...rebound, 'x-forwarded-uri': '/api/v1/namespaces/opamp/services/opamp-server:4321/proxy/save_config', 'content-type': FORM }, body: form('x: 1\n') });
    expect(dressed.status).toBe(403);
    expect(overlayNow()).toBe(KEPT);
  });

  it('a browser WebSocket or HTTP POST to the OpAMP port from a foreign Host or origin', async () => {
    const url = `wss://127.0.0.1:${server.opampPort}/v1/opamp`;
    const status = (headers: Record<string, string>) => new Promise<number>((resolve) => {
      const ws = new WebSocket(url, { rejectUnauthorized: false, headers });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => { ws.close(); resolve(101); });
      ws.on('error', () => {});
    });
    expect(await status({ host: 'evil.example:4320', origin: 'https://evil.example:4320' })).toBe(403);
    expect(await status({ origin: 'https://evil.example' })).toBe(403);
    expect(await status({ origin: `https://127.0.0.1:${server.opampPort}` })).toBe(101);
    expect(await status({})).toBe(101);
  });

  it('names it is served under still work: Service names, localhost, configured names', async () => {
    for (const host of ['opamp-server.opamp.svc.cluster.local:4321', 'opamp-server:4321', 'localhost:4321', 'lab.example.com']) {
      expect((await raw(server.uiPort, '/api/agents', { headers: { host } })).status, host).toBe(200);
    }
  });
});

describe('what must keep working', () => {
  it('the app engine\'s overlay push (form POST without Origin) and its server reader', async () => {
    const text = 'processors:\n  attributes/test_opamp:\n    actions: []\n';
    await saveConfig(server.uiUrl, uid, text);
    expect(overlayNow()).toBe(text);
    const snap = await readServer(server.uiUrl);
    expect(snap.flavor).toBe('lab');
    expect(snap.agents.find((a) => a.instanceUid === uid)?.overlayText).toBe(text);
    await server.registry.setOverlay(uid, KEPT, 5000);
  });

  it('a same-origin browser form POST answers 303 to the agent page', async () => {
    const res = await raw(server.uiPort, '/save_config', {
      method: 'POST', body: form(KEPT),
      headers: { host: `127.0.0.1:${server.uiPort}`, origin: `http://127.0.0.1:${server.uiPort}`, referer: `http://127.0.0.1:${server.uiPort}/agent?instanceid=${uid}`, 'content-type': FORM },
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/agent?instanceid=${uid}`);
  });

  it('a page opened through kubectl proxy (loopback origin, API server Host, 127.0.0.1 peer in the sim)', async () => {
    const res = await raw(server.uiPort, '/save_config', {
      method: 'POST', body: form(KEPT),
      headers: { host: '127.0.0.1:6443', origin: 'http://127.0.0.1:8001', 'x-forwarded-uri': '/api/v1/namespaces/opamp/services/opamp-server:4321/proxy/save_config', 'content-type': FORM },
    });
    expect(res.status).toBe(303);
  });
});

describe('every response is protected, every bad URL a clean 4xx', () => {
  it('pages carry CSP (no framing), nosniff and X-Frame-Options; JSON and errors too', async () => {
    for (const [port, path] of [[server.uiPort, '/'], [server.uiPort, `/agent?instanceid=${uid}`], [server.uiPort, '/api/agents'], [server.uiPort, '/agent?instanceid=nope'], [server.restPort!, '/api/v1/agents'], [server.restPort!, '/nope']] as const) {
      const res = await raw(port, path);
      expect(res.headers['content-security-policy'], path).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['x-frame-options'], path).toBe('DENY');
      expect(res.headers['x-content-type-options'], path).toBe('nosniff');
    }
    expect((await raw(server.uiPort, '/')).headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-/);
  });

  it('malformed percent-escapes and URLs get 400 with a reason and no stack, and the server keeps serving', async () => {
    const cases: Array<[number, string, number]> = [
      [server.uiPort, '/api/agents/%E0%A4%A', 400], [server.uiPort, '/api/agents/%E0%A4%A/overlay', 400],
      [server.restPort!, '/api/v1/agents/%E0%A4%A', 400], [server.uiPort, '/%E0%A4%A', 400], [server.restPort!, '/%zz', 400],
      [server.uiPort, '/agent?instanceid=%E0%A4%A', 404], [server.uiPort, '//%%', 400],
    ];
    for (const [port, path, want] of cases) {
      const res = await raw(port, path);
      expect(res.status, path).toBe(want);
      expect(res.body).not.toMatch(/\n\s+at |URIError/);
    }
    const bad = await raw(server.uiPort, '/api/agents/%E0%A4%A');
    expect(JSON.parse(bad.body).error).toBe('malformed request URL');
    expect((await raw(server.uiPort, '/api/agents/xyz%20')).body).toBe('{"error":"not an instance id: \\"xyz%20\\""}');
    const opamp = await startLabServer({ opampPort: 0, uiPort: 0, restPort: false, tls: false });
    try {
      expect((await raw(opamp.opampPort, '/v1/opamp%E0%A4%A', { method: 'POST', headers: { 'content-type': 'application/x-protobuf' } })).status).toBe(400);
      expect((await raw(opamp.opampPort, '/elsewhere')).status).toBe(404);
    } finally {
      await opamp.close();
    }
    expect((await raw(server.uiPort, '/api/agents')).status).toBe(200);
  });

  it('unparsable requests and oversized headers get 400 / 431 on every port, plain and TLS', async () => {
    const plain = await startLabServer({ opampPort: 0, uiPort: 0, restPort: false, tls: false });
    try {
      const answer = (port: number, bytes: string, secure = false) => new Promise<string>((resolve) => {
        const sock = secure ? tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false }) : tcpConnect(port, '127.0.0.1');
        let got = '';
        sock.on(secure ? 'secureConnect' : 'connect', () => sock.write(bytes));
        sock.on('data', (d: Buffer) => (got += d.toString()));
        sock.on('close', () => resolve(got.split('\r\n')[0] ?? ''));
        sock.on('error', () => {});
      });
      const garbage = 'GARBAGE\r\n\r\n';
      const huge = `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`;
      for (const port of [server.uiPort, server.restPort!, plain.opampPort]) {
        expect(await answer(port, garbage), `port ${port}`).toBe('HTTP/1.1 400 Bad Request');
        expect(await answer(port, huge), `port ${port}`).toBe('HTTP/1.1 431 Request Header Fields Too Large');
      }
      expect(await answer(server.opampPort, garbage, true)).toBe('HTTP/1.1 400 Bad Request');
      expect(await answer(server.opampPort, huge, true)).toBe('HTTP/1.1 431 Request Header Fields Too Large');
      expect((await raw(server.uiPort, '/api/agents')).status).toBe(200);
    } finally {
      await plain.close();
    }
  });

  it('an overlay above the limit is refused with 413 and the limit, on every write route', async () => {
    const big = 'a: '.padEnd(server.limits.maxOverlayBytes + 10, 'x');
    const api = await raw(server.uiPort, `/api/agents/${uid}/overlay`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ config: big }) });
    expect(api.status).toBe(413);
    expect(JSON.parse(api.body).error).toBe(`the overlay is ${(server.limits.maxOverlayBytes + 10).toLocaleString('en-US')} bytes; this server accepts overlays up to 131,072 bytes`.replace('131,072', server.limits.maxOverlayBytes.toLocaleString('en-US')));
    expect((await raw(server.uiPort, '/save_config', { method: 'POST', headers: { 'content-type': FORM }, body: form(big) })).status).toBe(413);
    const huge = await raw(server.restPort!, `/api/v1/agents/${uid}/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(server.limits.maxRequestBodyBytes + 1) });
    expect(huge.status).toBe(413);
    expect(overlayNow()).toBe(KEPT);
  });
});

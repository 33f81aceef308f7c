// The server view and the overlay push against a small HTTP server shaped like
// the opamp-go example server's UI (list page, agent page, POST /save_config →
// 303), and the lab server's JSON shape.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerAgentView } from '../../../shared/serverApi';
import { configHash, saveConfig } from './overlayPush';
import { parseAgentJson, readServer } from './serverView';

const UID = '0199f4b2-6c1d-7e3f-8a9b-0c1d2e3f4a5b';
let saved = '';
let server: Server;
let base = '';

function agentPage(): string {
  return `<html><head><title>OpAMP Server</title></head><body><h1>OpAMP Server</h1>
<a href="/">Back to Agents List</a>
<table><tr><td>Instance ID:</td><td>${UID}</td></tr><tr><td>Up:</td><td>true</td></tr></table>
<h3>Attributes</h3><table><tr><td>host.name</td><td>string_value:"opamp-agent-7d9f-abcde"</td></tr></table>
<h3>Configuration</h3><pre><code class="language-yaml">receivers: {}</code></pre>
<form action="/save_config" method="post"><input type="hidden" name="instanceid" value="${UID}"/>
<textarea rows="20" name="config">${saved.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&#34;')}</textarea>
<input type="submit" value="Save and Send to Agent"/></form></body></html>`;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/agent') {
      if (url.searchParams.get('instanceid') !== UID) return void res.writeHead(404).end();
      return void res.writeHead(200, { 'content-type': 'text/html' }).end(agentPage());
    }
    if (url.pathname === '/save_config' && req.method === 'POST') {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        if (form.get('instanceid') !== UID) return void res.writeHead(404).end();
        saved = form.get('config') ?? '';
        res.writeHead(303, { location: `/agent?instanceid=${UID}` }).end();
      });
      return;
    }
    // Like the example server's ServeMux catch-all: any other path is the list page (HTML, so no JSON API).
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<h2>Agents</h2><table><tr><td><a href="agent?instanceid=${UID}">${UID}</a></td></tr></table>`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('server view and overlay push (opamp-go example server pages)', () => {
  it('lists the agent from the pages, with host name and no overlay yet', async () => {
    const snap = await readServer(base);
    expect(snap.flavor).toBe('opamp-go');
    expect(snap.agents).toEqual([{ instanceUid: UID, connected: true, healthy: true, hostName: 'opamp-agent-7d9f-abcde' }]);
  });

  it('pushes through POST /save_config as the form does and then sees the kept text', async () => {
    const text = 'processors:\n  attributes/test_opamp:\n    actions:\n      - key: a\n        value: "x<y & z"\n';
    await saveConfig(base, UID, text);
    expect(saved).toBe(text);
    const snap = await readServer(base);
    expect(snap.agents[0]?.overlayText).toBe(text);
    expect(snap.agents[0]?.remoteConfig?.status).toBe('APPLIED');
    expect(configHash('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    await expect(saveConfig(base, '00000000-0000-0000-0000-000000000000', 'a: 1')).rejects.toMatchObject({ kind: 'not-found' });
    await expect(saveConfig('http://127.0.0.1:1/', UID, 'a: 1')).rejects.toMatchObject({ kind: 'unreachable' });
  });

  it('reads the lab server agent JSON (shared/serverApi.ts)', () => {
    const agent: ServerAgentView = {
      instanceUid: UID, group: 'opamp-agent', connected: true, transport: 'websocket', firstSeen: '2026-11-25T08:00:00Z', lastSeen: '2026-11-25T08:00:05Z',
      sequenceNum: 3, capabilities: 0x1fff, serviceName: 'otelcol-contrib', hostName: 'opamp-agent-7d9f-abcde', identifyingAttributes: [], nonIdentifyingAttributes: [],
      health: { healthy: true, lastError: '', status: '' }, effectiveConfig: 'receivers: {}', overlay: 'a: 1\n', overlaySource: 'agent', overlayHash: 'abc',
      remoteConfigStatus: { status: 'APPLIED', hash: 'abc', errorMessage: '' },
    };
    expect(parseAgentJson(agent as unknown as Record<string, unknown>)).toEqual({
      instanceUid: UID, connected: true, lastSeen: Date.parse('2026-11-25T08:00:05Z'), hostName: 'opamp-agent-7d9f-abcde', serviceName: 'otelcol-contrib', healthy: true,
      remoteConfig: { status: 'APPLIED', lastHash: 'abc', sentHash: 'abc' }, overlayText: 'a: 1\n',
    });
  });

  it('reads older JSON spellings with their remote config status', () => {
    expect(parseAgentJson({ instanceUid: UID, connected: true, hostName: 'p', remoteConfig: { status: 'APPLIED', lastHash: 'ab', sentHash: 'ab' } })).toEqual({
      instanceUid: UID,
      connected: true,
      hostName: 'p',
      remoteConfig: { status: 'APPLIED', lastHash: 'ab', sentHash: 'ab' },
    });
    expect(parseAgentJson({ instanceUid: UID, remoteConfigStatus: { status: 3, errorMessage: 'bad' } })?.remoteConfig).toEqual({ status: 'FAILED', errorMessage: 'bad' });
    expect(parseAgentJson({})).toBeUndefined();
  });
});

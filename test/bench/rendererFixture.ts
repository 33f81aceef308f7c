// A stand-in for the web shell used by the renderer benchmark and screenshots:
// serves dist/renderer and speaks the real bridge protocol on /lab, answering
// calls from a fixed LabState and pushing whatever events the caller sends.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import type { LabEvent, LogLine } from '../../shared/api';
import type { BridgeReply } from '../../shared/bridgeProtocol';
import { emptyLabState, type LabState } from '../../shared/state';

const RENDERER = fileURLToPath(new URL('../../dist/renderer', import.meta.url));
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

export function fixtureState(now = Date.now()): LabState {
  const s = emptyLabState();
  const content = 'receivers:\n  otlp:\n    protocols:\n      grpc: {}\nprocessors:\n  batch: {}\n  attributes/test_opamp:\n    actions:\n      - key: opamp.ui_test\n        value: hello-from-ui\n        action: insert\nexporters:\n  debug: {}\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      processors: [batch, attributes/test_opamp]\n      exporters: [debug]\n  telemetry:\n    resource:\n      service.instance.id: 0195\n';
  const origins = content.split('\n').slice(0, -1).map((_, i) => (i >= 6 && i <= 10 ? 'overlay' : i >= 19 ? 'supervisor' : 'base') as 'overlay' | 'base' | 'supervisor');
  s.connection = { status: 'connected', target: { kind: 'embedded' }, contextName: 'Embedded lab', namespace: 'opamp-lab' };
  s.forwards = [
    { name: 'opamp', remotePort: 4320, localPort: 41234, health: 'up', url: 'ws://127.0.0.1:41234/v1/opamp' },
    { name: 'ui', remotePort: 4321, localPort: 41235, health: 'up', url: 'http://127.0.0.1:41235/' },
  ];
  const ids = ['supervisor-pid1', 'collector-child', 'opamp-connected', 'effective-config', 'remote-config-applied', 'overlay-visible'] as const;
  s.agents = [
    {
      pod: 'opamp-agent-7c9f-abcde',
      criteria: ids.map((id, i) => ({
        id,
        title: id,
        status: i < 4 ? 'pass' : i === 4 ? 'pending' : 'fail',
        since: now - 1000 * (60 - i),
        evidence: [{ kind: 'process', text: '/usr/local/bin/opampsupervisor --config /etc/supervisor.yaml', source: '/proc/1/cmdline', at: now }],
        ...(i === 5 ? { hint: 'Send the overlay from the Overlay tab or the server UI.' } : {}),
      })),
      processes: [
        { pid: 1, ppid: 0, comm: 'opampsupervisor', argv: ['/usr/local/bin/opampsupervisor', '--config', '/etc/supervisor.yaml'], startedAt: now - 60_000 },
        { pid: 17, ppid: 1, comm: 'otelcol-contrib', argv: ['/otelcol-contrib', '--config', '/storage/effective.yaml'], startedAt: now - 55_000 },
      ],
      effectiveConfig: [
        { sha256: 'cd'.repeat(32), size: 200, mtime: now - 90_000, seenAt: now - 90_000, content: content.replace(/  attributes\/test_opamp:\n(.*\n){4}/, '').replace(', attributes/test_opamp', ''), origins: [] },
        { sha256: 'ab'.repeat(32), size: content.length, mtime: now - 50_000, seenAt: now - 50_000, content, origins },
      ],
      probe: { status: 'running' },
    },
  ];
  return s;
}

export interface RendererFixture {
  url: string;
  broadcast(event: LabEvent): void;
  close(): Promise<void>;
}

/** `history`: what getLogHistory answers (the engine's kept lines a page loads on attach). */
export async function startRendererFixture(state: LabState = fixtureState(), history: LogLine[] = []): Promise<RendererFixture> {
  const server: Server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(RENDERER, path === '/' ? 'index.html' : path);
    if (!file.startsWith(RENDERER)) return void res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  const wss = new WebSocketServer({ server, path: '/lab' });
  const sockets = new Set<WebSocket>();
  const send = (ws: WebSocket, reply: BridgeReply) => ws.send(JSON.stringify(reply));
  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    send(ws, { event: { type: 'state', seq: 1, state } });
    ws.on('message', (raw) => {
      const call = JSON.parse(String(raw)) as { id: number; method: string };
      const value =
        call.method === 'getLogHistory' ? { lines: history } : call.method === 'getSnapshot' ? { seq: 1, state } : call.method === 'listContexts' ? { contexts: [] } : call.method === 'listNamespaces' ? ['opamp-lab'] : call.method === 'validateOverlay' ? { ok: true, errors: [], keyPaths: [] } : undefined;
      send(ws, { id: call.id, result: { ok: true, value } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/?token=fixture`,
    broadcast(event) {
      const frame = JSON.stringify({ event });
      for (const ws of sockets) ws.send(frame);
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

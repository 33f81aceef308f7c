// The web shell: the built renderer and the LabApi on one 127.0.0.1 port.
// A random per-launch token in the page URL authorises the WebSocket, and the
// Origin and Host headers must be ours, so other local pages cannot drive it.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseBridgeCall, type BridgeReply, MAX_CALL_BYTES } from '../../shared/bridgeProtocol';
import type { LabService } from '../engine/labService';
import { serveStatic } from './staticFiles';

export interface WebShellOptions {
  service: LabService;
  /** Folder of the built renderer (index.html and assets). */
  rendererDir: string;
  port?: number;
  host?: string;
  token?: string;
}

export interface WebShell {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export async function startWebShell(opts: WebShellOptions): Promise<WebShell> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const expected = Buffer.from(token);
  let port = 0;

  const hostAllowed = (req: IncomingMessage) => {
    const header = req.headers.host ?? '';
    return header === `${host}:${port}` || header === `localhost:${port}`;
  };
  const tokenMatches = (req: IncomingMessage) => {
    const given = Buffer.from(new URL(req.url ?? '/', 'http://x').searchParams.get('token') ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  const server = createServer((req, res) => {
    // A foreign Host header means DNS rebinding or a proxy: refuse.
    if (!hostAllowed(req)) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('misdirected request\n');
      return;
    }
    void serveStatic(opts.rendererDir, req, res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CALL_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const origin = req.headers.origin;
    const sameOrigin = origin === `http://${host}:${port}` || origin === `http://localhost:${port}`;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== '/lab' || !hostAllowed(req) || !sameOrigin || !tokenMatches(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, opts.service));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${host}:${port}/?token=${token}`,
    port,
    token,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function attach(ws: WebSocket, service: LabService): void {
  const send = (reply: BridgeReply) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
  };
  const unsubscribe = service.subscribe((event) => send({ event }));
  ws.on('message', (data, isBinary) => {
    const call = isBinary ? undefined : parseBridgeCall(data.toString());
    if (!call) {
      ws.close(1003, 'malformed LabApi call');
      return;
    }
    void service.call(call.method, call.request).then((result) => send({ id: call.id, result }));
  });
  ws.on('close', unsubscribe);
  ws.on('error', unsubscribe);
}

// The web shell: the built renderer and the LabApi on one 127.0.0.1 port.
// A random per-launch token in the page URL authorises the WebSocket, and the
// Origin and Host headers must be ours, so other local pages cannot drive it.
// Every path from the network has an error path: a malformed request is
// answered 4xx and a broken socket is dropped, never an uncaught exception
// (one would end the engine and the embedded lab with it).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseBridgeCall, type BridgeReply, MAX_CALL_BYTES } from '../../shared/bridgeProtocol';
import { parseRequestTarget } from '../../lab/server/requestTarget';
import type { LabService } from '../engine/labService';
import { OneTimeCodes } from './oneTimeCodes';
import { serveStatic } from './staticFiles';

export interface WebShellOptions {
  service: LabService;
  /** Folder of the built renderer (index.html and assets). */
  rendererDir: string;
  port?: number;
  host?: string;
  token?: string;
  /** Replies a page has not read yet, per socket, before the socket is dropped (default 16 MiB). */
  maxUnsentBytes?: number;
  log?: (line: string) => void;
}

export interface WebShell {
  url: string;
  port: number;
  token: string;
  /**
   * A URL for a browser command line: no token, only a code that works once within a minute
   * and is exchanged (GET /open) for a redirect to `url`. Process arguments are readable by
   * every local user (`ps`), the token must never be among them.
   */
  openUrl(): string;
  close(): Promise<void>;
}

/** Slow-loris and idle sockets are closed (Node's defaults wait up to five minutes). */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
const MAX_HEADER_BYTES = 16 * 1024;
const DEFAULT_MAX_UNSENT_BYTES = 16 * 1024 * 1024;

export async function startWebShell(opts: WebShellOptions): Promise<WebShell> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const expected = Buffer.from(token);
  const codes = new OneTimeCodes();
  const log = opts.log ?? (() => undefined);
  let port = 0;

  const hostAllowed = (req: IncomingMessage) => {
    const header = req.headers.host ?? '';
    return header === `${host}:${port}` || header === `localhost:${port}`;
  };
  const tokenMatches = (url: URL) => {
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  const pageUrl = () => `http://${host}:${port}/?token=${token}`;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // A foreign Host header means DNS rebinding or a proxy: refuse.
    if (!hostAllowed(req)) return plain(res, 421, 'misdirected request');
    const target = parseRequestTarget(req.url);
    if (!target) return plain(res, 400, 'malformed request path');
    if (target.path === '/open') {
      if (!codes.redeem(target.url.searchParams.get('code') ?? '')) {
        return plain(res, 403, 'this link was already used or has expired; use the URL that `opamp-lab web` printed');
      }
      res.writeHead(303, { Location: pageUrl(), 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }).end();
      return;
    }
    await serveStatic(opts.rendererDir, target.path, req, res);
  };

  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    res.on('error', () => undefined);
    handle(req, res).catch((err: unknown) => {
      log(`web shell: ${req.method} request failed: ${(err as Error).message}`);
      if (!res.headersSent) plain(res, 500, 'internal error');
      else res.destroy();
    });
  });
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // Unparsable requests: Node's own answers (400, 431 for oversized headers), then close.
    if (!socket.writable) return socket.destroy();
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CALL_BYTES });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const origin = req.headers.origin;
    const sameOrigin = origin === `http://${host}:${port}` || origin === `http://localhost:${port}`;
    const target = parseRequestTarget(req.url);
    if (!target || target.path !== '/lab' || !hostAllowed(req) || !sameOrigin || !tokenMatches(target.url)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, opts.service, opts.maxUnsentBytes ?? DEFAULT_MAX_UNSENT_BYTES, log));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  server.on('error', (err) => log(`web shell: ${err.message}`));
  port = (server.address() as AddressInfo).port;

  return {
    url: pageUrl(),
    port,
    token,
    openUrl: () => `http://${host}:${port}/open?code=${codes.issue()}`,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' }).end(`${text}\n`);
}

function attach(ws: WebSocket, service: LabService, maxUnsent: number, log: (line: string) => void): void {
  let dropped = false;
  const send = (reply: BridgeReply) => {
    if (dropped || ws.readyState !== ws.OPEN) return;
    // A page that stops reading (a frozen tab, a script that never reads) must not grow this
    // process without bound: past the limit it is dropped, and the page reconnects when it can.
    if (ws.bufferedAmount > maxUnsent) {
      dropped = true;
      unsubscribe();
      log(`web shell: dropped a page that stopped reading (${ws.bufferedAmount} bytes unsent)`);
      ws.close(1008, 'LabApi replies not read');
      setTimeout(() => ws.terminate(), 1_000).unref();
      return;
    }
    ws.send(JSON.stringify(reply));
  };
  const unsubscribe = service.subscribe((event) => send({ event }));
  ws.on('message', (data, isBinary) => {
    const call = isBinary ? undefined : parseBridgeCall(data.toString());
    if (!call) {
      ws.close(1003, 'malformed LabApi call');
      return;
    }
    service
      .call(call.method, call.request)
      .then((result) => send({ id: call.id, result }))
      .catch((err: unknown) => send({ id: call.id, result: { ok: false, error: { kind: 'internal', message: (err as Error).message } } }));
  });
  ws.on('close', unsubscribe);
  ws.on('error', unsubscribe);
}

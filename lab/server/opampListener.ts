// The OpAMP endpoint: WebSocket and plain HTTP POST on /v1/opamp, optionally behind TLS on the same port.
// The HTTP server itself listens, so Node's header/request timeouts cover plain and TLS connections alike;
// with TLS on, its connection listener first sniffs the first byte (0x16 = TLS handshake) and hands either
// a TLSSocket or, for plain text, Go's "HTTP request to an HTTPS server" 400 — so ws:// fails with
// "bad handshake" exactly as against the opamp-go example server.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { TLSSocket, createSecureContext } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeAgentToServer, encodeServerToAgent } from '../../shared/opamp/index';
import type { AgentRegistry } from './agentRegistry';
import { AgentRejected } from './agentRegistry';
import type { AgentConnection } from './agentRecord';
import { HTTP_SERVER_OPTIONS, hardenHttpServer, mediaType, requestUrl } from './httpUtil';
import { bytesText, type ServerLimits } from './limits';
import { checkHost, sameOrigin, type HostPolicy } from './requestGuard';
import { replayStream } from './replayStream';
import { errorReply, serveAgentSocket, type AgentSocket } from './agentSocket';

export const OPAMP_PATH = '/v1/opamp';
const PLAIN_ON_TLS = 'HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n';
/** Retry-After (seconds) when the server is at its connection limit (opamp-go honours it). */
const RETRY_AFTER_S = 30;

export interface OpampListenerOptions {
  registry: AgentRegistry;
  tls?: { cert: string | Buffer; key: string | Buffer } | false;
  limits: ServerLimits;
  hostPolicy: HostPolicy;
  log: (line: string) => void;
}

export interface OpampListener {
  server: Server;
  /** Open agent WebSockets. */
  connections(): number;
  /** Closes every agent connection (1001 going away) and stops listening. */
  close(): Promise<void>;
}

function refuseUpgrade(socket: import('node:stream').Duplex, status: string, text = '', extra = ''): void {
  const body = text ? `${text}\n` : '';
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`);
}

/**
 * Browsers send Origin; agents do not. Like gorilla's default check in opamp-go, a browser may talk OpAMP
 * only from the origin it connects to — and only under a Host this server is served under (rebinding).
 */
function browserRefusal(req: IncomingMessage, hostPolicy: HostPolicy): string | undefined {
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  const host = checkHost(req, hostPolicy);
  if (!host.ok) return host.reason;
  return sameOrigin(origin, req) ? undefined : `cross-origin request refused: Origin "${origin}" is not this server's`;
}

export function createOpampListener(opts: OpampListenerOptions): OpampListener {
  const { registry, log, limits } = opts;
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes, perMessageDeflate: false });
  const sniffing = new Set<Socket>();
  const http = createHttpServer(HTTP_SERVER_OPTIONS, (req, res) => handleHttp(req, res, opts));
  hardenHttpServer(http, { ...limits, maxSockets: limits.maxOpampSockets });
  let lastDropLog = 0;
  http.on('drop', () => {
    if (Date.now() - lastDropLog < 60_000) return;
    lastDropLog = Date.now();
    log(`[OPAMP] refusing new sockets: ${limits.maxOpampSockets} are open on the OpAMP port`);
  });

  http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = requestUrl(req);
    if (!url) return refuseUpgrade(socket, '400 Bad Request', 'malformed request URL');
    if (url.pathname !== OPAMP_PATH) return refuseUpgrade(socket, '404 Not Found');
    const refusal = browserRefusal(req, opts.hostPolicy);
    if (refusal) return refuseUpgrade(socket, '403 Forbidden', refusal);
    if (wss.clients.size >= limits.maxAgentConnections) {
      log(`[OPAMP] refusing a WebSocket: ${limits.maxAgentConnections} agent connections are open`);
      return refuseUpgrade(socket, '503 Service Unavailable', `the server holds at most ${limits.maxAgentConnections} agent connections; try again later`, `Retry-After: ${RETRY_AFTER_S}\r\n`);
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      live.set(ws, serveAgentSocket(ws, { registry, limits, log }));
      ws.on('close', () => live.delete(ws));
    });
  });
  const live = new Map<WebSocket, AgentSocket>();
  const pinger = setInterval(() => {
    for (const socket of live.values()) socket.checkAlive();
  }, limits.pingIntervalMs);
  pinger.unref();

  if (opts.tls) {
    const secureContext = createSecureContext({ cert: opts.tls.cert, key: opts.tls.key });
    const [httpConnection] = http.listeners('connection') as Array<(socket: import('node:stream').Duplex) => void>;
    http.removeAllListeners('connection');
    http.on('connection', (socket: Socket) => {
      sniffing.add(socket);
      socket.on('error', () => socket.destroy());
      // A client that never speaks is closed like one that never finishes its headers.
      socket.setTimeout(limits.headersTimeoutMs, () => socket.destroy());
      const done = () => sniffing.delete(socket);
      socket.on('close', done);
      socket.once('data', (chunk: Buffer) => {
        done();
        socket.setTimeout(0);
        if (chunk[0] !== 0x16) {
          socket.end(PLAIN_ON_TLS);
          return;
        }
        // TLSSocket would read the raw handle and miss the byte already consumed, so feed it via a stream.
        const tls = new TLSSocket(replayStream(socket, chunk), { isServer: true, secureContext });
        tls.on('error', () => socket.destroy());
        httpConnection!.call(http, tls);
      });
    });
  }

  return {
    server: http,
    connections: () => wss.clients.size,
    async close() {
      clearInterval(pinger);
      for (const ws of wss.clients) ws.close(1001, 'server shutting down');
      const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
      // Give close frames a moment to leave, then drop keep-alive, half-open and sniffing sockets.
      await new Promise((r) => setTimeout(r, 50));
      for (const ws of wss.clients) ws.terminate();
      for (const s of sniffing) s.destroy();
      http.closeAllConnections();
      wss.close();
      await stopped;
    },
  };
}

function handleHttp(req: IncomingMessage, res: ServerResponse, opts: OpampListenerOptions): void {
  req.on('error', () => res.destroy());
  const url = requestUrl(req);
  if (!url || url.pathname !== OPAMP_PATH) {
    res.writeHead(url ? 404 : 400, { 'Content-Type': 'text/plain; charset=utf-8' }).end(url ? '' : 'malformed request URL\n');
    return;
  }
  const refusal = browserRefusal(req, opts.hostPolicy);
  if (refusal) {
    res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${refusal}\n`);
    return;
  }
  if (req.method !== 'POST' || mediaType(req) !== 'application/x-protobuf') {
    res.writeHead(400, { 'Content-Type': 'text/plain' }).end('Bad Request\n');
    return;
  }
  const max = opts.limits.maxMessageBytes;
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > max) {
      if (!res.headersSent) {
        res.writeHead(413, { 'Content-Type': 'text/plain', Connection: 'close' }).end(`message larger than ${bytesText(max)}\n`);
        res.on('finish', () => req.destroy());
      }
      return;
    }
    chunks.push(c);
  });
  req.on('end', () => {
    if (res.headersSent) return;
    const conn: AgentConnection = {
      transport: 'http', sentHashes: new Set(), firstReplySent: false, renamed: new Map(), agents: new Set(), push: () => false, isOpen: () => false,
    };
    let body: Uint8Array;
    try {
      const msg = decodeAgentToServer(new Uint8Array(Buffer.concat(chunks)));
      body = encodeServerToAgent(opts.registry.handle(msg, conn));
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      opts.log(`[OPAMP] bad HTTP request: ${text}`);
      const rejected = err instanceof AgentRejected ? err : undefined;
      const status = rejected?.closeCode === 1009 ? 413 : rejected?.closeCode === 1013 ? 503 : 400;
      res.writeHead(status, { 'Content-Type': 'application/x-protobuf', ...(status === 503 ? { 'Retry-After': String(RETRY_AFTER_S) } : {}) }).end(errorReply(text, rejected?.errorType));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/x-protobuf', 'Content-Length': body.length }).end(body);
  });
}

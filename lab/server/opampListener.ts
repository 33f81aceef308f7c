// The OpAMP endpoint: WebSocket and plain HTTP POST on /v1/opamp, optionally behind TLS. With TLS on, a
// plain-text client gets the 400 Go's TLS listener sends, so ws:// fails with "bad handshake" as it does
// against the opamp-go example server.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Duplex } from 'node:stream';
import { TLSSocket, createSecureContext } from 'node:tls';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  ServerErrorResponseType, decodeAgentToServer, encodeServerToAgent, frameWsMessage, unframeWsMessage,
} from '../../shared/opamp/index';
import type { ServerToAgent } from '../../shared/opamp/index';
import type { AgentConnection, AgentRegistry } from './agentRegistry';

export const OPAMP_PATH = '/v1/opamp';
const PLAIN_ON_TLS = 'HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n';

export interface OpampListenerOptions {
  registry: AgentRegistry;
  tls?: { cert: string | Buffer; key: string | Buffer } | false;
  maxMessageBytes: number;
  log: (line: string) => void;
}

export interface OpampListener {
  server: NetServer;
  /** Closes every agent connection (1001 going away) and stops listening. */
  close(): Promise<void>;
}

function errorReply(text: string): Uint8Array {
  return encodeServerToAgent({ errorResponse: { type: ServerErrorResponseType.BadRequest, errorMessage: text } });
}

export function createOpampListener(opts: OpampListenerOptions): OpampListener {
  const { registry, log } = opts;
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxMessageBytes, perMessageDeflate: false });
  const sockets = new Set<Socket>();

  const onRequest = (req: IncomingMessage, res: ServerResponse) => handleHttp(req, res, opts);
  const http: Server = createHttpServer(onRequest);
  const secureContext = opts.tls ? createSecureContext({ cert: opts.tls.cert, key: opts.tls.key }) : undefined;

  http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== OPAMP_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const origin = req.headers.origin;
    if (origin) {
      let originHost = '';
      try { originHost = new URL(origin).host; } catch { /* unparsable origin is refused below */ }
      if (originHost.toLowerCase() !== (req.headers.host ?? '').toLowerCase()) {
        socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveWebSocket(ws, registry, log));
  });
  http.on('clientError', (_err, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

  // Accept TCP ourselves to tell TLS from plain text by the first byte (0x16 = TLS handshake record).
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    if (!opts.tls) {
      http.emit('connection', socket);
      return;
    }
    // A client that never speaks would otherwise hold the socket forever.
    socket.setTimeout(30_000, () => socket.destroy());
    socket.once('data', (chunk: Buffer) => {
      socket.setTimeout(0);
      if (chunk[0] !== 0x16) {
        socket.end(PLAIN_ON_TLS);
        return;
      }
      // TLSSocket would read the raw handle and miss the byte already consumed, so feed it via a stream.
      const tls = new TLSSocket(replayStream(socket, chunk), { isServer: true, secureContext });
      tls.on('error', () => socket.destroy());
      http.emit('connection', tls);
    });
  });

  return {
    server,
    async close() {
      for (const ws of wss.clients) ws.close(1001, 'server shutting down');
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      // Give close frames a moment to leave, then drop idle keep-alive and half-open sockets.
      await new Promise((r) => setTimeout(r, 50));
      for (const s of sockets) s.destroy();
      wss.close();
      await stopped;
    },
  };
}

function serveWebSocket(ws: WebSocket, registry: AgentRegistry, log: (line: string) => void): void {
  const conn: AgentConnection = {
    transport: 'websocket',
    sentHashes: new Set(),
    firstReplySent: false,
    push(message: ServerToAgent) {
      if (ws.readyState !== ws.OPEN) return false;
      ws.send(frameWsMessage(encodeServerToAgent(message)));
      return true;
    },
  };
  const reject = (text: string) => {
    log(`[OPAMP] closing connection: ${text}`);
    if (ws.readyState === ws.OPEN) ws.send(frameWsMessage(errorReply(text)));
    ws.close(1002, 'malformed message');
  };
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    if (!isBinary) {
      log('[OPAMP] unexpected message type: 1, must be binary message');
      return;
    }
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    let reply: ServerToAgent;
    try {
      const msg = decodeAgentToServer(unframeWsMessage(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)));
      reply = registry.handle(msg, conn);
    } catch (err) {
      reject(err instanceof Error ? err.message : String(err));
      return;
    }
    conn.push(reply);
  });
  ws.on('error', (err) => log(`[OPAMP] websocket error: ${err.message}`));
  ws.on('close', () => registry.connectionClosed(conn));
}

function handleHttp(req: IncomingMessage, res: ServerResponse, opts: OpampListenerOptions): void {
  const path = (req.url ?? '').split('?')[0];
  if (path !== OPAMP_PATH) {
    res.writeHead(404).end();
    return;
  }
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
  if (req.method !== 'POST' || contentType !== 'application/x-protobuf') {
    res.writeHead(400, { 'Content-Type': 'text/plain' }).end('Bad Request\n');
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > opts.maxMessageBytes) {
      res.writeHead(413, { Connection: 'close' }).end();
      req.destroy();
      return;
    }
    chunks.push(c);
  });
  req.on('end', () => {
    if (res.headersSent) return;
    const conn: AgentConnection = { transport: 'http', sentHashes: new Set(), firstReplySent: false, push: () => false };
    let body: Uint8Array;
    try {
      const msg = decodeAgentToServer(new Uint8Array(Buffer.concat(chunks)));
      body = encodeServerToAgent(opts.registry.handle(msg, conn));
    } catch (err) {
      opts.log(`[OPAMP] bad HTTP request: ${err instanceof Error ? err.message : String(err)}`);
      res.writeHead(400, { 'Content-Type': 'application/x-protobuf' }).end(errorReply(err instanceof Error ? err.message : String(err)));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/x-protobuf', 'Content-Length': body.length }).end(body);
  });
  req.on('error', () => res.destroy());
}

/** A duplex over `socket` that first yields `head` (bytes already read while sniffing). */
function replayStream(socket: Socket, head: Buffer): Duplex {
  const duplex = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      socket.write(chunk, cb);
    },
    final(cb) {
      socket.end();
      cb();
    },
    destroy(err, cb) {
      socket.destroy();
      cb(err);
    },
  });
  duplex.push(head);
  socket.on('data', (d: Buffer) => {
    if (!duplex.push(d)) socket.pause();
  });
  socket.on('end', () => duplex.push(null));
  socket.on('close', () => duplex.destroy());
  return duplex;
}

// Small helpers shared by the UI, /api and REST listeners: bodies with a size cap, responses that always
// carry the security headers, and parsing of ids and path segments that never throws.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { parseRequestTarget } from './requestTarget';
import { bytesText } from './limits';
import { API_CSP, securityHeaders } from './requestGuard';

export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      reject(new HttpError(413, `request body of ${bytesText(declared)} is larger than the ${bytesText(limit)} this server accepts`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new HttpError(413, `request body larger than the ${bytesText(limit)} this server accepts`));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', (err) => reject(new HttpError(400, `request body: ${err.message}`)));
    req.on('aborted', () => reject(new HttpError(400, 'request body: the client went away')));
  });
}

function send(res: ServerResponse, status: number, type: string, body: string, csp = API_CSP, extra: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...securityHeaders(csp), 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)), ...extra }).end(body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json', JSON.stringify(body));
}

export function sendHtml(res: ServerResponse, status: number, html: string, csp: string): void {
  send(res, status, 'text/html; charset=utf-8', html, csp);
}

/** Plain text (the example server answers 404 with an empty body). */
export function sendText(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  send(res, status, 'text/plain; charset=utf-8', text ? `${text}\n` : '', API_CSP, extra);
}

export function redirect(res: ServerResponse, location: string): void {
  send(res, 303, 'text/plain; charset=utf-8', '', API_CSP, { Location: location });
}

/** The media type of a request, lowercased, without parameters ("" when absent). */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** A percent-decoded path segment, or undefined for a malformed escape (answered 400, never thrown). */
export function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * The request URL, or undefined when it is malformed: unparsable, or a path with a broken percent-escape
 * (Go's server, and so the opamp-go example server, answers those 400 before any handler runs).
 */
export function requestUrl(req: IncomingMessage): URL | undefined {
  return parseRequestTarget(req.url)?.url;
}

/** The agent id the way google/uuid parses it leniently: with or without hyphens, any case. */
export function parseInstanceId(text: string | null | undefined): string | undefined {
  const hex = (text ?? '').trim().replace(/^urn:uuid:/i, '').replace(/^\{|\}$/g, '').replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface HttpTimeouts {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxSockets: number;
}

/**
 * Timeouts, a socket cap and a quiet answer to unparsable requests (400/408/431, never a stack trace).
 * Node checks header and request timeouts only for servers that listen, on connectionsCheckingInterval.
 */
export function hardenHttpServer(server: Server, t: HttpTimeouts): void {
  server.headersTimeout = t.headersTimeoutMs;
  server.requestTimeout = t.requestTimeoutMs;
  server.keepAliveTimeout = t.keepAliveTimeoutMs;
  server.maxConnections = t.maxSockets;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || (socket as Socket & { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
  });
}

/** http.createServer options that make the header/request timeout sweep run every second. */
export const HTTP_SERVER_OPTIONS = { connectionsCheckingInterval: 1000 } as const;

// The HTTP server behind the UI and REST ports: every request passes the Host allow-list, every
// state-changing one the Origin/Referer check, and every failure — a malformed URL, a refused request, a
// handler error — is answered with a 4xx/5xx and a one-line reason, never a stack trace.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { HTTP_SERVER_OPTIONS, HttpError, hardenHttpServer, mediaType, requestUrl, sendJson, sendText } from './httpUtil';
import type { ServerLimits } from './limits';
import { checkHost, checkOrigin, isStateChanging, type HostPolicy } from './requestGuard';

export type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export interface GuardedServerOptions {
  hostPolicy: HostPolicy;
  limits: ServerLimits;
  log: (line: string) => void;
  /** Log prefix: UI or API. */
  tag: string;
  /** Whether errors on this path are answered as JSON ({"error": ...}) rather than text. */
  wantsJson(path: string): boolean;
}

export function createGuardedServer(o: GuardedServerOptions, route: Route): Server {
  const server = createServer(HTTP_SERVER_OPTIONS, (req, res) => {
    req.on('error', () => res.destroy());
    res.on('error', () => res.destroy());
    const url = requestUrl(req);
    // Decided on the raw path, so a malformed /api URL still gets a JSON error.
    const json = o.wantsJson((req.url ?? '/').split('?')[0]!);
    const fail = (status: number, message: string) => (json ? sendJson(res, status, { error: message }) : sendText(res, status, message));
    if (!url) return fail(400, 'malformed request URL');
    const host = checkHost(req, o.hostPolicy);
    if (!host.ok) return fail(host.status, host.reason);
    if (isStateChanging(req.method)) {
      const origin = checkOrigin(req, o.hostPolicy);
      if (!origin.ok) {
        o.log(`[${o.tag}] refused ${req.method} ${url.pathname}: ${origin.reason}`);
        return fail(origin.status, origin.reason);
      }
    }
    route(req, res, url).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      const message = err instanceof Error ? err.message : String(err);
      if (status >= 500) o.log(`[${o.tag}] ${req.method} ${url.pathname}: ${message}`);
      if (res.headersSent) res.destroy();
      else fail(status, status >= 500 ? `internal error: ${message}` : message);
    });
  });
  hardenHttpServer(server, { ...o.limits, maxSockets: o.limits.maxHttpSockets });
  return server;
}

/** Throws a 415 unless the request's media type is one of `accepted`. */
export function requireContentType(req: IncomingMessage, accepted: readonly string[]): void {
  const type = mediaType(req);
  if (!accepted.includes(type)) {
    throw new HttpError(415, `Content-Type must be ${accepted.join(' or ')}${type ? `, not ${type}` : ' (none was sent)'}`);
  }
}

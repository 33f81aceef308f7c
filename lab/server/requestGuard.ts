// Who may talk to the UI and REST ports. The app forwards the server to 127.0.0.1:<port> on the attendee's
// machine, where any web page they visit can reach it, so:
// - Host allow-list (DNS rebinding): a page on evil.example that re-resolves to 127.0.0.1 still sends
//   "Host: evil.example"; only names the server is really served under pass. IP literals always pass: a
//   page can only send one as Host when it was loaded from that address, so it cannot rebind.
// - Cross-site writes (CSRF): state-changing requests must come from the same origin (or a loopback
//   origin, e.g. kubectl proxy, or a configured one); a browser always sends Origin on a cross-site POST,
//   and Referer stands in for it where Origin is missing. Clients that send neither (curl, the app's
//   engine, Go) are not browsers and pass.
// - The Kubernetes API server's service/pod proxy forwards with the API server's own Host and marks the
//   request with X-Forwarded-Uri; that Host passes only for such requests from a non-loopback peer. A
//   rebinding page reaches the server through a port-forward, which arrives from 127.0.0.1 in the pod.
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/** The in-cluster Service names of lab/k8s/opamp-server.yaml (namespace opamp). */
export const SERVICE_HOSTS = ['opamp-server', 'opamp-server.opamp', 'opamp-server.opamp.svc', 'opamp-server.opamp.svc.cluster.local'];

const API_SERVER_PROXY = /^\/api\/v1\/namespaces\/[^/]+\/(?:services|pods)\/[^/]+\/proxy(?:\/|$)/;

export interface HostPolicy {
  /** Extra names (exact, or ".example.com" for any subdomain, or "*" for any) from --allowed-host. */
  allowedHosts: readonly string[];
}

export type Verdict = { ok: true } | { ok: false; status: number; reason: string };

const OK: Verdict = { ok: true };

interface HostPort {
  hostname: string;
  port: string;
}

/** Parses a Host header value ("name:port", "[::1]:port"); undefined when it is not one. */
export function parseHostHeader(value: string | undefined): HostPort | undefined {
  if (!value || /[\s/@?#\\]/.test(value)) return undefined;
  try {
    const url = new URL(`http://${value}`);
    // url.port drops ":80" as http's default, but the scheme behind a Host header is unknown: keep it.
    const port = /:(\d+)$/.exec(value)?.[1] ?? '';
    return { hostname: url.hostname.toLowerCase().replace(/\.$/, ''), port: port === '' ? '' : String(Number(port)) };
  } catch {
    return undefined;
  }
}

function bare(hostname: string): string {
  return hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
}

export function isIpLiteral(hostname: string): boolean {
  return isIP(bare(hostname)) !== 0;
}

export function isLoopbackName(hostname: string): boolean {
  const h = bare(hostname);
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

function named(hostname: string, policy: HostPolicy): boolean {
  if (SERVICE_HOSTS.includes(hostname) || isLoopbackName(hostname)) return true;
  return policy.allowedHosts.some((entry) => {
    const e = entry.toLowerCase();
    if (e === '*') return true;
    if (e.startsWith('.')) return hostname.endsWith(e) || hostname === e.slice(1);
    return hostname === e;
  });
}

function fromApiServerProxy(req: IncomingMessage): boolean {
  const uri = req.headers['x-forwarded-uri'];
  const peer = req.socket.remoteAddress ?? '';
  const loopbackPeer = peer === '::1' || peer.startsWith('127.') || peer.startsWith('::ffff:127.');
  return typeof uri === 'string' && API_SERVER_PROXY.test(uri) && !loopbackPeer;
}

/** Host allow-list, for every request on the UI and REST ports. */
export function checkHost(req: IncomingMessage, policy: HostPolicy): Verdict {
  const raw = req.headers.host;
  const host = parseHostHeader(raw);
  if (!host) return { ok: false, status: 400, reason: raw ? `malformed Host header "${raw}"` : 'the request has no Host header' };
  if (isIpLiteral(host.hostname) || named(host.hostname, policy) || fromApiServerProxy(req)) return OK;
  return {
    ok: false, status: 403,
    reason: `Host "${raw}" is not a name this server is served under (start it with --allowed-host ${host.hostname} to allow it)`,
  };
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : protocol === 'http:' ? '80' : '';
}

function webOrigin(origin: string): URL | undefined {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The origin is the one the request was sent to (its host and port are the Host header's). */
export function sameOrigin(origin: string, req: IncomingMessage): boolean {
  const url = webOrigin(origin);
  const host = parseHostHeader(req.headers.host);
  if (!url || !host) return false;
  const port = url.port || defaultPort(url.protocol);
  return host.hostname === url.hostname.toLowerCase() && (host.port || defaultPort(url.protocol)) === port;
}

/** Same origin as the Host the request was sent to, a loopback origin, or an allowed name. */
function originAllowed(origin: string, req: IncomingMessage, policy: HostPolicy): boolean {
  const url = webOrigin(origin);
  if (!url) return false;
  return sameOrigin(origin, req) || named(url.hostname.toLowerCase(), policy);
}

export function isStateChanging(method: string | undefined): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

/** Origin (or, without it, Referer) check for requests that change state. */
export function checkOrigin(req: IncomingMessage, policy: HostPolicy): Verdict {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    if (origin !== 'null' && originAllowed(origin, req, policy)) return OK;
    return { ok: false, status: 403, reason: `cross-site request refused: Origin "${origin}" is not this server's` };
  }
  const referer = req.headers.referer;
  if (referer !== undefined) {
    if (originAllowed(referer, req, policy)) return OK;
    return { ok: false, status: 403, reason: 'cross-site request refused: the Referer is not this server\'s page' };
  }
  return OK;
}

/** Browser-facing protections every response of the UI and REST ports carries. */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
}

/** For anything that is not one of our HTML pages (JSON, text, redirects). */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

// Parses an OpAMP endpoint URL (ws, wss, http, https) and applies the dial override the embedded lab
// uses to map cluster DNS names onto local ports.

export type Resolve = (host: string, port: number) => { ok: true; host: string; port: number } | { ok: false; error: 'ENOTFOUND' | 'ECONNREFUSED' };

export interface Endpoint {
  transport: 'ws' | 'http';
  secure: boolean;
  host: string;
  port: number;
  path: string;
}

export function parseEndpoint(endpoint: string): Endpoint {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`invalid OpAMP endpoint "${endpoint}": not a URL`);
  }
  const scheme = url.protocol.replace(':', '');
  if (!['ws', 'wss', 'http', 'https'].includes(scheme)) {
    throw new Error(`invalid scheme "${scheme}" for OpAMP endpoint, must be one of "http", "https", "ws", or "wss"`);
  }
  const secure = scheme === 'wss' || scheme === 'https';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port ? Number(url.port) : secure ? 443 : 80;
  return { transport: scheme.startsWith('ws') ? 'ws' : 'http', secure, host, port, path: `${url.pathname}${url.search}` };
}

/** Builds the URL actually dialled, or throws an error carrying a Node-like code. */
export function dialUrl(ep: Endpoint, resolve: Resolve | undefined): string {
  let { host, port } = ep;
  if (resolve) {
    const r = resolve(host, port);
    if (!r.ok) throw Object.assign(new Error(`${r.error} ${host}:${port}`), { code: r.error });
    host = r.host;
    port = r.port;
  }
  const scheme = ep.transport === 'ws' ? (ep.secure ? 'wss' : 'ws') : ep.secure ? 'https' : 'http';
  const h = host.includes(':') ? `[${host}]` : host;
  return `${scheme}://${h}:${port}${ep.path}`;
}

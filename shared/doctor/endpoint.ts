// Reads the parts of supervisor.yaml the doctor compares with the cluster.
import { tryParseYaml } from '../yamlSafe';

export interface SupervisorEndpoint {
  raw: string;
  scheme: string;
  host: string;
  port?: number;
  path: string;
}

export interface SupervisorFacts {
  endpoint?: SupervisorEndpoint;
  /** A raw endpoint string that is not a URL. */
  badEndpoint?: string;
  insecureSkipVerify: boolean;
  executable?: string;
  topLevelKeys: string[];
  parseError?: string;
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function parseEndpoint(raw: string): SupervisorEndpoint | undefined {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/:?#]+)(?::(\d+))?([^?#]*)/.exec(raw.trim());
  if (!m) return undefined;
  const port = m[3] ? Number(m[3]) : undefined;
  return { raw, scheme: (m[1] ?? '').toLowerCase(), host: m[2] ?? '', ...(port !== undefined ? { port } : {}), path: m[4] || '/' };
}

/** Default port a Go client dials when the URL names none. */
export function effectivePort(e: SupervisorEndpoint): number {
  if (e.port !== undefined) return e.port;
  return e.scheme === 'wss' || e.scheme === 'https' ? 443 : 80;
}

export function readSupervisorFacts(text: string): SupervisorFacts {
  const parsed = tryParseYaml(text);
  if (!parsed.ok) return { insecureSkipVerify: false, topLevelKeys: [], parseError: parsed.error };
  const doc = parsed.value;
  const root = asRecord(doc) ?? {};
  const server = asRecord(root['server']);
  const tls = asRecord(server?.['tls']);
  const agent = asRecord(root['agent']);
  const rawEndpoint = typeof server?.['endpoint'] === 'string' ? (server['endpoint'] as string) : undefined;
  const endpoint = rawEndpoint ? parseEndpoint(rawEndpoint) : undefined;
  const exe = agent?.['executable'];
  return {
    ...(endpoint ? { endpoint } : {}),
    ...(rawEndpoint && !endpoint ? { badEndpoint: rawEndpoint } : {}),
    insecureSkipVerify: tls?.['insecure_skip_verify'] === true,
    ...(typeof exe === 'string' && exe.length > 0 ? { executable: exe } : {}),
    topLevelKeys: Object.keys(root),
  };
}

// What the OpAMP server knows about its agents, read through the 4321 forward:
// our server's JSON API first, else the opamp-go example server's HTML pages.
import { getText, type HttpText } from '../http/getText';
import type { ServerAgentView } from '../../../shared/state';

export interface ServerAgentRecord extends ServerAgentView {
  /** The overlay text the server keeps for this agent (its "Additional Configuration"). */
  overlayText?: string;
}

export interface ServerSnapshot {
  agents: ServerAgentRecord[];
  source: string;
  flavor: 'lab' | 'opamp-go';
}

/** How the server UI's paths are reached: the app's port-forward, or the API server's service proxy. */
export type ServerGet = (path: string, timeoutMs: number) => Promise<HttpText>;

const get = (base: string, path: string, timeoutMs: number): Promise<HttpText> => getText(new URL(path, base), {}, timeoutMs, `GET ${path}`);

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const STATUSES = ['UNSET', 'APPLIED', 'APPLYING', 'FAILED'] as const;

function rcStatus(v: unknown): NonNullable<ServerAgentView['remoteConfig']>['status'] {
  if (typeof v === 'number') return STATUSES[v] ?? 'UNSET';
  const s = String(v ?? '').toUpperCase().replace(/^REMOTECONFIGSTATUSES_/, '');
  return (STATUSES as readonly string[]).includes(s) ? (s as (typeof STATUSES)[number]) : 'UNSET';
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v !== '') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/** Accepts the lab server's agent JSON (shared/serverApi.ts ServerAgentView), tolerant of older spellings. */
export function parseAgentJson(a: Record<string, unknown>): ServerAgentRecord | undefined {
  const uid = str(a.instanceUid) ?? str(a.instanceId) ?? str(a.instance_uid) ?? str(a.id);
  if (!uid) return undefined;
  const attrs = (a.attributes ?? (a.description as Record<string, unknown> | undefined)?.attributes ?? {}) as Record<string, unknown>;
  const rc = (a.remoteConfig ?? a.remoteConfigStatus ?? a.remote_config_status) as Record<string, unknown> | undefined;
  const health = a.health as Record<string, unknown> | undefined;
  const view: ServerAgentRecord = { instanceUid: uid, connected: a.connected === undefined ? a.status !== 'disconnected' : Boolean(a.connected) };
  const lastSeen = num(a.lastSeen ?? a.lastSeenAt);
  if (lastSeen !== undefined) view.lastSeen = lastSeen;
  const host = str(a.hostName) ?? str(attrs['host.name']);
  if (host) view.hostName = host;
  const sn = str(a.serviceName) ?? str(attrs['service.name']);
  if (sn) view.serviceName = sn;
  const sv = str(a.serviceVersion) ?? str(attrs['service.version']);
  if (sv) view.serviceVersion = sv;
  const healthy = a.healthy ?? health?.healthy;
  if (typeof healthy === 'boolean') view.healthy = healthy;
  const lastError = str(a.lastError) ?? str(health?.lastError);
  if (lastError) view.lastError = lastError;
  if (rc) {
    view.remoteConfig = { status: rcStatus(rc.status) };
    const lastHash = str(rc.hash) ?? str(rc.lastHash) ?? str(rc.lastRemoteConfigHash);
    if (lastHash) view.remoteConfig.lastHash = lastHash;
    const sentHash = str(a.overlayHash) ?? str(rc.sentHash) ?? str(a.sentConfigHash);
    if (sentHash) view.remoteConfig.sentHash = sentHash;
    const em = str(rc.errorMessage);
    if (em) view.remoteConfig.errorMessage = em;
  }
  const overlay = str(a.overlay) ?? str(a.customConfig) ?? str(a.additionalConfig) ?? str((a.overlay as Record<string, unknown> | undefined)?.text);
  if (overlay) view.overlayText = overlay;
  return view;
}

function decodeHtml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** Reads an opamp-go example server agent page (layout per version: see the reference notes). */
export function parseExampleAgentPage(uid: string, html: string): ServerAgentRecord {
  const view: ServerAgentRecord = { instanceUid: uid, connected: true };
  const up = /Up:\s*<\/td>\s*<td[^>]*>\s*(true|false)/i.exec(html);
  if (up) view.healthy = up[1] === 'true';
  const host = /host\.name<\/td>\s*<td[^>]*>[^<]*string_value:\s*"([^"]*)"/.exec(html);
  if (host?.[1]) view.hostName = host[1];
  const textarea = /<textarea[^>]*name="config"[^>]*>([\s\S]*?)<\/textarea>/.exec(html);
  const text = textarea ? decodeHtml(textarea[1] ?? '').replace(/^\n/, '') : '';
  if (text.trim()) view.overlayText = text;
  const failed = /Failed:\s*([^<]*)/.exec(html);
  if (failed) view.remoteConfig = { status: 'FAILED', errorMessage: decodeHtml(failed[1]?.trim() ?? '') };
  else if (text.trim()) view.remoteConfig = { status: 'APPLIED' };
  return view;
}

/** Lists agents through the UI port; throws when neither flavour answers. */
export async function readServer(target: string | ServerGet, timeoutMs = 3000): Promise<ServerSnapshot> {
  const fetchPath: ServerGet = typeof target === 'string' ? (path, ms) => get(target, path, ms) : target;
  const api = await fetchPath('/api/agents', timeoutMs).catch(() => undefined);
  if (api && api.status === 200 && api.type.includes('json')) {
    const body = JSON.parse(api.text) as unknown;
    const list = Array.isArray(body) ? body : ((body as { agents?: unknown[] }).agents ?? []);
    return { agents: list.map((a) => parseAgentJson(a as Record<string, unknown>)).filter((a): a is ServerAgentRecord => a !== undefined), source: 'GET /api/agents', flavor: 'lab' };
  }
  const index = await fetchPath('/', timeoutMs);
  if (index.status !== 200) throw new Error(`server UI answered ${index.status} on /`);
  const uids = [...new Set([...index.text.matchAll(/agent\?instanceid=([0-9a-fA-F-]{32,36})/g)].map((m) => m[1] ?? ''))].filter(Boolean);
  const agents: ServerAgentRecord[] = [];
  for (const uid of uids) {
    const page = await fetchPath(`/agent?instanceid=${uid}`, timeoutMs).catch(() => undefined);
    if (page?.status === 200) agents.push(parseExampleAgentPage(uid, page.text));
  }
  return { agents, source: 'GET /agent?instanceid=… (page)', flavor: 'opamp-go' };
}

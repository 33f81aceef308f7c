// The REST API newer opamp-go example servers serve on 4322: GET /api/v1/agents (connected agents, as the
// example server forgets the others), GET /api/v1/agents/{id}, POST /api/v1/agents/{id}/config
// ({"config": "..."} as application/json; 408 after 5 s without a report). "status" follows the JSON
// form of Go's AgentToServer struct (snake_case, bytes as base64).
import type { Server } from 'node:http';
import { utf8Encode, type AgentToServer } from '../../shared/opamp/index';
import type { AgentRecord, AgentRegistry } from './agentRegistry';
import { createGuardedServer, requireContentType } from './guardedServer';
import { HttpError, decodeSegment, parseInstanceId, readBody, sendJson, sendText } from './httpUtil';
import type { ServerLimits } from './limits';
import type { HostPolicy } from './requestGuard';

export const REST_WAIT_MS = 5000;

function goJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(goJson);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      out[k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = goJson(v);
    }
    return out;
  }
  return value;
}

function agentJson(rec: AgentRecord) {
  const status: AgentToServer = { ...rec.status, instanceUid: rec.uidBytes };
  // The kept effective config (cut to the server's limit) goes back under the example's single "" key.
  if (rec.effective) status.effectiveConfig = { configMap: { configMap: { '': { body: utf8Encode(rec.effective.text) } } } };
  return { uuid: rec.uid, status: goJson(status) };
}

export interface RestServerOptions {
  registry: AgentRegistry;
  limits: ServerLimits;
  hostPolicy: HostPolicy;
  log: (line: string) => void;
  waitMs?: number;
}

export function createRestServer(o: RestServerOptions): Server {
  const { registry, log, limits } = o;
  const waitMs = o.waitMs ?? REST_WAIT_MS;
  return createGuardedServer({ ...o, tag: 'API', wantsJson: (p) => p.startsWith('/api/v1/') }, async (req, res, url) => {
    const path = url.pathname;
    if (path === '/api/v1/agents' && req.method === 'GET') {
      const data = [...registry.agents.values()].filter((r) => r.connected).map(agentJson);
      return sendJson(res, 200, { data: data.length ? data : null });
    }
    const m = /^\/api\/v1\/agents\/([^/]+)(\/config)?$/.exec(path);
    if (!m || (m[2] ? req.method !== 'POST' : req.method !== 'GET')) return sendText(res, 404, '404 page not found');
    const decoded = decodeSegment(m[1]!);
    const uid = decoded === undefined ? undefined : parseInstanceId(decoded);
    if (!uid) throw new HttpError(400, 'Invalid instance ID format');
    const rec = registry.agents.get(uid);
    if (!rec) throw new HttpError(404, 'Agent not found');
    if (!m[2]) return sendJson(res, 200, agentJson(rec));
    requireContentType(req, ['application/json']);
    let config: unknown;
    try {
      config = (JSON.parse(await readBody(req, limits.maxRequestBodyBytes)) as { config?: unknown }).config ?? '';
    } catch (err) {
      if (err instanceof HttpError) throw err;
      throw new HttpError(400, 'Invalid JSON format');
    }
    if (typeof config !== 'string') throw new HttpError(400, 'Invalid JSON format');
    const acknowledged = await registry.setOverlay(uid, config, waitMs);
    log(`[API] ${acknowledged ? 'Agent' : 'Timeout waiting for agent'} ${uid} ${acknowledged ? 'acknowledged config update' : 'to acknowledge config update'}`);
    if (acknowledged) return sendJson(res, 200, { message: 'Configuration updated successfully' });
    return sendJson(res, 408, { error: 'Timeout waiting for agent to acknowledge configuration update' });
  });
}

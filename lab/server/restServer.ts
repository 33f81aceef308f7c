// The REST API newer opamp-go example servers serve on 4322: GET /api/v1/agents, GET
// /api/v1/agents/{id}, POST /api/v1/agents/{id}/config ({"config": "..."}; 408 after 5 s without a report).
// "status" follows the JSON form of Go's AgentToServer struct (snake_case, bytes as base64).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AgentToServer } from '../../shared/opamp/index';
import type { AgentRecord, AgentRegistry } from './agentRegistry';
import { parseInstanceId, readBody, sendJson } from './httpUtil';

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
  return { uuid: rec.uid, status: goJson(status) };
}

export function createRestServer(registry: AgentRegistry, log: (line: string) => void, waitMs = REST_WAIT_MS): Server {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://rest').pathname;
    if (path === '/api/v1/agents' && req.method === 'GET') {
      const data = [...registry.agents.values()].map(agentJson);
      return sendJson(res, 200, { data: data.length ? data : null });
    }
    const m = /^\/api\/v1\/agents\/([^/]+)(\/config)?$/.exec(path);
    if (!m || (m[2] ? req.method !== 'POST' : req.method !== 'GET')) return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 page not found\n');
    const uid = parseInstanceId(decodeURIComponent(m[1]!));
    if (!uid) return sendJson(res, 400, { error: 'Invalid instance ID format' });
    const rec = registry.agents.get(uid);
    if (!rec) return sendJson(res, 404, { error: 'Agent not found' });
    if (!m[2]) return sendJson(res, 200, agentJson(rec));
    let config: unknown;
    try {
      config = (JSON.parse(await readBody(req)) as { config?: unknown }).config ?? '';
    } catch {
      return sendJson(res, 400, { error: 'Invalid JSON format' });
    }
    if (typeof config !== 'string') return sendJson(res, 400, { error: 'Invalid JSON format' });
    const acknowledged = await registry.setOverlay(uid, config, waitMs);
    log(`[API] ${acknowledged ? 'Agent' : 'Timeout waiting for agent'} ${uid} ${acknowledged ? 'acknowledged config update' : 'to acknowledge config update'}`);
    if (acknowledged) return sendJson(res, 200, { message: 'Configuration updated successfully' });
    return sendJson(res, 408, { error: 'Timeout waiting for agent to acknowledge configuration update' });
  };
  return createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: err instanceof Error ? err.message : String(err) });
    });
  });
}

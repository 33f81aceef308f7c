// UI port: the opamp-go example server's routes (/, /agent, /save_config) plus the dashboard's JSON API
// under /api (agents, one agent, set overlay, server-sent events). JSON writes take application/json only
// and the form route application/x-www-form-urlencoded only, so a page cannot send them as text/plain.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { ServerAgentView, SetOverlayRequest } from '../../shared/serverApi';
import type { AgentRegistry } from './agentRegistry';
import { createEventHub } from './eventStream';
import { createGuardedServer, requireContentType } from './guardedServer';
import { agentListPage, agentPage, PAGE_CSP } from './html';
import { HttpError, decodeSegment, parseInstanceId, readBody, redirect, sendHtml, sendJson, sendText } from './httpUtil';
import type { ServerLimits } from './limits';
import type { HostPolicy } from './requestGuard';

export const SAVE_WAIT_MS = 5000;

export interface UiServerOptions {
  registry: AgentRegistry;
  limits: ServerLimits;
  hostPolicy: HostPolicy;
  log: (line: string) => void;
}

export function createUiServer(o: UiServerOptions): Server {
  const { registry, limits, log } = o;
  const events = createEventHub(registry, limits, log);
  const all = (): ServerAgentView[] =>
    [...registry.agents.values()].sort((a, b) => a.firstSeen.getTime() - b.firstSeen.getTime()).map((r) => registry.view(r));
  const ctx = () => ({ ...(registry.overlays.problem ? { storeProblem: registry.overlays.problem } : {}) });

  const agentOf = (segment: string) => {
    const decoded = decodeSegment(segment);
    const uid = decoded === undefined ? undefined : parseInstanceId(decoded);
    if (!uid) throw new HttpError(400, `not an instance id: "${segment}"`);
    const rec = registry.agents.get(uid);
    if (!rec) throw new HttpError(404, `no agent with instance id ${uid}`);
    return rec;
  };

  const setOverlay = async (req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> => {
    requireContentType(req, ['application/json']);
    let body: SetOverlayRequest;
    try {
      body = JSON.parse(await readBody(req, limits.maxRequestBodyBytes)) as SetOverlayRequest;
    } catch (err) {
      if (err instanceof HttpError) throw err;
      throw new HttpError(400, `overlay request: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (typeof body?.config !== 'string') throw new HttpError(400, 'overlay request: "config" must be a string');
    const waitMs = Math.min(30_000, Math.max(0, Number(body.waitMs ?? SAVE_WAIT_MS) || 0));
    const acknowledged = await registry.setOverlay(uid, body.config, waitMs);
    sendJson(res, 200, { agent: registry.view(registry.agents.get(uid)!), acknowledged });
  };

  const saveConfig = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    if (req.method !== 'POST') return sendText(res, 405, 'use POST', { Allow: 'POST' });
    requireContentType(req, ['application/x-www-form-urlencoded']);
    const form = new URLSearchParams(await readBody(req, limits.maxRequestBodyBytes));
    const uid = parseInstanceId(form.get('instanceid') ?? url.searchParams.get('instanceid'));
    if (!uid || !registry.agents.has(uid)) return sendText(res, 404, '');
    const config = form.get('config') ?? '';
    log(`[UI] saving ${config.length} bytes of additional configuration for ${uid}`);
    await registry.setOverlay(uid, config, SAVE_WAIT_MS);
    redirect(res, `/agent?instanceid=${uid}`);
  };

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const path = url.pathname;
    if (path === '/api/agents' && req.method === 'GET') return sendJson(res, 200, { agents: all() });
    if (path === '/api/events' && req.method === 'GET') return events.open(req, res, all);
    const apiAgent = /^\/api\/agents\/([^/]+)(\/overlay)?$/.exec(path);
    if (apiAgent) {
      const rec = agentOf(apiAgent[1]!);
      if (!apiAgent[2] && req.method === 'GET') return sendJson(res, 200, { agent: registry.view(rec) });
      if (apiAgent[2] && (req.method === 'PUT' || req.method === 'POST')) return setOverlay(req, res, rec.uid);
      throw new HttpError(405, `${req.method} not allowed on ${path}`);
    }
    if (path.startsWith('/api/')) throw new HttpError(404, `no API route ${path}`);
    if (path === '/agent') {
      const uid = parseInstanceId(url.searchParams.get('instanceid'));
      const rec = uid ? registry.agents.get(uid) : undefined;
      if (!rec) return sendText(res, 404, '');
      return sendHtml(res, 200, agentPage(registry.view(rec), ctx()), PAGE_CSP);
    }
    if (path === '/save_config') return saveConfig(req, res, url);
    // Like the example server, any other path shows the agent list.
    return sendHtml(res, 200, agentListPage(all(), ctx()), PAGE_CSP);
  };

  const server = createGuardedServer({ ...o, tag: 'UI', wantsJson: (p) => p.startsWith('/api/') }, route);
  server.on('close', () => events.closeAll());
  return server;
}

// UI port: the opamp-go example server's routes (/, /agent, /save_config) plus the dashboard's JSON API
// under /api (agents, one agent, set overlay, server-sent events).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ServerAgentView, ServerEvent, SetOverlayRequest } from '../../shared/serverApi';
import type { AgentRegistry } from './agentRegistry';
import { agentListPage, agentPage } from './html';
import { parseInstanceId, readBody, sendHtml, sendJson } from './httpUtil';

export const SAVE_WAIT_MS = 5000;

export function createUiServer(registry: AgentRegistry, log: (line: string) => void): Server {
  const streams = new Set<ServerResponse>();
  registry.onChange((uid, removed) => {
    if (!streams.size) return;
    const rec = registry.agents.get(uid);
    const event: ServerEvent = removed || !rec ? { type: 'removed', instanceUid: uid } : { type: 'agent', agent: registry.view(rec) };
    const line = `data: ${JSON.stringify(event)}\n\n`;
    for (const s of streams) s.write(line);
  });

  const all = (): ServerAgentView[] =>
    [...registry.agents.values()].sort((a, b) => a.firstSeen.getTime() - b.firstSeen.getTime()).map((r) => registry.view(r));

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://ui');
    const path = url.pathname;

    if (path === '/api/agents' && req.method === 'GET') return sendJson(res, 200, { agents: all() });
    if (path === '/api/events' && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
      res.write(`data: ${JSON.stringify({ type: 'snapshot', agents: all() } satisfies ServerEvent)}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    const apiAgent = /^\/api\/agents\/([^/]+)(\/overlay)?$/.exec(path);
    if (apiAgent) {
      const uid = parseInstanceId(decodeURIComponent(apiAgent[1]!));
      const rec = uid ? registry.agents.get(uid) : undefined;
      if (!uid) return sendJson(res, 400, { error: `not an instance id: "${apiAgent[1]}"` });
      if (!rec) return sendJson(res, 404, { error: `no agent with instance id ${uid}` });
      if (!apiAgent[2] && req.method === 'GET') return sendJson(res, 200, { agent: registry.view(rec) });
      if (apiAgent[2] && (req.method === 'PUT' || req.method === 'POST')) {
        let body: SetOverlayRequest;
        try {
          body = JSON.parse(await readBody(req)) as SetOverlayRequest;
        } catch (err) {
          return sendJson(res, 400, { error: `overlay request: ${err instanceof Error ? err.message : String(err)}` });
        }
        if (typeof body?.config !== 'string') return sendJson(res, 400, { error: 'overlay request: "config" must be a string' });
        const waitMs = Math.min(30_000, Math.max(0, Number(body.waitMs ?? SAVE_WAIT_MS) || 0));
        const acknowledged = await registry.setOverlay(uid, body.config, waitMs);
        return sendJson(res, 200, { agent: registry.view(rec), acknowledged });
      }
      return sendJson(res, 405, { error: `${req.method} not allowed on ${path}` });
    }
    if (path.startsWith('/api/')) return sendJson(res, 404, { error: `no API route ${path}` });

    if (path === '/agent') {
      const uid = parseInstanceId(url.searchParams.get('instanceid'));
      const rec = uid ? registry.agents.get(uid) : undefined;
      if (!rec) return void res.writeHead(404).end();
      return sendHtml(res, 200, agentPage(registry.view(rec)));
    }
    if (path === '/save_config') {
      if (req.method !== 'POST') return void res.writeHead(405, { Allow: 'POST' }).end();
      let form: URLSearchParams;
      try {
        form = new URLSearchParams(await readBody(req));
      } catch (err) {
        return void res.writeHead((err as { status?: number }).status ?? 500).end();
      }
      const uid = parseInstanceId(form.get('instanceid') ?? url.searchParams.get('instanceid'));
      if (!uid || !registry.agents.has(uid)) return void res.writeHead(404).end();
      const config = form.get('config') ?? '';
      log(`[UI] saving ${config.length} bytes of additional configuration for ${uid}`);
      await registry.setOverlay(uid, config, SAVE_WAIT_MS);
      return void res.writeHead(303, { Location: `/agent?instanceid=${uid}` }).end();
    }
    return sendHtml(res, 200, agentListPage(all()));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`[UI] ${req.method} ${req.url}: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) sendJson(res, 500, { error: err instanceof Error ? err.message : String(err) });
      else res.destroy();
    });
  });
  server.on('close', () => {
    for (const s of streams) s.end();
  });
  return server;
}

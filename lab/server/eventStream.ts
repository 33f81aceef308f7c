// GET /api/events: server-sent events (a snapshot, then one event per agent change). Each event is
// serialised once for all streams; a stream whose unread backlog passes the limit is dropped, and the
// number of streams is capped, so a client that connects and never reads cannot grow memory.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerAgentView, ServerEvent } from '../../shared/serverApi';
import type { AgentRegistry } from './agentRegistry';
import { sendJson } from './httpUtil';
import type { ServerLimits } from './limits';
import { API_CSP, securityHeaders } from './requestGuard';

export interface EventHub {
  open(req: IncomingMessage, res: ServerResponse, snapshot: () => ServerAgentView[]): void;
  closeAll(): void;
  size(): number;
}

export function createEventHub(registry: AgentRegistry, limits: ServerLimits, log: (line: string) => void): EventHub {
  const streams = new Set<ServerResponse>();
  const drop = (res: ServerResponse) => {
    streams.delete(res);
    res.destroy();
  };
  const write = (res: ServerResponse, line: string) => {
    if (res.writableLength > limits.maxEventBacklogBytes) {
      log(`[UI] dropping an /api/events client that is not reading (${res.writableLength} bytes unread)`);
      drop(res);
      return;
    }
    res.write(line);
  };
  registry.onChange((uid, removed) => {
    if (!streams.size) return;
    const rec = registry.agents.get(uid);
    const event: ServerEvent = removed || !rec ? { type: 'removed', instanceUid: uid } : { type: 'agent', agent: registry.view(rec) };
    const line = `data: ${JSON.stringify(event)}\n\n`;
    for (const s of [...streams]) write(s, line);
  });
  return {
    open(req, res, snapshot) {
      if (streams.size >= limits.maxEventStreams) {
        sendJson(res, 503, { error: `too many event streams are open (at most ${limits.maxEventStreams}); close one and retry` });
        return;
      }
      res.writeHead(200, { ...securityHeaders(API_CSP), 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
      res.write(`data: ${JSON.stringify({ type: 'snapshot', agents: snapshot() } satisfies ServerEvent)}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      res.on('error', () => drop(res));
    },
    closeAll() {
      for (const s of streams) s.end();
      streams.clear();
    },
    size: () => streams.size,
  };
}

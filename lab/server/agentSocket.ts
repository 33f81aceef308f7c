// One agent WebSocket: every binary AgentToServer is answered; malformed or refused messages get a
// ServerErrorResponse and a close with a reason; a socket that never reports, or stops answering pings, is
// closed, so idle or dead peers cannot hold a connection slot.
import type { WebSocket } from 'ws';
import {
  ServerErrorResponseType, decodeAgentToServer, encodeServerToAgent, frameWsMessage, unframeWsMessage, type ServerToAgent,
} from '../../shared/opamp/index';
import type { AgentConnection } from './agentRecord';
import { AgentRejected, type AgentRegistry } from './agentRegistry';
import type { ServerLimits } from './limits';

export interface AgentSocketDeps {
  registry: AgentRegistry;
  limits: ServerLimits;
  log: (line: string) => void;
}

export interface AgentSocket {
  /** Called every ping interval: drops a peer that did not answer the previous ping, then pings again. */
  checkAlive(): void;
}

const noop = () => {};

/** Close reasons (the full text went in the error response just before). */
const CLOSE_REASONS: Record<number, string> = {
  1002: 'malformed message', 1008: 'too many agents on one connection', 1009: 'agent status too large', 1013: 'server at its agent limit',
};

/** A ServerToAgent carrying only an error response (BadRequest unless told). */
export function errorReply(text: string, type: number = ServerErrorResponseType.BadRequest): Uint8Array {
  return encodeServerToAgent({ errorResponse: { type, errorMessage: text } });
}

export function serveAgentSocket(ws: WebSocket, deps: AgentSocketDeps): AgentSocket {
  const { registry, limits, log } = deps;
  const conn: AgentConnection = {
    transport: 'websocket',
    sentHashes: new Set(),
    firstReplySent: false,
    renamed: new Map(),
    agents: new Set(),
    isOpen: () => ws.readyState === ws.OPEN,
    push(message: ServerToAgent) {
      if (ws.readyState !== ws.OPEN) return false;
      ws.send(frameWsMessage(encodeServerToAgent(message)), noop);
      return true;
    },
  };
  let alive = true;
  let reported = false;
  const close = (code: number, reason: string) => {
    log(`[OPAMP] closing connection (${code}): ${reason}`);
    if (ws.readyState === ws.OPEN) ws.close(code, reason.slice(0, 120));
  };
  const firstMessage = setTimeout(() => {
    if (!reported) close(1008, `no AgentToServer within ${limits.firstMessageTimeoutMs / 1000} s of connecting`);
  }, limits.firstMessageTimeoutMs);
  firstMessage.unref();

  ws.on('pong', () => (alive = true));
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    alive = true;
    if (!isBinary) {
      log('[OPAMP] unexpected message type: 1, must be binary message');
      return;
    }
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    let reply: ServerToAgent;
    try {
      const msg = decodeAgentToServer(unframeWsMessage(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)));
      reply = registry.handle(msg, conn);
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      const rejected = err instanceof AgentRejected ? err : undefined;
      if (ws.readyState === ws.OPEN) ws.send(frameWsMessage(errorReply(text, rejected?.errorType)), noop);
      close(rejected?.closeCode ?? 1002, CLOSE_REASONS[rejected?.closeCode ?? 1002] ?? 'refused');
      log(`[OPAMP] refused message: ${text}`);
      return;
    }
    reported = true;
    conn.push(reply);
  });
  ws.on('error', (err) => log(`[OPAMP] websocket error: ${err.message}`));
  ws.on('close', () => {
    clearTimeout(firstMessage);
    registry.connectionClosed(conn);
  });
  return {
    checkAlive() {
      if (ws.readyState !== ws.OPEN) return;
      if (!alive) {
        log('[OPAMP] dropping a connection that did not answer a ping');
        ws.terminate();
        return;
      }
      alive = false;
      ws.ping();
    },
  };
}

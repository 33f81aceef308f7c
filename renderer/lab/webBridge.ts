// The LabApi over the web shell's WebSocket. Reconnects on its own; calls made
// while disconnected wait for the socket (up to callTimeoutMs) instead of failing.
import type { LabApi, LabEvent } from '../../shared/api';
import type { BridgeCall, BridgeReply } from '../../shared/bridgeProtocol';
import { LAB_METHODS, LabApiError, unwrapLabResult, type LabResult } from '../../shared/labMethods';

/** 'refused': the page's server answers, but the link never opens (a token from an earlier start). */
export type BridgeStatus = 'connecting' | 'open' | 'closed' | 'refused';

export interface WebBridgeOptions {
  callTimeoutMs?: number;
  /** Whether the server that served this page answers plain HTTP (to tell "gone" from "refuses us"). */
  serverAnswers?: () => Promise<boolean>;
}

/** Attempts in a row that never opened before the page asks whether its server is there at all. */
const ATTEMPTS_BEFORE_ASKING = 3;

interface Pending {
  resolve: (result: LabResult<unknown>) => void;
  timer: ReturnType<typeof setTimeout>;
}

export interface WebBridge {
  api: LabApi;
  status(): BridgeStatus;
  onStatus(listener: (status: BridgeStatus) => void): () => void;
  close(): void;
}

export function createWebBridge(url: string, opts: WebBridgeOptions = {}): WebBridge {
  const callTimeoutMs = opts.callTimeoutMs ?? 60_000;
  let socket: WebSocket | undefined;
  let neverOpened = 0;
  let status: BridgeStatus = 'connecting';
  let nextId = 1;
  let retryMs = 250;
  let closed = false;
  const pending = new Map<number, Pending>();
  const queue: BridgeCall[] = [];
  const eventListeners = new Set<(event: LabEvent) => void>();
  const statusListeners = new Set<(status: BridgeStatus) => void>();

  const setStatus = (next: BridgeStatus) => {
    status = next;
    for (const listener of statusListeners) listener(next);
  };

  const open = () => {
    // A refusal stays on screen while the page keeps trying (so it heals if the server takes it again).
    if (status !== 'refused') setStatus('connecting');
    const ws = new WebSocket(url);
    socket = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      neverOpened = 0;
      retryMs = 250;
      setStatus('open');
      for (const call of queue.splice(0)) ws.send(JSON.stringify(call));
    };
    ws.onmessage = (message) => {
      if (typeof message.data !== 'string') return;
      let reply: BridgeReply;
      try {
        reply = JSON.parse(message.data) as BridgeReply;
      } catch {
        return;
      }
      if ('event' in reply) {
        for (const listener of eventListeners) listener(reply.event);
        return;
      }
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      pending.delete(reply.id);
      clearTimeout(waiting.timer);
      waiting.resolve(reply.result);
    };
    ws.onclose = () => {
      socket = undefined;
      if (closed) return setStatus('closed');
      setTimeout(open, retryMs);
      retryMs = Math.min(retryMs * 2, 5_000);
      neverOpened = opened ? 0 : neverOpened + 1;
      // A browser does not tell a page why its WebSocket handshake failed; a server that answers
      // HTTP but never takes the link is refusing this page (its token is from an earlier start).
      if (neverOpened >= ATTEMPTS_BEFORE_ASKING && opts.serverAnswers) {
        void opts.serverAnswers().then(
          (up) => {
            if (!closed && status !== 'open') setStatus(up ? 'refused' : 'connecting');
          },
          () => undefined,
        );
      } else if (status !== 'refused') setStatus('connecting');
    };
  };

  const call = (method: string, request: unknown): Promise<unknown> =>
    new Promise<LabResult<unknown>>((resolve) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve({ ok: false, error: { kind: 'timeout', message: `${method}: no answer from OpAMP Lab within ${callTimeoutMs / 1000} s` } });
      }, callTimeoutMs);
      pending.set(id, { resolve, timer });
      const frame: BridgeCall = { id, method, request };
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
      else queue.push(frame);
    }).then(unwrapLabResult);

  const api = Object.fromEntries(LAB_METHODS.map((method) => [method, (request: unknown) => call(method, request)])) as Omit<
    LabApi,
    'subscribe'
  >;

  open();
  return {
    api: {
      ...api,
      subscribe(listener) {
        eventListeners.add(listener);
        return () => eventListeners.delete(listener);
      },
    } as LabApi,
    status: () => status,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    close() {
      closed = true;
      socket?.close();
      for (const [id, waiting] of pending) {
        clearTimeout(waiting.timer);
        waiting.resolve({ ok: false, error: { kind: 'unreachable', message: 'OpAMP Lab connection closed' } });
        pending.delete(id);
      }
    },
  };
}

export { LabApiError };

// A local TCP listener on 127.0.0.1 that tunnels each connection to a port of
// the current target pod through client-node's PortForward (WebSocket). The
// target changes when the server pod is replaced; new connections go to the new
// pod at once, open ones end with the old pod. Health is probed, never assumed.
import { createServer, type Server, type Socket } from 'node:net';
import * as k8s from '@kubernetes/client-node';
import type { ForwardName, ForwardState } from '../../../shared/state';
import type { KubeSession } from '../kube/session';
import { probeHttp, probeOpampWebSocket } from './health';

export interface ForwardOptions {
  session: KubeSession;
  name: ForwardName;
  remotePort: number;
  /** Local port to try first (default: the remote port); a free one is used when it is taken. */
  preferredLocalPort?: number;
  onState: (s: ForwardState) => void;
  healthEveryMs?: number;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => {
      server.off('listening', onListening);
      reject(e);
    };
    const onListening = (): void => {
      server.off('error', onError);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
}

export class PortForwarder {
  private server: Server | undefined;
  private pod: string | undefined;
  private readonly sockets = new Map<Socket, string>();
  private state: ForwardState;
  private healthTimer: NodeJS.Timeout | undefined;
  private checking = false;
  private closed = false;

  constructor(private readonly o: ForwardOptions) {
    this.state = { name: o.name, remotePort: o.remotePort, health: 'starting' };
  }

  get current(): ForwardState {
    return this.state;
  }

  async start(): Promise<void> {
    const server = createServer((socket) => this.tunnel(socket));
    this.server = server;
    let port: number;
    try {
      port = await listen(server, this.o.preferredLocalPort ?? this.o.remotePort);
    } catch {
      port = await listen(server, 0);
    }
    // After listening, an accept failure (e.g. out of file descriptors) is an 'error' event: keep serving.
    server.on('error', (err) => this.set({ error: `port-forward ${this.o.remotePort}: ${err.message}` }));
    const url = this.o.name === 'ui' ? `http://127.0.0.1:${port}/` : `wss://127.0.0.1:${port}/v1/opamp`;
    this.set({ localPort: port, url });
    this.healthTimer = setInterval(() => void this.check(), this.o.healthEveryMs ?? 5000);
    this.healthTimer.unref?.();
  }

  private set(patch: Partial<ForwardState>): void {
    this.state = { ...this.state, ...patch };
    if (patch.error === undefined && 'error' in patch) delete this.state.error;
    this.o.onState(this.state);
  }

  /** Points new connections at `pod` (undefined: no ready pod). Old connections end with their pod. */
  setTarget(pod: string | undefined): void {
    if (pod === this.pod) return;
    const old = this.pod;
    this.pod = pod;
    for (const [socket, target] of this.sockets) if (target === old) socket.destroy();
    if (!pod) {
      this.set({ pod: undefined, health: 'down', error: 'no ready opamp-server pod', checkedAt: Date.now() });
      return;
    }
    this.set({ pod, health: 'starting', error: undefined });
    void this.check();
  }

  private tunnel(socket: Socket): void {
    const pod = this.pod;
    if (!pod || this.closed) {
      socket.destroy();
      return;
    }
    this.sockets.set(socket, pod);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    const pf = new k8s.PortForward(this.o.session.kc, true);
    pf.portForward(this.o.session.namespace, pod, [this.o.remotePort], socket, null, socket)
      .then((res) => {
        const ws = typeof res === 'function' ? res() : res;
        if (!ws) {
          socket.destroy();
          return;
        }
        ws.on('close', () => socket.destroy());
        ws.on('error', () => socket.destroy());
        socket.on('close', () => ws.close());
      })
      .catch(() => socket.destroy());
  }

  /** Probes through the forward itself, so "up" means the whole path works. */
  async check(): Promise<void> {
    if (this.checking || this.closed || !this.state.localPort) return;
    this.checking = true;
    const pod = this.pod;
    try {
      if (!pod) return;
      const port = this.state.localPort;
      if (this.o.name === 'ui') await probeHttp(port);
      else await probeOpampWebSocket(port);
      if (pod === this.pod && !this.closed) this.set({ health: 'up', error: undefined, checkedAt: Date.now() });
    } catch (err) {
      if (pod === this.pod && !this.closed) this.set({ health: 'down', error: `port-forward ${this.o.remotePort} → ${pod}: ${err instanceof Error ? err.message : String(err)}`, checkedAt: Date.now() });
    } finally {
      this.checking = false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.healthTimer);
    for (const s of this.sockets.keys()) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

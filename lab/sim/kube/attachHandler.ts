// pods/{name}/attach over WebSocket (v5/v4.channel.k8s.io), as the kubelet
// serves it: the container's main process, not a new one. A container started
// with stdin (kubectl run -it, kubectl debug -it) is a shell that takes what
// the client types; one without stdin (the agent) streams its output from now
// on. Detaching leaves the process running; when it exits, the client gets a
// Success status on channel 3 and the stream ends.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ResourceRoute } from './apiServer';
import { ERROR, frame, pickProtocol, STDERR, STDOUT } from './channelProtocol';
import { bindSession, exitStatus } from './execHandler';
import { boolParam } from './http';
import type { Kubelet } from './kubelet';
import type { KubeApi } from './kubeApi';
import { errors } from './status';

type Loose = Record<string, any>;

export function createAttachUpgrade(api: KubeApi, kubelet: Kubelet) {
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => pickProtocol(offered) });
  return (route: ResourceRoute, query: URLSearchParams, req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const namespace = route.namespace ?? 'default';
    const name = route.name ?? '';
    const pod = api.get('pods', namespace, name);
    const names = [...((pod.spec?.containers ?? []) as Loose[]), ...((pod.spec?.ephemeralContainers ?? []) as Loose[])].map((c) => String(c.name));
    const container = query.get('container') ?? (names.length === 1 ? names[0] : undefined);
    if (!container) throw errors.badRequest(`a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`);
    if (!names.includes(container)) throw errors.badRequest(`container ${container} is not valid for pod ${name}`);
    const worker = kubelet.worker(namespace, name);
    const running = worker?.runner(container)?.running;
    if (!worker || !running) throw errors.badRequest(`container ${container} is not running in pod ${name}`);
    const tty = boolParam(query, 'tty');
    const wantStdin = boolParam(query, 'stdin');
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      // A malformed frame from the client is an 'error' on ws (then a close): never an uncaught throw.
      ws.on('error', () => undefined);
      const send = (channel: number, data: Uint8Array | string): void => {
        if (ws.readyState === ws.OPEN) ws.send(frame(channel, data));
      };
      const finish = (): void => {
        send(ERROR, JSON.stringify(exitStatus([], 0)));
        ws.close(1000);
      };
      const session = running.attach?.();
      if (!session) {
        // No stdin: what the container prints from now on, until it exits.
        const log = worker.logs.current(container);
        const stop = log?.follow((line) => (line ? send(line.stream === 'stdout' || tty ? STDOUT : STDERR, `${line.text}\n`) : finish()));
        if (!log) finish();
        ws.on('close', () => stop?.());
        return;
      }
      let attached = true;
      const sendLive = bindSession(ws, session, { tty, stdin: wantStdin, attached: () => attached });
      void session.exit.then(() => {
        if (!attached) return;
        sendLive(ERROR, JSON.stringify(exitStatus([], 0)));
        ws.close(1000);
      });
      ws.on('close', () => (attached = false));
    });
  };
}

// pods/{name}/portforward, in the three forms clients speak:
// - kubectl 1.35 by default: a WebSocket whose subprotocol is
//   `SPDY/3.1+portforward.k8s.io`, carrying SPDY frames in binary messages
//   (the API server's tunnel, client-go tools/portforward tunneling_dialer.go);
// - kubectl with KUBECTL_PORT_FORWARD_WEBSOCKETS=false: an HTTP upgrade to
//   SPDY/3.1 with X-Stream-Protocol-Version: portforward.k8s.io;
// - @kubernetes/client-node: WebSocket v4.channel.k8s.io, where for the i-th
//   port channel 2i carries data and 2i+1 errors, each starting with the port
//   as 2 bytes little-endian. Each port is one TCP connection into the pod.
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createWebSocketStream, WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { ResourceRoute } from './apiServer';
import { pickProtocol } from './channelProtocol';
import type { Kubelet } from './kubelet';
import type { KubeApi } from './kubeApi';
import type { PodWorker } from './podWorker';
import { servePortForward } from './portForwardStreams';
import { SpdySession } from './spdy/session';
import { errors } from './status';

export const SPDY_TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';
const STREAM_PROTOCOL = 'portforward.k8s.io';
const CHANNEL_PROTOCOLS = ['v4.channel.k8s.io', STREAM_PROTOCOL];

export function createPortForwardUpgrade(api: KubeApi, kubelet: Kubelet) {
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => pickProtocol(offered, [SPDY_TUNNEL_PROTOCOL, ...CHANNEL_PROTOCOLS]) });
  return (route: ResourceRoute, query: URLSearchParams, req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const namespace = route.namespace ?? 'default';
    const name = route.name ?? '';
    const pod = api.get('pods', namespace, name);
    if (pod.status?.phase !== 'Running') throw errors.badRequest(`unable to forward port because pod is not running. Current status=${pod.status?.phase ?? 'Unknown'}`);
    const worker = kubelet.worker(namespace, name);
    if (!worker) throw errors.badRequest(`pod ${name} is not running on this node`);
    const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
    if (upgrade === 'spdy/3.1') return upgradeToSpdy(req, socket, head, worker, name);
    if (upgrade !== 'websocket' || !req.headers['sec-websocket-key']) throw errors.badRequest(`unable to upgrade: unsupported upgrade "${String(req.headers.upgrade ?? '')}"`);
    const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (offered.includes(SPDY_TUNNEL_PROTOCOL)) {
      wss.handleUpgrade(req, socket, head, (ws) => servePortForward(new SpdySession(createWebSocketStream(ws)), worker, name));
      return;
    }
    if (!offered.some((p) => CHANNEL_PROTOCOLS.includes(p))) throw errors.badRequest(`unable to upgrade: none of the offered subprotocols is supported (${[SPDY_TUNNEL_PROTOCOL, ...CHANNEL_PROTOCOLS].join(', ')})`);
    const ports = query.getAll('ports').flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean).map(Number);
    if (ports.length === 0) throw errors.badRequest('query parameter "port" is required');
    for (const p of ports) if (!Number.isInteger(p) || p < 1 || p > 65535) throw errors.badRequest(`invalid port: ${p}`);
    wss.handleUpgrade(req, socket, head, (ws) => serveChannels(ws, ports, worker, name));
  };
}

/** The SPDY/3.1 upgrade, answered as the kubelet's httpstream upgrader answers it. */
function upgradeToSpdy(req: IncomingMessage, socket: Duplex, head: Buffer, worker: PodWorker, name: string): void {
  const versions = String(req.headers['x-stream-protocol-version'] ?? '').split(',').map((v) => v.trim());
  if (!versions.includes(STREAM_PROTOCOL)) throw errors.forbidden(`unable to upgrade: unable to negotiate protocol: client supports [${versions.join(' ')}], server supports [${STREAM_PROTOCOL}]`);
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${STREAM_PROTOCOL}\r\n\r\n`);
  const session = new SpdySession(socket);
  servePortForward(session, worker, name);
  session.receive(head);
}

function serveChannels(ws: WebSocket, ports: number[], worker: PodWorker, name: string): void {
  const tcp: (Socket | undefined)[] = [];
  const send = (channel: number, data: Uint8Array): void => {
    if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), data]));
  };
  const portPrefix = (port: number): Buffer => Buffer.from([port & 0xff, (port >> 8) & 0xff]);
  const closeAll = (): void => {
    for (const s of tcp) s?.destroy();
    if (ws.readyState === ws.OPEN) ws.close(1000);
  };
  ports.forEach((port, i) => {
    send(2 * i, portPrefix(port));
    send(2 * i + 1, portPrefix(port));
    const local = worker.sandbox?.localPort(port);
    const fail = (why: string): void => {
      send(2 * i + 1, Buffer.from(`error forwarding port ${port} to pod ${name}, uid ${worker.uid}: failed to connect to localhost:${port} inside the pod: ${why}`));
      closeAll();
    };
    if (local === undefined) return fail('connect: connection refused');
    const conn = connect(local, '127.0.0.1');
    tcp[i] = conn;
    conn.on('data', (data) => send(2 * i, data));
    conn.on('error', (err) => fail(err.message));
    // The pod's listener went away (pod deleted or process exited): the stream ends too.
    conn.on('close', () => closeAll());
  });
  // A malformed frame from the client is an 'error' on ws (then a close): never an uncaught throw.
  ws.on('error', () => undefined);
  ws.on('message', (raw: RawData) => {
    const data = Buffer.isBuffer(raw) ? raw : Buffer.from(raw as ArrayBuffer);
    const channel = data[0] ?? 0;
    if (channel % 2 === 0) tcp[channel / 2]?.write(data.subarray(1));
  });
  const stopWatching = worker.onGone(closeAll);
  ws.on('close', () => {
    stopWatching();
    for (const s of tcp) s?.destroy();
  });
}

// pods/{name}/portforward over WebSocket (v4.channel.k8s.io), the way
// @kubernetes/client-node speaks it: for the i-th port, channel 2i carries
// data and 2i+1 errors; the first message on each channel starts with the
// port as 2 bytes little-endian. Each port is one TCP connection into the pod.
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { ResourceRoute } from './apiServer';
import { pickProtocol } from './channelProtocol';
import type { Kubelet } from './kubelet';
import type { KubeApi } from './kubeApi';
import { errors } from './status';

const PROTOCOLS = ['v4.channel.k8s.io', 'portforward.k8s.io'];

export function createPortForwardUpgrade(api: KubeApi, kubelet: Kubelet) {
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => pickProtocol(offered, PROTOCOLS) });
  return (route: ResourceRoute, query: URLSearchParams, req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const namespace = route.namespace ?? 'default';
    const name = route.name ?? '';
    const pod = api.get('pods', namespace, name);
    const offered = String(req.headers['sec-websocket-protocol'] ?? '');
    if (!/v4\.channel\.k8s\.io|portforward\.k8s\.io/.test(offered) || /SPDY/i.test(offered) || !req.headers['sec-websocket-key']) {
      throw errors.badRequest('kubectl port-forward (SPDY) is not supported by the lab emulator: open the UI address that `opamp-lab sim` prints, or use @kubernetes/client-node PortForward (v4.channel.k8s.io)');
    }
    const ports = query.getAll('ports').flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean).map(Number);
    if (ports.length === 0) throw errors.badRequest('query parameter "port" is required');
    for (const p of ports) if (!Number.isInteger(p) || p < 1 || p > 65535) throw errors.badRequest(`invalid port: ${p}`);
    if (pod.status?.phase !== 'Running') throw errors.badRequest(`unable to forward port because pod is not running. Current status=${pod.status?.phase ?? 'Unknown'}`);
    const worker = kubelet.worker(namespace, name);
    if (!worker) throw errors.badRequest(`pod ${name} is not running on this node`);
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
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
    });
  };
}

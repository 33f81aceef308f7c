// pods/{name}/exec over WebSocket (v5/v4.channel.k8s.io): stdin on channel 0
// (v5 closes it with 255,0), stdout/stderr on 1/2, resize JSON on 4, and the
// exit as a Status on channel 3, as the kubelet reports it.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { ExecSession } from '../pod/types';
import type { ResourceRoute } from './apiServer';
import { CLOSE, ERROR, frame, pickProtocol, RESIZE, STDERR, STDIN, STDOUT } from './channelProtocol';
import { boolParam } from './http';
import type { Kubelet } from './kubelet';
import type { KubeApi } from './kubeApi';
import { pickContainer } from './podLogHandler';
import { errors } from './status';

export function exitStatus(command: string[], code: number, error?: string): Record<string, unknown> {
  if (error) {
    const message = `Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: ${error}: unknown`;
    return { metadata: {}, status: 'Failure', message, reason: 'InternalError', details: { causes: [{ message }] }, code: 500 };
  }
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/**
 * A resize message. The kubelet decodes it with Go's encoding/json, which matches field names
 * case-insensitively: kubectl sends {"Width":…}, @kubernetes/client-node {"width":…}. A malformed
 * one is ignored, as the kubelet does.
 */
export function parseResize(body: Buffer): { width: number; height: number } | undefined {
  try {
    const raw = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    const field = (name: string): number => Number(Object.entries(raw).find(([k]) => k.toLowerCase() === name)?.[1]);
    const width = field('width');
    const height = field('height');
    return width > 0 && height > 0 ? { width, height } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Wires a session to a channel-protocol WebSocket, as exec and attach both need it: its output on
 * stdout/stderr (stderr on stdout under a tty), the client's stdin when asked for, resizes, and v5's
 * close of stdin. Returns the guarded sender for what else the caller sends (the exit status).
 */
export function bindSession(ws: WebSocket, session: ExecSession, opts: { tty: boolean; stdin: boolean; attached?: () => boolean }): (channel: number, data: Uint8Array | string) => void {
  const live = opts.attached ?? (() => true);
  const send = (channel: number, data: Uint8Array | string): void => {
    if (ws.readyState === ws.OPEN && live()) ws.send(frame(channel, data));
  };
  session.onStdout((data) => send(STDOUT, data));
  session.onStderr((data) => send(opts.tty ? STDOUT : STDERR, data));
  const v5 = ws.protocol === 'v5.channel.k8s.io';
  ws.on('message', (raw: RawData) => {
    const data = Buffer.isBuffer(raw) ? raw : Buffer.from(raw as ArrayBuffer);
    const body = data.subarray(1);
    if (data[0] === STDIN && opts.stdin) session.writeStdin(body);
    else if (data[0] === RESIZE) {
      const size = parseResize(body);
      if (size) session.resize(size.width, size.height);
    } else if (data[0] === CLOSE && v5 && body[0] === STDIN && opts.stdin) session.closeStdin();
  });
  return send;
}

export function createExecUpgrade(api: KubeApi, kubelet: Kubelet) {
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => pickProtocol(offered) });
  return (route: ResourceRoute, query: URLSearchParams, req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const namespace = route.namespace ?? 'default';
    const name = route.name ?? '';
    const pod = api.get('pods', namespace, name);
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') throw errors.badRequest(`cannot exec into a container in a completed pod; current phase is ${pod.status.phase}`);
    const container = pickContainer(pod, query.get('container'));
    const running = kubelet.worker(namespace, name)?.runner(container)?.running;
    if (!running) throw errors.badRequest(`container not found ("${container}")`);
    const command = query.getAll('command');
    if (command.length === 0) throw errors.badRequest('you must specify at least 1 command');
    const tty = boolParam(query, 'tty');
    const wantStdin = boolParam(query, 'stdin');
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      // A malformed frame from the client is an 'error' on ws (then a close): never an uncaught throw.
      ws.on('error', () => undefined);
      let session: ReturnType<typeof running.exec>;
      try {
        session = running.exec({ command, tty, stdin: wantStdin });
      } catch (err) {
        ws.send(frame(ERROR, JSON.stringify(exitStatus(command, 126, err instanceof Error ? err.message : String(err)))));
        ws.close(1000);
        return;
      }
      const send = bindSession(ws, session, { tty, stdin: wantStdin });
      let finished = false;
      ws.on('close', () => {
        if (!finished) session.kill();
      });
      void session.exit.then(({ code, error }) => {
        finished = true;
        if (error) send(STDERR, '');
        send(ERROR, JSON.stringify(exitStatus(command, code, error)));
        ws.close(1000);
      });
    });
  };
}

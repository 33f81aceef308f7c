// The kubelet's port-forward over SPDY streams (pkg/kubelet/cri/streaming/
// portforward/httpstream.go): each forwarded connection is a pair of streams
// with the same `requestID` (older clients: data stream id = error stream id
// + 2), `streamType` error or data, and a `port`. Data is copied to and from
// a TCP connection into the pod; a failure is written on the error stream;
// both streams are closed when the forward ends. When the pod goes away the
// whole connection ends, so kubectl reports the lost connection.
import { connect } from 'node:net';
import type { PodWorker } from './podWorker';
import { RST } from './spdy/frames';
import type { SpdySession, SpdyStream } from './spdy/session';

/** How long the first stream of a pair waits for its partner (the kubelet's streamCreationTimeout). */
const PAIR_TIMEOUT_MS = 30_000;

interface Pair {
  data?: SpdyStream;
  error?: SpdyStream;
  timer: NodeJS.Timeout;
}

/** The kubelet's check of a new stream's headers; an error resets the stream. */
export function checkStreamHeaders(stream: Pick<SpdyStream, 'header'>): { port: number; type: 'data' | 'error' } | string {
  const portText = stream.header('port');
  if (!portText) return '"port" header is required';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) return `unable to parse "${portText}" as a port`;
  if (port < 1) return `port "${portText}" must be > 0`;
  const type = stream.header('streamType');
  if (!type) return '"streamType" header is required';
  if (type !== 'data' && type !== 'error') return `invalid stream type "${type}"`;
  return { port, type };
}

export function servePortForward(session: SpdySession, worker: PodWorker, podName: string): void {
  const pairs = new Map<string, Pair>();
  const stopWatching = worker.onGone(() => session.goAway());
  session.on('close', () => {
    stopWatching();
    for (const pair of pairs.values()) clearTimeout(pair.timer);
    pairs.clear();
  });
  session.on('stream', (stream: SpdyStream) => {
    const checked = checkStreamHeaders(stream);
    if (typeof checked === 'string') return stream.resetStream(RST.ProtocolError);
    stream.reply();
    const key = stream.header('requestID') ?? String(checked.type === 'data' ? stream.id - 2 : stream.id);
    let pair = pairs.get(key);
    if (!pair) {
      pair = { timer: setTimeout(() => {
        pairs.delete(key);
        pair?.data?.resetStream(RST.Cancel);
        pair?.error?.resetStream(RST.Cancel);
      }, PAIR_TIMEOUT_MS) };
      pairs.set(key, pair);
    }
    if (pair[checked.type]) return stream.resetStream(RST.ProtocolError);
    pair[checked.type] = stream;
    if (pair.data && pair.error) {
      clearTimeout(pair.timer);
      pairs.delete(key);
      forward(pair.data, pair.error, checked.port, worker, podName);
    }
  });
}

function forward(data: SpdyStream, error: SpdyStream, port: number, worker: PodWorker, podName: string): void {
  const finish = (failure?: string): void => {
    if (failure) error.write(Buffer.from(`error forwarding port ${port} to pod ${podName}, uid ${worker.uid}: ${failure}`));
    error.end();
    data.end();
  };
  const local = worker.sandbox?.localPort(port);
  const refused = `failed to connect to localhost:${port} inside namespace "${worker.uid}", IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused IPv6 dial tcp6 [::1]:${port}: connect: connection refused `;
  if (local === undefined) return finish(refused);
  const tcp = connect(local, '127.0.0.1');
  let connected = false;
  tcp.on('connect', () => (connected = true));
  tcp.on('data', (chunk: Buffer) => data.write(chunk));
  tcp.on('error', () => undefined);
  tcp.on('close', () => finish(connected ? undefined : refused));
  data.on('data', (chunk: Buffer) => tcp.write(chunk));
  data.on('end', () => tcp.end());
  data.on('reset', () => tcp.destroy());
}

// The optional seventh check, "the overlay acts on data": one OTLP/HTTP test span sent through a
// port-forward (127.0.0.1 only, for this check only) to the agent pod's 4318, then looked for in
// /storage/agent.log, where the debug exporter prints it; the guide's overlay adds
// opamp.ui_test: hello-from-ui to it. Works the same against a real cluster and the embedded lab.
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import * as k8s from '@kubernetes/client-node';
import { findTestSpan, TEST_ATTRIBUTE, testSpanRequest } from '../../../shared/otlp/testSpan';
import type { Evidence, TelemetryCheckResult } from '../../../shared/state';
import { readPodFile } from '../kube/execOnce';
import type { KubeSession } from '../kube/session';

export const OTLP_HTTP_PORT = 4318;

/** A one-shot forward of 127.0.0.1:<random> to pod:port, closed when done. */
export async function oneShotForward(session: KubeSession, pod: string, port: number): Promise<{ localPort: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    new k8s.PortForward(session.kc, true)
      .portForward(session.namespace, pod, [port], socket, null, socket)
      .then((res) => {
        const ws = typeof res === 'function' ? res() : res;
        if (!ws) return socket.destroy();
        ws.on('close', () => socket.destroy());
        ws.on('error', () => socket.destroy());
        socket.on('close', () => ws.close());
      })
      .catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    localPort: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

function post(port: number, body: Uint8Array, timeoutMs: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/v1/traces', method: 'POST', headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => { if (chunks.length < 64) chunks.push(c); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8').slice(0, 300) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer after ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end(Buffer.from(body));
  });
}

export interface TelemetryProofOptions {
  /** How long to look for the span in agent.log. */
  timeoutMs?: number;
  pollMs?: number;
}

export async function runTelemetryProof(session: KubeSession, pod: string, o: TelemetryProofOptions = {}): Promise<TelemetryCheckResult> {
  const timeoutMs = o.timeoutMs ?? 10_000;
  const at = Date.now();
  const { body, traceId } = testSpanRequest((n) => new Uint8Array(randomBytes(n)), at);
  const fail = (evidence: Evidence[], hint: string): TelemetryCheckResult => ({ pod, status: 'fail', at, traceId, evidence, hint });
  const fwd = await oneShotForward(session, pod, OTLP_HTTP_PORT);
  let sent: { status: number; text: string };
  try {
    sent = await post(fwd.localPort, body, 5000);
  } catch (err) {
    return fail([{ kind: 'note', text: `POST /v1/traces through port-forward ${OTLP_HTTP_PORT} → ${pod}: ${(err as Error).message || 'connection closed'}` }],
      'Nothing answers on 4318 in the agent pod: the collector is not running, or its otlp receiver has no http protocol (receivers.otlp.protocols.http).');
  } finally {
    await fwd.close();
  }
  const sentEvidence: Evidence = { kind: 'note', text: `sent 1 span (trace ${traceId}) to ${pod}:${OTLP_HTTP_PORT}/v1/traces: HTTP ${sent.status}`, at };
  if (sent.status !== 200) return fail([sentEvidence, { kind: 'note', text: sent.text.trim() }], `The OTLP receiver refused the span (HTTP ${sent.status}).`);
  const deadline = Date.now() + timeoutMs;
  let last = findTestSpan('', traceId);
  let readError: string | undefined;
  for (;;) {
    try {
      last = findTestSpan(await readPodFile(session, pod, '/storage/agent.log'), traceId);
      readError = undefined;
    } catch (err) {
      readError = (err as Error).message;
    }
    if (last.evidence || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, o.pollMs ?? 500));
  }
  if (last.evidence) {
    return { pod, status: 'pass', at, traceId, evidence: [sentEvidence, { kind: 'log', text: `Trace ID ${traceId} … ${last.evidence}`, source: '/storage/agent.log (debug exporter)', at: Date.now() }] };
  }
  if (last.printed) {
    return fail([sentEvidence, { kind: 'log', text: `Trace ID ${traceId}: ${last.attributes.length ? last.attributes.join(', ') : 'no attributes'}`, source: '/storage/agent.log (debug exporter)' }],
      `The span went through the pipeline without ${TEST_ATTRIBUTE.key}: the overlay's attributes/test_opamp is not in service.pipelines.traces.processors (or does not insert ${TEST_ATTRIBUTE.key}: ${TEST_ATTRIBUTE.value}).`);
  }
  return fail([sentEvidence, { kind: 'note', text: readError ? `cannot read /storage/agent.log: ${readError}` : `no debug exporter output for trace ${traceId} in /storage/agent.log after ${timeoutMs / 1000} s` }],
    'The receiver took the span but the debug exporter did not print it: is debug (verbosity: detailed) in the traces pipeline\'s exporters?');
}

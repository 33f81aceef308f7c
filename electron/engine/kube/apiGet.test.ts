// The plain GETs that stand in for the typed clients where a command needs no models: the
// path goes below the server URL's own path, the credentials travel as client-node sends
// them, and a refusal reads like client-node's ApiException to kubeError.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiGetJson, ApiStatusError } from './apiGet';
import { kubeError } from './session';

const seen: IncomingMessage[] = [];
const server = createServer((req, res) => {
  seen.push(req);
  if (req.url?.endsWith('/forbidden')) {
    res.writeHead(403, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, message: 'pods is forbidden: User "attendee" cannot list resource "pods" in API group "" in the namespace "opamp"' }));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ kind: 'PodList', items: [{ metadata: { name: 'opamp-agent-1', creationTimestamp: '2026-12-02T10:00:00Z' } }] }));
});
let base = '';

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function kubeConfig(serverUrl: string): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    // client-node allows http:// only with skipTLSVerify.
    clusters: [{ name: 'c', server: serverUrl, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'secret-token' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

describe('apiGetJson', () => {
  it('reads JSON below the server URL (a path prefix kept), with the bearer token', async () => {
    const list = await apiGetJson<{ items: { metadata: { name: string; creationTimestamp: string } }[] }>(kubeConfig(`${base}/k8s/clusters/c-1/`), '/api/v1/namespaces/opamp/pods?limit=1');
    expect(list.items[0]?.metadata).toEqual({ name: 'opamp-agent-1', creationTimestamp: '2026-12-02T10:00:00Z' });
    const req = seen.at(-1)!;
    expect(req.url).toBe('/k8s/clusters/c-1/api/v1/namespaces/opamp/pods?limit=1');
    expect(req.headers.authorization).toBe('Bearer secret-token');
  });

  it('a refusal carries the status and the Status body, and kubeError explains it as client-node errors are', async () => {
    const err = await apiGetJson(kubeConfig(base), '/api/v1/namespaces/opamp/forbidden').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiStatusError);
    expect(err).toMatchObject({ code: 403 });
    expect((err as Error).message).toBe('GET /api/v1/namespaces/opamp/forbidden: HTTP 403: pods is forbidden: User "attendee" cannot list resource "pods" in API group "" in the namespace "opamp"');
    const explained = kubeError(err, 'context "x"');
    expect(explained.kind).toBe('auth');
    expect(explained.message).toMatch(/forbidden \(403\): pods is forbidden: User "attendee"/);
  });
});

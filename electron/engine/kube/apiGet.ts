// Reads of one API path on the session's kept-alive connection, without the typed API clients: the
// reachability check, a one-look `verify`'s pod list and the lab's base ConfigMap. The typed clients
// bring the generated model classes with them, which the CLI loads only when a command needs them.
import type { RequestOptions } from 'node:http';
import type * as k8s from '@kubernetes/client-node';
import { getText, type HttpText } from '../http/getText';
import { statusMessage } from './statusMessage';

/** A non-2xx answer, shaped like client-node's ApiException (`code`, `body`) so kubeError and statusMessage read both alike. */
export class ApiStatusError extends Error {
  constructor(readonly code: number, readonly body: string, what: string) {
    super(`${what}: HTTP ${code}`);
    this.name = 'ApiStatusError';
    const status = statusMessage(this);
    if (status) this.message += `: ${status}`;
  }
}

/** GET `path` (with its query) on the current cluster's API server; any status, the body as text. */
export async function apiGetText(kc: k8s.KubeConfig, path: string, timeoutMs: number, what = `GET ${path}`): Promise<HttpText> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('no cluster server in the kubeconfig');
  const opts: RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  // The server URL may carry a path prefix (Rancher, kubectl proxy): API paths go below it.
  return getText(new URL(server.replace(/\/+$/, '') + path), opts, timeoutMs, what);
}

/** GET `path` as JSON; a non-2xx status throws ApiStatusError. */
export async function apiGetJson<T>(kc: k8s.KubeConfig, path: string, timeoutMs = 30_000): Promise<T> {
  const r = await apiGetText(kc, path, timeoutMs);
  if (r.status < 200 || r.status > 299) throw new ApiStatusError(r.status, r.text, `GET ${path}`);
  return JSON.parse(r.text) as T;
}

// The server UI's paths through the API server's service proxy
// (/api/v1/namespaces/NS/services/NAME:PORT/proxy/…), what `kubectl get --raw` and `kubectl proxy`
// use. One HTTPS request on the session's kept-alive connection, where the port-forward needs a
// WebSocket of its own: a one-look `verify` reads the server this way and falls back to the forward.
import type { RequestOptions } from 'node:http';
import type { KubeSession } from '../kube/session';
import { getText, type ServerGet } from './serverView';

export function serviceProxyGet(session: KubeSession, service: string, port: number): ServerGet {
  const prefix = `/api/v1/namespaces/${encodeURIComponent(session.namespace)}/services/${encodeURIComponent(service)}:${port}/proxy`;
  return async (path, timeoutMs) => {
    const server = session.kc.getCurrentCluster()?.server;
    if (!server) throw new Error('no cluster server in the kubeconfig');
    const opts: RequestOptions = {};
    await session.kc.applyToHTTPSOptions(opts);
    return getText(new URL(prefix + path, server), opts, timeoutMs, `GET ${path} through the service proxy`);
  };
}

// The server UI's paths through the API server's service proxy
// (/api/v1/namespaces/NS/services/NAME:PORT/proxy/…), what `kubectl get --raw` and `kubectl proxy`
// use. One HTTPS request on the session's kept-alive connection, where the port-forward needs a
// WebSocket of its own: a one-look `verify` reads the server this way and falls back to the forward.
import { apiGetText } from '../kube/apiGet';
import type { KubeSession } from '../kube/session';
import type { ServerGet } from './serverView';

export function serviceProxyGet(session: KubeSession, service: string, port: number): ServerGet {
  const prefix = `/api/v1/namespaces/${encodeURIComponent(session.namespace)}/services/${encodeURIComponent(service)}:${port}/proxy`;
  return (path, timeoutMs) => apiGetText(session.kc, prefix + path, timeoutMs, `GET ${path} through the service proxy`);
}

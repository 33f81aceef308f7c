// The server UI's paths through the API server's service proxy
// (/api/v1/namespaces/NS/services/NAME:PORT/proxy/…), what `kubectl get --raw` and `kubectl proxy`
// use. One HTTPS request on the session's kept-alive connection, where the port-forward needs a
// WebSocket of its own: a one-look `verify` reads the server this way and falls back to the forward.
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { KubeSession } from '../kube/session';
import type { HttpText, ServerGet } from './serverView';

export function serviceProxyGet(session: KubeSession, service: string, port: number): ServerGet {
  const prefix = `/api/v1/namespaces/${encodeURIComponent(session.namespace)}/services/${encodeURIComponent(service)}:${port}/proxy`;
  return async (path, timeoutMs) => {
    const server = session.kc.getCurrentCluster()?.server;
    if (!server) throw new Error('no cluster server in the kubeconfig');
    const opts: RequestOptions = {};
    await session.kc.applyToHTTPSOptions(opts);
    const url = new URL(prefix + path, server);
    const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise<HttpText>((resolve, reject) => {
      const req = request(url, { ...opts, method: 'GET' }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), type: String(res.headers['content-type'] ?? '') });
        });
      });
      const timer = setTimeout(() => req.destroy(new Error(`GET ${path} through the service proxy: no answer within ${timeoutMs} ms`)), timeoutMs);
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end();
    });
  };
}

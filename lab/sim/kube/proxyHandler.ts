// The proxy subresources of services and pods, as `kubectl proxy` and
// `kubectl get --raw` use them: `…/services/[scheme:]NAME[:PORT]/proxy/PATH`
// goes to a ready endpoint of the Service, `…/pods/NAME[:PORT]/proxy/PATH` to
// the pod. The request (method, headers but the API credentials, body) is
// relayed to the real local port behind the pod port; the answer comes back as
// it is. Errors read as the API server's (503 with "no endpoints available",
// "error trying to reach service").
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Kubelet } from './kubelet';
import type { KubeApi } from './kubeApi';
import { isReady } from './podUtil';
import { ApiError, errors } from './status';
import type { KubeObject } from './types';

type Loose = Record<string, any>;

export interface ProxyTarget {
  namespace: string;
  /** `services` or `pods`. */
  resource: string;
  /** The URL segment: [scheme:]name[:port]. */
  id: string;
  /** The path after `/proxy`, beginning with `/` (or empty). */
  path: string;
}

export function parseProxyId(id: string): { scheme?: string; name: string; port?: string } {
  const parts = id.split(':');
  if (parts.length === 3) return { scheme: parts[0], name: parts[1] ?? '', port: parts[2] };
  return { name: parts[0] ?? '', port: parts[1] };
}

const unavailable = (message: string): ApiError => new ApiError(503, 'ServiceUnavailable', message);

function containerPort(pod: KubeObject, port: string): number | undefined {
  if (/^\d+$/.test(port)) return Number(port);
  for (const c of (pod.spec?.containers ?? []) as Loose[]) {
    const p = ((c.ports ?? []) as Loose[]).find((x) => x.name === port);
    if (p) return Number(p.containerPort);
  }
  return undefined;
}

/** The pod and its port behind a service proxy request. */
function serviceEndpoint(api: KubeApi, namespace: string, name: string, port: string | undefined): { pod: KubeObject; port: number } {
  const service = api.get('services', namespace, name);
  const ports = (service.spec?.ports ?? []) as Loose[];
  const svcPort = port === undefined || port === '' ? (ports.length === 1 ? ports[0] : undefined) : ports.find((p) => p.name === port || String(p.port) === port);
  if (!svcPort) throw unavailable(`no endpoints available for service "${name}"`);
  const selector = (service.spec?.selector ?? {}) as Record<string, string>;
  const pods = api.list('pods', namespace).filter((p) => isReady(p) && !p.metadata.deletionTimestamp && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v));
  for (const pod of pods) {
    const target = containerPort(pod, String(svcPort.targetPort ?? svcPort.port));
    if (target !== undefined) return { pod, port: target };
  }
  throw unavailable(`no endpoints available for service "${name}"`);
}

export function createProxyHandler(api: KubeApi, kubelet: Kubelet) {
  return async (target: ProxyTarget, query: string, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { scheme, name, port } = parseProxyId(target.id);
    if (scheme === 'https') throw errors.badRequest('the lab emulator proxies plain HTTP only');
    let endpoint: { pod: KubeObject; port: number };
    if (target.resource === 'services') endpoint = serviceEndpoint(api, target.namespace, name, port);
    else {
      const pod = api.get('pods', target.namespace, name);
      // No port in the URL is port 80, as the API server builds the pod's address.
      const p = port ? containerPort(pod, port) : 80;
      if (p === undefined) throw errors.badRequest(`invalid port "${port ?? ''}"`);
      endpoint = { pod, port: p };
    }
    const podIp = String(endpoint.pod.status?.podIP ?? '');
    const worker = kubelet.worker(target.namespace, endpoint.pod.metadata.name ?? '');
    const local = worker?.sandbox?.localPort(endpoint.port);
    if (local === undefined) throw unavailable(`error trying to reach service: dial tcp ${podIp}:${endpoint.port}: connect: connection refused`);
    const headers = { ...req.headers, host: `${podIp}:${endpoint.port}` };
    delete headers.authorization;
    await new Promise<void>((resolve, reject) => {
      const upstream = request({ host: '127.0.0.1', port: local, method: req.method, path: `${target.path || '/'}${query}`, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', resolve);
        answer.on('error', () => {
          res.destroy();
          resolve();
        });
      });
      upstream.on('error', (err) => {
        if (!res.headersSent) return reject(unavailable(`error trying to reach service: ${err.message}`));
        res.destroy();
        resolve();
      });
      req.pipe(upstream);
    });
  };
}

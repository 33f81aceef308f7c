// The HTTP front of the emulator: bearer-token auth, discovery, and the REST
// verbs for every resource, routed to KubeApi; pod subresources (log, exec,
// portforward) are delegated to the handlers the cluster plugs in.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { answerReview, isReview } from './authReviews';
import { aggregatedDiscovery, AGGREGATED_V2, apiGroupList, apiResourceList, apiVersions, VERSION_INFO, wantsAggregated } from './discovery';
import { boolParam, intParam, parseJsonBody, readBody, readRawBody, sendError, sendJson } from './http';
import { decodeProtobufBody, encodeProtobufObject, PROTOBUF, wantsOnlyProtobuf } from './protobufBody';
import { openApiV3GroupVersion, openApiV3Root } from './openapi';
import { KubeApi, patchTypeOf, type DeleteOptions, type WriteOptions } from './kubeApi';
import { apiVersionOf, findResource, type ResourceInfo } from './resources';
import { parseFieldSelector, parseLabelSelector, validateFieldSelector } from './selectors';
import type { ProxyTarget } from './proxyHandler';
import { ApiError, errors, successStatus } from './status';
import { toTable, wantsTable } from './tables';
import type { KubeObject } from './types';
import { serveWatch } from './watch';

export interface ResourceRoute {
  info: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export interface SubresourceHandlers {
  /** GET pods/{name}/log. */
  log?(route: Required<Pick<ResourceRoute, 'namespace' | 'name'>>, query: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** services/{id}/proxy/… and pods/{id}/proxy/…, any method. */
  proxy?(target: ProxyTarget, search: string, req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** WebSocket upgrade for pods/{name}/exec, attach or portforward. */
  upgrade?(route: ResourceRoute, query: URLSearchParams, req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

export interface ApiServerOptions {
  api: KubeApi;
  /** Required bearer token; undefined disables authentication. */
  token?: string;
  host?: string;
  port?: number;
  subresources?: SubresourceHandlers;
  bookmarkIntervalMs?: number;
  /** Serve HTTPS with this certificate (kubectl sends bearer tokens only over TLS). */
  tls?: { certPem: string; keyPem: string };
}

/** The request URL, or undefined when the target does not parse (e.g. `http://[`): the client's error, 400. */
function requestUrl(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return undefined;
  }
}

/** A path segment, percent-decoded; a malformed escape is the client's error (400), as in Go's URL parser. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw errors.badRequest(`invalid URL escape in path segment "${segment.slice(0, 100)}"`);
  }
}

const PROXY_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/(services|pods)\/([^/]+)\/proxy(\/.*)?$/;

/** `…/services|pods/ID/proxy[/PATH]`: the target and the path to relay, still percent-encoded. */
export function parseProxyRoute(pathname: string): ProxyTarget | undefined {
  const m = PROXY_PATH.exec(pathname);
  if (!m) return undefined;
  return { namespace: decodeSegment(m[1] ?? ''), resource: m[2] ?? '', id: decodeSegment(m[3] ?? ''), path: m[4] ?? '' };
}

export function parseRoute(pathname: string): ResourceRoute | 'discovery' | undefined {
  const parts = pathname.split('/').filter((p) => p !== '').map(decodeSegment);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 2) {
    group = '';
    version = parts[1] ?? '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1] ?? '';
    version = parts[2] ?? '';
    rest = parts.slice(3);
  } else return undefined;
  if (rest.length === 0) return 'discovery';
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const candidate = findResource(group, version, rest[2] ?? '');
    if (candidate?.namespaced) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
  }
  const info = findResource(group, version, rest[0] ?? '');
  if (!info || rest.length > 3) return undefined;
  return { info, namespace, name: rest[1], subresource: rest[2] };
}

export class ApiServer {
  private readonly server: Server;
  private readonly api: KubeApi;
  private readonly watchers = new Set<() => void>();
  /**
   * Every TCP socket: closeAllConnections misses upgraded (exec, port-forward) sockets and
   * those still in the TLS handshake, and server.close() would wait for them.
   */
  private readonly sockets = new Set<Socket>();

  constructor(private readonly options: ApiServerOptions) {
    this.api = options.api;
    const handler = (req: IncomingMessage, res: ServerResponse): void => void this.handle(req, res);
    this.server = options.tls ? createHttpsServer({ cert: options.tls.certPem, key: options.tls.keyPem }, handler) : createHttpServer(handler);
    this.server.on('upgrade', (req, socket, head) => this.handleUpgrade(req, socket, head));
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  async listen(): Promise<string> {
    const host = this.options.host ?? '127.0.0.1';
    const port = this.options.port ?? 0;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', (err: NodeJS.ErrnoException) => reject(new Error(`kube API: cannot listen on ${host}:${port}: ${err.code === 'EADDRINUSE' ? 'the port is in use' : err.message}`)));
      this.server.listen(port, host, () => resolve());
    });
    // Once listening, an accept failure (e.g. out of file descriptors) must not end the process.
    this.server.on('error', (err) => process.stderr.write(`kube API: ${err.message}\n`));
    return this.url;
  }

  get url(): string {
    const addr = this.server.address() as AddressInfo;
    return `${this.options.tls ? 'https' : 'http'}://${addr.address}:${addr.port}`;
  }

  async close(): Promise<void> {
    for (const stop of [...this.watchers]) stop();
    this.server.closeAllConnections();
    // server.close() waits for every socket, and a client may still hold a stream open.
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private authorized(req: IncomingMessage): boolean {
    if (this.options.token === undefined) return true;
    return req.headers.authorization === `Bearer ${this.options.token}`;
  }

  private handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Node hands an upgraded socket over without its error listener: a client reset must not throw.
    socket.on('error', () => socket.destroy());
    const fail = (err: ApiError): void => {
      const body = JSON.stringify(err.toStatus());
      socket.end(`HTTP/1.1 ${err.code} ${err.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    };
    const url = requestUrl(req);
    if (!url) return fail(errors.badRequest(`malformed request target "${(req.url ?? '').slice(0, 100)}"`));
    if (!this.authorized(req)) return fail(errors.unauthorized());
    let route: ReturnType<typeof parseRoute>;
    try {
      route = parseRoute(url.pathname);
    } catch (err) {
      return fail(err instanceof ApiError ? err : errors.badRequest(String(err)));
    }
    if (!route || route === 'discovery' || route.info.plural !== 'pods' || !route.name || !['exec', 'attach', 'portforward'].includes(route.subresource ?? '')) {
      return fail(errors.notFoundPath());
    }
    if (!this.options.subresources?.upgrade) return fail(errors.badRequest(`${route.subresource} is not supported`));
    try {
      this.options.subresources.upgrade(route, url.searchParams, req, socket, head);
    } catch (err) {
      fail(err instanceof ApiError ? err : errors.internal(String(err)));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = requestUrl(req);
      if (!url) throw errors.badRequest(`malformed request target "${(req.url ?? '').slice(0, 100)}"`);
      const path = url.pathname.replace(/\/+$/, '') || '/';
      const accept = req.headers.accept;
      if (['/healthz', '/readyz', '/livez'].includes(path)) {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('ok');
        return;
      }
      if (path === '/version') return sendJson(res, 200, VERSION_INFO);
      if (!this.authorized(req)) throw errors.unauthorized();
      const proxy = parseProxyRoute(url.pathname);
      if (proxy) return await this.handleProxy(proxy, url, req, res);
      if (path === '/api' || path === '/apis') {
        if (wantsAggregated(accept)) return sendJson(res, 200, aggregatedDiscovery(path === '/api'), AGGREGATED_V2);
        return sendJson(res, 200, path === '/api' ? apiVersions(req.headers.host ?? '') : apiGroupList());
      }
      if (path === '/openapi/v3') return sendJson(res, 200, openApiV3Root());
      if (path.startsWith('/openapi/v3/')) {
        const doc = await openApiV3GroupVersion(path.slice('/openapi/v3/'.length));
        if (!doc) throw errors.notFoundPath();
        return sendJson(res, 200, doc);
      }
      const route = parseRoute(path);
      if (route === 'discovery') {
        const parts = path.split('/').filter(Boolean);
        const doc = parts[0] === 'api' ? apiResourceList('', parts[1] ?? '') : apiResourceList(parts[1] ?? '', parts[2] ?? '');
        if (!doc) throw errors.notFoundPath();
        return sendJson(res, 200, doc);
      }
      if (!route) throw errors.notFoundPath();
      await this.handleResource(route, url.searchParams, req, res);
    } catch (err) {
      sendError(res, err);
    }
  }

  private async handleProxy(target: ProxyTarget, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.options.subresources?.proxy) throw errors.notFoundPath();
    // The API server sends `…/proxy` on to `…/proxy/`, so relative links in the page resolve below it.
    if (target.path === '' && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(301, { Location: `${url.pathname}/${url.search}`, 'Content-Length': 0 });
      res.end();
      return;
    }
    await this.options.subresources.proxy(target, url.search, req, res);
  }

  private async handleResource(route: ResourceRoute, query: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { info, namespace, name, subresource } = route;
    const method = req.method ?? 'GET';
    const dryRun = query.getAll('dryRun').includes('All');
    const strict = query.get('fieldValidation') === 'Strict';
    const accept = req.headers.accept;
    // As the real server warns about core/v1 Endpoints since v1.33.
    if (info.plural === 'endpoints') res.setHeader('Warning', '299 - "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"');
    const contentType = req.headers['content-type'] ?? '';
    if (/cbor/.test(contentType) && method !== 'GET') throw errors.unsupportedMediaType(contentType);
    if (/protobuf/.test(contentType) && method === 'PATCH') throw errors.unsupportedMediaType(contentType);
    /** A POST, PUT or DELETE body in JSON, or in protobuf for every kind served. */
    const readObject = async (): Promise<unknown> => (/protobuf/.test(contentType) ? decodeProtobufBody(await readRawBody(req)) : parseJsonBody(await readBody(req)));
    const respond = (code: number, obj: KubeObject): void => {
      if (wantsTable(accept) && method === 'GET') return sendJson(res, code, toTable(info.plural, [obj], obj.metadata.resourceVersion ?? '', query.get('includeObject')), 'application/json;as=Table;v=v1;g=meta.k8s.io');
      const proto = wantsOnlyProtobuf(accept) ? encodeProtobufObject(obj) : undefined;
      if (!proto) return sendJson(res, code, obj);
      res.writeHead(code, { 'Content-Type': PROTOBUF, 'Content-Length': proto.length, 'Cache-Control': 'no-cache, private' });
      res.end(proto);
    };

    if (subresource === 'log' && info.plural === 'pods' && name && namespace) {
      if (!this.options.subresources?.log) throw errors.badRequest('logs are not supported');
      return this.options.subresources.log({ namespace, name }, query, req, res);
    }
    if (subresource === 'exec' || subresource === 'portforward' || subresource === 'attach') {
      throw errors.badRequest(`Upgrade request required`);
    }
    const ephemeral = subresource === 'ephemeralcontainers' && info.plural === 'pods';
    if (subresource !== undefined && subresource !== 'status' && subresource !== 'scale' && !ephemeral) throw errors.notFoundPath();
    if (info.namespaced && name && namespace === undefined) throw errors.notFoundPath();

    if (isReview(info.plural)) {
      if (method !== 'POST' || name !== undefined) throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
      return respond(201, { ...answerReview(info.plural, await readObject()), kind: info.kind, apiVersion: apiVersionOf(info) });
    }
    if (name === undefined) {
      if (method === 'GET') return this.handleList(route, query, req, res);
      if (method === 'POST') {
        const body = await readObject();
        const created = this.api.create(info.plural, namespace, body, { dryRun, strict });
        return respond(201, created);
      }
      if (method === 'DELETE') {
        const labels = parseLabelSelector(query.get('labelSelector'));
        const fields = parseFieldSelector(info.plural, query.get('fieldSelector'));
        const deleted = this.api.list(info.plural, namespace).filter((o) => labels(o) && fields(o)).map((o) => this.api.delete(info.plural, o.metadata.namespace, o.metadata.name ?? '', { dryRun }));
        return sendJson(res, 200, { kind: `${info.kind}List`, apiVersion: apiVersionOf(info), metadata: { resourceVersion: String(this.api.store.resourceVersion) }, items: deleted });
      }
      throw errors.methodNotAllowed(`the server does not allow this method on the requested resource`);
    }

    if (subresource === 'scale') return this.handleScale(route as Required<ResourceRoute>, method, query, req, res);
    const sub: WriteOptions['subresource'] = subresource === 'status' ? 'status' : ephemeral ? 'ephemeralcontainers' : undefined;
    switch (method) {
      case 'GET': return respond(200, this.api.get(info.plural, namespace, name));
      case 'PUT': return respond(200, this.api.update(info.plural, namespace, name, await readObject(), { dryRun, strict, subresource: sub }));
      case 'PATCH': {
        const type = patchTypeOf(req.headers['content-type']);
        if (!type) throw errors.unsupportedMediaType(req.headers['content-type'] ?? '');
        const existed = this.api.tryGet(info.plural, info.namespaced ? namespace : undefined, name) !== undefined;
        const patched = this.api.patch(info.plural, namespace, name, type, await readBody(req), { dryRun, strict, subresource: sub, fieldManager: query.get('fieldManager') ?? undefined, force: query.get('force') === 'true' });
        return respond(existed ? 200 : 201, patched);
      }
      case 'DELETE': {
        const body = (await readObject()) as { propagationPolicy?: DeleteOptions['propagationPolicy']; gracePeriodSeconds?: number; dryRun?: string[] };
        const grace = intParam(query, 'gracePeriodSeconds') ?? body.gracePeriodSeconds;
        const propagation = (query.get('propagationPolicy') as DeleteOptions['propagationPolicy'] | null) ?? body.propagationPolicy;
        const deleted = this.api.delete(info.plural, namespace, name, { dryRun: dryRun || (body.dryRun ?? []).includes('All'), gracePeriodSeconds: grace, propagationPolicy: propagation });
        if (deleted.metadata.deletionTimestamp || info.plural === 'pods') return respond(200, deleted);
        return sendJson(res, 200, { ...successStatus({ name, group: info.group || undefined, kind: info.plural, }), details: { name, group: info.group || undefined, kind: info.plural, uid: deleted.metadata.uid } });
      }
      default: throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
    }
  }

  private handleList(route: ResourceRoute, query: URLSearchParams, req: IncomingMessage, res: ServerResponse): void {
    const { info, namespace } = route;
    validateFieldSelector(info.plural, query.get('fieldSelector'));
    const labels = parseLabelSelector(query.get('labelSelector'));
    const fields = parseFieldSelector(info.plural, query.get('fieldSelector'));
    const asTable = wantsTable(req.headers.accept);
    if (boolParam(query, 'watch')) {
      serveWatch(this.api.store, {
        info, namespace, labels, fields,
        resourceVersion: query.get('resourceVersion') ?? undefined,
        sendInitialEvents: boolParam(query, 'sendInitialEvents'),
        allowBookmarks: boolParam(query, 'allowWatchBookmarks'),
        timeoutSeconds: intParam(query, 'timeoutSeconds'),
        asTable,
        bookmarkIntervalMs: this.options.bookmarkIntervalMs,
      }, res, (finish) => {
        this.watchers.add(finish);
        res.on('close', () => { this.watchers.delete(finish); finish(); });
      });
      return;
    }
    const rv = String(this.api.store.resourceVersion);
    const items = this.api.list(info.plural, namespace).filter((o) => labels(o) && fields(o));
    if (asTable) return sendJson(res, 200, toTable(info.plural, items, rv, query.get('includeObject')), 'application/json;as=Table;v=v1;g=meta.k8s.io');
    const stripped = items.map(({ kind: _k, apiVersion: _a, ...rest }) => rest);
    sendJson(res, 200, { kind: `${info.kind}List`, apiVersion: apiVersionOf(info), metadata: { resourceVersion: rv }, items: stripped });
  }

  private async handleScale(route: Required<ResourceRoute>, method: string, query: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { info, namespace, name } = route;
    const toScale = (o: KubeObject): unknown => ({
      kind: 'Scale', apiVersion: 'autoscaling/v1',
      metadata: { name, namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
      spec: { replicas: o.spec?.replicas ?? 1 },
      status: { replicas: o.status?.replicas ?? 0, selector: Object.entries(o.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(',') },
    });
    const current = this.api.get(info.plural, namespace, name);
    if (method === 'GET') return sendJson(res, 200, toScale(current));
    const contentType = req.headers['content-type'] ?? '';
    if (/protobuf/.test(contentType) && method !== 'PUT') throw errors.unsupportedMediaType(contentType);
    const body = /protobuf/.test(contentType) ? JSON.stringify(decodeProtobufBody(await readRawBody(req))) : await readBody(req);
    let replicas: unknown;
    if (method === 'PUT') replicas = (parseJsonBody(body) as { spec?: { replicas?: unknown } }).spec?.replicas;
    else if (method === 'PATCH') {
      const patched = this.api.patch(info.plural, namespace, name, patchTypeOf(req.headers['content-type']) ?? 'merge', JSON.stringify({}), {});
      const scalePatch = parseJsonBody(body) as { spec?: { replicas?: unknown } };
      replicas = scalePatch.spec?.replicas ?? patched.spec?.replicas;
    } else throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
    if (typeof replicas !== 'number' || replicas < 0) throw errors.invalid('Scale', 'autoscaling', name, [{ field: 'spec.replicas', message: `Invalid value: ${String(replicas)}: must be greater than or equal to 0` }]);
    const updated = this.api.patch(info.plural, namespace, name, 'merge', JSON.stringify({ spec: { replicas } }), { dryRun: query.getAll('dryRun').includes('All') });
    sendJson(res, 200, toScale(updated));
  }
}

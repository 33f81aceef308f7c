// One emulated cluster: the store, the API semantics, the controllers, the
// node (kubelet) and the HTTPS API server with token auth, wired together.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PodSandbox, PodSandboxOptions } from '../pod/types';
import { ApiServer } from './apiServer';
import { DeploymentController } from './deploymentController';
import { EndpointsController } from './endpointsController';
import { EventRecorder } from './events';
import { createAttachUpgrade } from './attachHandler';
import { createKubernetesService, ServiceAccountController } from './clusterDefaults';
import { createExecUpgrade } from './execHandler';
import { GarbageCollector } from './garbageCollector';
import { Kubelet } from './kubelet';
import { KubeApi } from './kubeApi';
import { createLogHandler } from './podLogHandler';
import { createPortForwardUpgrade } from './portForwardHandler';
import { createProxyHandler } from './proxyHandler';
import { ReplicaSetController } from './replicaSetController';
import { createSelfSignedCert } from './selfSignedCert';
import { ObjectStore } from './store';

export interface SimClusterOptions {
  createSandbox(opts: PodSandboxOptions): PodSandbox;
  isKnownImage(image: string): boolean;
  /** 127.0.0.1 port for the API; 0 picks a free one. */
  port?: number;
  /** Divides back-offs and grace periods, for tests. */
  speed?: number;
  /** The bearer token clients must send; random when omitted. */
  token?: string;
  bookmarkIntervalMs?: number;
  /**
   * Real folder holding the node's hostPath volumes (it outlives pods, as a node's disk does). Default: a
   * temporary folder removed when the cluster stops, so every embedded lab starts with a clean node.
   */
  hostPathRoot?: string;
}

export class SimCluster {
  readonly store = new ObjectStore();
  readonly api = new KubeApi(this.store);
  readonly events = new EventRecorder(this.api);
  readonly kubelet: Kubelet;
  readonly token: string;
  readonly caPem: string;
  private readonly server: ApiServer;
  private readonly controllers: { stop(): void }[];
  private url = '';
  private readonly hostPathRoot: string;
  private readonly ownsHostPathRoot: boolean;

  private constructor(options: SimClusterOptions) {
    this.token = options.token ?? randomBytes(24).toString('base64url');
    const tls = createSelfSignedCert();
    this.caPem = tls.certPem;
    this.ownsHostPathRoot = !options.hostPathRoot;
    this.hostPathRoot = options.hostPathRoot ?? mkdtempSync(join(tmpdir(), 'opamp-lab-node-'));
    for (const name of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) this.api.create('namespaces', undefined, { metadata: { name } });
    createKubernetesService(this.api);
    this.controllers = [
      new ServiceAccountController(this.api, this.store),
      new DeploymentController(this.api, this.store, this.events),
      new ReplicaSetController(this.api, this.store, this.events),
      new EndpointsController(this.api, this.store),
      new GarbageCollector(this.api, this.store),
    ];
    this.kubelet = new Kubelet({ api: this.api, store: this.store, events: this.events, createSandbox: options.createSandbox, isKnownImage: options.isKnownImage, speed: options.speed, hostPathRoot: this.hostPathRoot });
    const exec = createExecUpgrade(this.api, this.kubelet);
    const portForward = createPortForwardUpgrade(this.api, this.kubelet);
    const attach = createAttachUpgrade(this.api, this.kubelet);
    const upgrades: Record<string, typeof exec> = { portforward: portForward, attach, exec };
    this.server = new ApiServer({
      api: this.api,
      token: this.token,
      tls,
      port: options.port,
      bookmarkIntervalMs: options.bookmarkIntervalMs,
      subresources: {
        log: createLogHandler(this.api, this.kubelet),
        proxy: createProxyHandler(this.api, this.kubelet),
        upgrade: (route, query, req, socket, head) => (upgrades[route.subresource ?? ''] ?? exec)(route, query, req, socket, head),
      },
    });
  }

  static async start(options: SimClusterOptions): Promise<SimCluster> {
    const cluster = new SimCluster(options);
    try {
      cluster.url = await cluster.server.listen();
    } catch (err) {
      for (const c of cluster.controllers) c.stop();
      await cluster.kubelet.stop();
      if (cluster.ownsHostPathRoot) await rm(cluster.hostPathRoot, { recursive: true, force: true });
      throw err;
    }
    return cluster;
  }

  get apiUrl(): string {
    return this.url;
  }

  async stop(): Promise<void> {
    for (const c of this.controllers) c.stop();
    await this.server.close();
    await this.kubelet.stop();
    if (this.ownsHostPathRoot) await rm(this.hostPathRoot, { recursive: true, force: true });
  }
}

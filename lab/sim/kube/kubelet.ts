// The emulated node: starts a PodWorker per pod, terminates it when the pod is
// deleted, and resolves in-cluster addresses (Service DNS names, ClusterIPs and
// pod IPs) to the real local ports behind them for the pods' network.
import type { PodSandbox, ResolvedAddress, SimNetwork } from '../pod/types';
import type { EventRecorder } from './events';
import type { KubeApi } from './kubeApi';
import { isReady } from './podUtil';
import type { ObjectStore } from './store';
import type { KubeObject } from './types';
import { PodWorker } from './podWorker';
import { mountHostPath } from './hostPath';
import { describeError } from '../../../shared/errorText';

type Loose = Record<string, any>;

/** The node's address; the API server (service/kubernetes) is reached there too. */
export const HOST_IP = '172.18.0.2';

export interface KubeletOptions {
  api: KubeApi;
  store: ObjectStore;
  events: EventRecorder;
  createSandbox(opts: { namespace: string; name: string; uid: string; ip: string; network: SimNetwork }): PodSandbox;
  isKnownImage(image: string): boolean;
  nodeName?: string;
  speed?: number;
  /** Real folder holding the node's hostPath volumes. */
  hostPathRoot: string;
}

export class Kubelet implements SimNetwork {
  readonly nodeName: string;
  private readonly workers = new Map<string, PodWorker>();
  private readonly unsubscribe: () => void;
  private nextIp = 5;

  constructor(private readonly options: KubeletOptions) {
    this.nodeName = options.nodeName ?? 'opamp-lab-control-plane';
    this.unsubscribe = options.store.subscribe((e) => {
      if (e.resource !== 'pods') return;
      const key = `${e.object.metadata.namespace}/${e.object.metadata.name}`;
      const worker = this.workers.get(key);
      if (e.type === 'DELETED') {
        if (worker && worker.uid === e.object.metadata.uid) {
          this.workers.delete(key);
          void worker.terminate(0);
        }
        return;
      }
      if (!worker && !e.object.metadata.deletionTimestamp && !e.object.spec?.nodeName) {
        setImmediate(() => this.admit(e.object));
      } else if (worker && !e.object.metadata.deletionTimestamp && worker.uid === e.object.metadata.uid && e.object.spec?.ephemeralContainers) {
        worker.syncEphemeral(e.object);
      } else if (worker && e.object.metadata.deletionTimestamp && worker.uid === e.object.metadata.uid) {
        void worker.terminate(e.object.metadata.deletionGracePeriodSeconds ?? 30).then(() => {
          if (this.workers.get(key) === worker) this.workers.delete(key);
        });
      }
    });
    for (const pod of options.store.list('pods')) if (!pod.spec?.nodeName) setImmediate(() => this.admit(pod));
    this.registerNode();
  }

  /** The Node object `kubectl get nodes` shows: one Ready control-plane node. */
  private registerNode(): void {
    const { api } = this.options;
    if (api.tryGet('nodes', undefined, this.nodeName)) return;
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const condition = (type: string, status: string, reason: string, message: string): Loose => ({ type, status, lastHeartbeatTime: now, lastTransitionTime: now, reason, message });
    api.create('nodes', undefined, {
      metadata: { name: this.nodeName, labels: { 'kubernetes.io/hostname': this.nodeName, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'node-role.kubernetes.io/control-plane': '' } },
      spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] },
      status: {
        conditions: [
          condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
          condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
          condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
          condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
        ],
        addresses: [{ type: 'InternalIP', address: HOST_IP }, { type: 'Hostname', address: this.nodeName }],
        nodeInfo: { kubeletVersion: 'v1.35.0', kubeProxyVersion: 'v1.35.0', osImage: 'OpAMP Lab emulated node', kernelVersion: 'emulated', containerRuntimeVersion: 'containerd://2.1.0', operatingSystem: 'linux', architecture: 'amd64', machineID: '', systemUUID: '', bootID: '' },
        capacity: { cpu: '2', memory: '4Gi', pods: '110' },
        allocatable: { cpu: '2', memory: '4Gi', pods: '110' },
      },
    });
  }

  private admit(pod: KubeObject): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (this.workers.has(key)) return;
    const current = this.options.api.tryGet('pods', pod.metadata.namespace, pod.metadata.name ?? '');
    if (!current || current.metadata.uid !== pod.metadata.uid || current.spec?.nodeName) return;
    const worker = new PodWorker({
      api: this.options.api,
      events: this.options.events,
      nodeName: this.nodeName,
      hostIP: HOST_IP,
      speed: this.options.speed ?? 1,
      allocateIp: () => `10.244.0.${this.nextIp++ % 250 + 2}`,
      hostPath: (path, type) => mountHostPath(this.options.hostPathRoot, path, type),
      createSandbox: (p, ip) => this.options.createSandbox({ namespace: p.metadata.namespace ?? 'default', name: p.metadata.name ?? '', uid: p.metadata.uid ?? '', ip, network: this }),
      isKnownImage: (image) => this.options.isKnownImage(image),
    }, current);
    this.workers.set(key, worker);
    try {
      worker.start();
    } catch (err) {
      // The pod changed or went away while being admitted; the next event retries.
      this.workers.delete(key);
      if ((err as { reason?: string }).reason !== 'NotFound') console.error(`kubelet: cannot start pod ${key}: ${describeError(err)}`);
    }
  }

  worker(namespace: string, name: string): PodWorker | undefined {
    return this.workers.get(`${namespace}/${name}`);
  }

  resolve(fromNamespace: string, host: string, port: number): ResolvedAddress {
    const { api } = this.options;
    const lower = host.toLowerCase().replace(/\.$/, '');
    const podByIp = [...this.workers.values()].find((w) => w.ip === lower);
    if (podByIp) return this.podPort(podByIp, port);
    let service: KubeObject | undefined = api.list('services').find((s) => s.spec?.clusterIP === lower);
    if (!service) {
      const m = /^([a-z0-9-]+)(?:\.([a-z0-9-]+))?(?:\.svc(?:\.cluster\.local)?)?$/.exec(lower);
      if (m && m[1]) service = api.tryGet('services', m[2] ?? fromNamespace, m[1]);
    }
    if (!service) return { ok: false, error: 'ENOTFOUND' };
    const svcPort = ((service.spec?.ports ?? []) as Loose[]).find((p) => Number(p.port) === port);
    if (!svcPort) return { ok: false, error: 'ECONNREFUSED' };
    const pods = api.list('pods', service.metadata.namespace).filter((p) => isReady(p) && !p.metadata.deletionTimestamp && Object.entries(service?.spec?.selector ?? {}).every(([k, v]) => p.metadata.labels?.[k] === v));
    for (const pod of pods) {
      const worker = this.worker(pod.metadata.namespace ?? '', pod.metadata.name ?? '');
      if (!worker) continue;
      const target = typeof svcPort.targetPort === 'number' ? svcPort.targetPort : namedPort(pod, String(svcPort.targetPort ?? port));
      if (target === undefined) continue;
      const resolved = this.podPort(worker, target);
      if (resolved.ok) return resolved;
    }
    return { ok: false, error: 'ECONNREFUSED' };
  }

  lookup(fromNamespace: string, host: string): { fqdn: string; ip: string } | undefined {
    const lower = host.toLowerCase().replace(/\.$/, '');
    const m = /^([a-z0-9-]+)(?:\.([a-z0-9-]+))?(?:\.svc(?:\.cluster\.local)?)?$/.exec(lower);
    const service = m?.[1] ? this.options.api.tryGet('services', m[2] ?? fromNamespace, m[1]) : undefined;
    const ip = service?.spec?.clusterIP as string | undefined;
    if (!service || !ip || ip === 'None') return undefined;
    return { fqdn: `${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local`, ip };
  }

  private podPort(worker: PodWorker, port: number): ResolvedAddress {
    const local = worker.sandbox?.localPort(port);
    return local === undefined ? { ok: false, error: 'ECONNREFUSED' } : { ok: true, host: '127.0.0.1', port: local };
  }

  async stop(): Promise<void> {
    this.unsubscribe();
    await Promise.all([...this.workers.values()].map((w) => w.terminate(0)));
    this.workers.clear();
  }
}

function namedPort(pod: KubeObject, name: string): number | undefined {
  for (const c of (pod.spec?.containers ?? []) as Loose[]) {
    const p = ((c.ports ?? []) as Loose[]).find((x) => x.name === name);
    if (p) return Number(p.containerPort);
  }
  return undefined;
}

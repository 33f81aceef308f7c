// Boots the embedded lab: the emulated cluster, the lab's own manifests
// (lab/k8s through its kustomization), a kubeconfig for kubectl and
// client-node, and the server UI published on a local port.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SimCluster } from './kube/cluster';
import { stableStringify } from './kube/podUtil';
import { resourceByKind } from './kube/resources';
import type { KubeObject } from './kube/types';
import { writeKubeconfig, SIM_NAMESPACE } from './kubeconfig';
import { buildKustomization } from './kustomize';
import { DEFAULT_KUBECONFIG } from './usage';
import { loadPodRuntime, type PodRuntime } from './podRuntime';
import { publishServicePort, type PublishedPort } from './uiProxy';

export interface StartSimOptions {
  /** API port on 127.0.0.1 (0: any free port). */
  port?: number;
  /** Replicas of the opamp-agent Deployment (default: as in lab/k8s). */
  replicas?: number;
  kubeconfigPath?: string;
  /** Speeds up back-offs and grace periods (tests). */
  speed?: number;
  /** Folder with the kustomization to apply (default: lab/k8s). */
  manifestsDir?: string;
  /** Pod runtime override (tests); default: lab/sim/pod. */
  runtime?: PodRuntime;
  /** How long to wait for the agent pod to be Running. */
  readyTimeoutMs?: number;
  /**
   * Start from scratch: only the kustomization's Namespace is created, nothing is
   * deployed, so the attendee's own `kubectl apply` (Step 4 of the guide) does it.
   */
  blank?: boolean;
}

export interface Sim {
  apiUrl: string;
  kubeconfigPath: string;
  uiUrl: string;
  cluster: SimCluster;
  close(): Promise<void>;
}

export const DEFAULT_MANIFESTS = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', 'k8s');
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** As `kubectl apply` records it, so a later `kubectl apply -k lab/k8s` patches cleanly. */
function withLastApplied(obj: KubeObject): KubeObject {
  const copy = structuredClone(obj);
  copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}) };
  const recorded = structuredClone(copy);
  delete recorded.metadata.annotations?.[LAST_APPLIED];
  copy.metadata.annotations[LAST_APPLIED] = stableStringify(recorded) + '\n';
  return copy;
}

export async function applyManifests(cluster: SimCluster, objects: KubeObject[]): Promise<void> {
  for (const obj of objects) {
    const info = resourceByKind(obj.apiVersion, obj.kind);
    if (!info) throw new Error(`sim: ${obj.kind} (${obj.apiVersion}) is not served by the emulator`);
    const ns = info.namespaced ? obj.metadata.namespace ?? 'default' : undefined;
    const body = withLastApplied(obj);
    const existing = cluster.api.tryGet(info.plural, ns, obj.metadata.name ?? '');
    if (existing) cluster.api.patch(info.plural, ns, obj.metadata.name ?? '', 'merge', JSON.stringify(body));
    else cluster.api.create(info.plural, ns, body);
  }
}

async function eventually<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`sim: timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startSim(options: StartSimOptions = {}): Promise<Sim> {
  const runtime = options.runtime ?? (await loadPodRuntime());
  const objects = await buildKustomization(options.manifestsDir ?? DEFAULT_MANIFESTS);
  if (options.replicas !== undefined) {
    if (!Number.isInteger(options.replicas) || options.replicas < 0) throw new Error(`sim: replicas must be a whole number ≥ 0, got ${options.replicas}`);
    const agent = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'opamp-agent');
    if (agent) agent.spec.replicas = options.replicas;
  }
  const cluster = await SimCluster.start({ ...runtime, port: options.port, speed: options.speed });
  let ui: PublishedPort | undefined;
  try {
    await applyManifests(cluster, options.blank ? objects.filter((o) => o.kind === 'Namespace') : objects);
    const kubeconfigPath = resolve(options.kubeconfigPath ?? DEFAULT_KUBECONFIG);
    await writeKubeconfig(kubeconfigPath, cluster.apiUrl, cluster.token, cluster.caPem);
    ui = await publishServicePort(cluster.kubelet, SIM_NAMESPACE, 'opamp-server', 4321);
    if (options.replicas !== 0 && !options.blank) {
      await eventually('the opamp-agent pod to be Running', options.readyTimeoutMs ?? 60_000, () =>
        cluster.api.list('pods', SIM_NAMESPACE).find((p) => p.metadata.labels?.app === 'opamp-agent' && p.status?.phase === 'Running' && !p.metadata.deletionTimestamp));
    }
    const published = ui;
    return {
      apiUrl: cluster.apiUrl,
      kubeconfigPath,
      uiUrl: `http://127.0.0.1:${published.port}`,
      cluster,
      close: async () => {
        await published.close();
        await cluster.stop();
      },
    };
  } catch (err) {
    await ui?.close();
    await cluster.stop();
    throw err;
  }
}

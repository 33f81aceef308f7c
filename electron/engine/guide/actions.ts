// The step actions the guide's Skip button runs, over a kube client.
import * as k8s from '@kubernetes/client-node';
import { restartPatch } from '../kube/rollout';
import { readAgentFiles, readK8sObjects } from './labFiles';

export interface GuideDeps {
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  /** For server-side apply of arbitrary kinds. */
  objects: k8s.KubernetesObjectApi;
  namespace: string;
  labDir?: string;
}

export const CONFIGMAP = 'opamp-agent-config';
export const AGENT_DEPLOYMENT = 'opamp-agent';
const FIELD_MANAGER = 'opamp-lab';

function wrap(what: string, err: unknown): Error {
  const body = (err as { body?: unknown }).body;
  const msg = typeof body === 'string' ? body : body ? JSON.stringify(body) : (err as Error).message;
  return new Error(`${what}: ${msg.slice(0, 500)}`);
}

/** Creates or replaces the agent ConfigMap with the given files (as `kubectl create … | kubectl apply`). */
export async function applyAgentConfigMap(deps: GuideDeps, data?: Record<string, string>): Promise<void> {
  const files = data ?? (await readAgentFiles(deps.labDir));
  const body: k8s.KubernetesObject & { data: Record<string, string> } = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: CONFIGMAP, namespace: deps.namespace },
    data: files,
  };
  try {
    await deps.objects.patch(body, undefined, undefined, FIELD_MANAGER, true, k8s.PatchStrategy.ServerSideApply);
  } catch (err) {
    throw wrap(`apply configmap/${CONFIGMAP} in ${deps.namespace}`, err);
  }
}

export async function readAgentConfigMap(deps: GuideDeps): Promise<Record<string, string> | undefined> {
  try {
    const cm = await deps.core.readNamespacedConfigMap({ name: CONFIGMAP, namespace: deps.namespace });
    return cm.data ?? {};
  } catch (err) {
    if ((err as { code?: number }).code === 404) return undefined;
    throw wrap(`read configmap/${CONFIGMAP}`, err);
  }
}

/** Server-side apply of every object in lab/k8s (fieldManager opamp-lab, force). */
export async function deployLab(deps: GuideDeps): Promise<string[]> {
  const applied: string[] = [];
  for (const obj of await readK8sObjects(deps.namespace, deps.labDir)) {
    const name = `${obj.kind?.toLowerCase()}/${obj.metadata?.name}`;
    try {
      await deps.objects.patch(obj, undefined, undefined, FIELD_MANAGER, true, k8s.PatchStrategy.ServerSideApply);
    } catch (err) {
      throw wrap(`server-side apply ${name}`, err);
    }
    applied.push(name);
  }
  return applied;
}

/** `kubectl rollout restart` of the agent deployment (the patch is rollout.ts's, stamped in milliseconds). */
export async function rolloutRestart(deps: GuideDeps, deployment = AGENT_DEPLOYMENT, now = new Date()): Promise<void> {
  try {
    await deps.apps.patchNamespacedDeployment(
      { name: deployment, namespace: deps.namespace, body: restartPatch(now) },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
  } catch (err) {
    throw wrap(`rollout restart deployment/${deployment}`, err);
  }
}

// Deployments, ReplicaSets and ConfigMaps from the watch caches as the Resources
// view shows them, and any watched object as YAML (what `kubectl get -o yaml`
// prints, minus managedFields, which only add noise to a workshop).
import type * as k8s from '@kubernetes/client-node';
import { stringify } from 'yaml';
import type { ObjectKind } from '../../../shared/api';
import type { ConfigMapView, DeploymentView, ReplicaSetView, WorkloadsState } from '../../../shared/state';
import type { ClusterCache } from './watchers';
import { byteOrder } from '../../../shared/byteOrder';

const REVISION = 'deployment.kubernetes.io/revision';
const ms = (d: Date | string | undefined): number => (d === undefined ? 0 : new Date(d).getTime());
const byName = (a: { name: string }, b: { name: string }): number => byteOrder(a.name, b.name);

export function deploymentView(d: k8s.V1Deployment): DeploymentView {
  const revision = d.metadata?.annotations?.[REVISION];
  return {
    name: d.metadata?.name ?? '',
    createdAt: ms(d.metadata?.creationTimestamp),
    ...(revision ? { revision } : {}),
    replicas: d.spec?.replicas ?? 1,
    ready: d.status?.readyReplicas ?? 0,
    updated: d.status?.updatedReplicas ?? 0,
    available: d.status?.availableReplicas ?? 0,
    conditions: (d.status?.conditions ?? []).map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}`),
  };
}

export function replicaSetView(rs: k8s.V1ReplicaSet): ReplicaSetView {
  const owner = rs.metadata?.ownerReferences?.find((o) => o.kind === 'Deployment')?.name;
  const revision = rs.metadata?.annotations?.[REVISION];
  return {
    name: rs.metadata?.name ?? '',
    ...(owner ? { deployment: owner } : {}),
    ...(revision ? { revision } : {}),
    createdAt: ms(rs.metadata?.creationTimestamp),
    replicas: rs.status?.replicas ?? 0,
    ready: rs.status?.readyReplicas ?? 0,
  };
}

export function configMapView(cm: k8s.V1ConfigMap): ConfigMapView {
  return { name: cm.metadata?.name ?? '', resourceVersion: cm.metadata?.resourceVersion ?? '', data: { ...(cm.data ?? {}) } };
}

export function workloadsView(cache: ClusterCache, synced: boolean): WorkloadsState {
  return {
    synced,
    deployments: [...cache.deployments.values()].map(deploymentView).sort(byName),
    // Newest revision first within a deployment, as `kubectl rollout history` reads best.
    replicaSets: [...cache.replicasets.values()].map(replicaSetView).sort((a, b) => b.createdAt - a.createdAt),
    configMaps: [...cache.configmaps.values()].map(configMapView).sort(byName),
  };
}

const KIND_INFO: Record<ObjectKind, { cache: keyof ClusterCache; apiVersion: string }> = {
  Pod: { cache: 'pods', apiVersion: 'v1' },
  Deployment: { cache: 'deployments', apiVersion: 'apps/v1' },
  ReplicaSet: { cache: 'replicasets', apiVersion: 'apps/v1' },
  ConfigMap: { cache: 'configmaps', apiVersion: 'v1' },
  Event: { cache: 'events', apiVersion: 'v1' },
};

/** The object as YAML, or undefined when the watch does not know it. */
export function objectYaml(cache: ClusterCache, kind: ObjectKind, name: string): string | undefined {
  const info = KIND_INFO[kind];
  const obj = (cache[info.cache] as Map<string, k8s.KubernetesObject>).get(name);
  if (!obj) return undefined;
  // Through JSON: the client's Date fields print as RFC 3339 strings, as kubectl shows them.
  const { apiVersion: _a, kind: _k, ...plain } = JSON.parse(JSON.stringify(obj)) as { metadata?: { managedFields?: unknown } } & Record<string, unknown>;
  delete plain.metadata?.managedFields;
  // Listed items carry no apiVersion/kind; put them first, as kubectl prints them.
  return stringify({ apiVersion: info.apiVersion, kind, ...plain }, { lineWidth: 0 });
}

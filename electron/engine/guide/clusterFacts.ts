// Reads what the guide's credit rules compare between looks: the agent
// ConfigMap (with its resourceVersion), the agent Deployment and its ReplicaSets.
import type { ClusterFacts } from '../../../shared/guide/observations';
import type { KubeSession } from '../kube/session';
import { AGENT_DEPLOYMENT, CONFIGMAP } from './actions';

function notFound(err: unknown): boolean {
  return (err as { code?: number }).code === 404;
}

export async function readClusterFacts(s: KubeSession): Promise<ClusterFacts> {
  const ns = s.namespace;
  const [cm, d, rs] = await Promise.all([
    s.core.readNamespacedConfigMap({ name: CONFIGMAP, namespace: ns }).catch((e: unknown) => (notFound(e) ? undefined : Promise.reject(e))),
    s.apps.readNamespacedDeployment({ name: AGENT_DEPLOYMENT, namespace: ns }).catch((e: unknown) => (notFound(e) ? undefined : Promise.reject(e))),
    s.apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: `app=${AGENT_DEPLOYMENT}` }),
  ]);
  let deployment: ClusterFacts['deployment'] = { name: AGENT_DEPLOYMENT, exists: false, rolledOut: false };
  if (d) {
    const want = d.spec?.replicas ?? 1;
    const st = d.status;
    const rolledOut =
      (st?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
      (st?.updatedReplicas ?? 0) >= want &&
      (st?.availableReplicas ?? 0) >= want &&
      (st?.replicas ?? 0) === (st?.updatedReplicas ?? 0);
    const at = d.spec?.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'];
    const image = d.spec?.template.spec?.containers[0]?.image;
    deployment = {
      name: AGENT_DEPLOYMENT, exists: true, rolledOut,
      ...(d.metadata?.uid ? { uid: d.metadata.uid } : {}), ...(at ? { restartedAt: at } : {}), ...(image ? { image } : {}),
    };
  }
  const ownedBy = d?.metadata?.uid;
  return {
    ...(cm ? { configMap: { name: CONFIGMAP, data: cm.data ?? {}, ...(cm.metadata?.resourceVersion ? { resourceVersion: cm.metadata.resourceVersion } : {}) } } : {}),
    deployment,
    replicaSets: rs.items
      .filter((r) => !ownedBy || (r.metadata?.ownerReferences ?? []).some((o) => o.uid === ownedBy))
      .map((r) => ({ name: r.metadata?.name ?? '', createdAt: new Date(r.metadata?.creationTimestamp ?? 0).getTime() })),
  };
}

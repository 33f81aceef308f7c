// fieldValidation=Strict (kubectl's default): unknown fields in the kinds the
// lab uses are rejected as the API server's strict decoder does, so a typo in
// a manifest fails here as it would on a real cluster. Parts of an object not
// described below are accepted as they are.
import { errors } from './status';
import { isRecord, type KubeObject } from './types';

type Node = null | { [key: string]: Node } | [Node];

const keys = (names: string, extra: Record<string, Node> = {}): Record<string, Node> => {
  const out: Record<string, Node> = {};
  for (const n of names.split(/\s+/).filter(Boolean)) out[n] = null;
  return { ...out, ...extra };
};

const objectMeta = keys('name generateName namespace selfLink uid resourceVersion generation creationTimestamp deletionTimestamp deletionGracePeriodSeconds labels annotations ownerReferences finalizers managedFields');
const probe = keys('exec httpGet tcpSocket grpc initialDelaySeconds timeoutSeconds periodSeconds successThreshold failureThreshold terminationGracePeriodSeconds');
const container = keys('name image command args workingDir envFrom resources resizePolicy restartPolicy restartPolicyRules volumeDevices lifecycle terminationMessagePath terminationMessagePolicy imagePullPolicy securityContext stdin stdinOnce tty', {
  ports: [keys('name hostPort containerPort protocol hostIP')],
  env: [keys('name value valueFrom')],
  volumeMounts: [keys('name readOnly recursiveReadOnly mountPath subPath mountPropagation subPathExpr')],
  livenessProbe: probe,
  readinessProbe: probe,
  startupProbe: probe,
});
const volume = keys('name hostPath emptyDir gcePersistentDisk awsElasticBlockStore gitRepo secret nfs iscsi glusterfs persistentVolumeClaim rbd flexVolume cinder cephfs flocker downwardAPI fc azureFile vsphereVolume quobyte azureDisk photonPersistentDisk projected portworxVolume scaleIO storageos csi ephemeral image', {
  configMap: keys('name items defaultMode optional'),
});
const podSpec = keys('ephemeralContainers restartPolicy terminationGracePeriodSeconds activeDeadlineSeconds dnsPolicy nodeSelector serviceAccountName serviceAccount automountServiceAccountToken nodeName hostNetwork hostPID hostIPC shareProcessNamespace securityContext imagePullSecrets hostname subdomain affinity schedulerName tolerations hostAliases priorityClassName priority dnsConfig readinessGates runtimeClassName enableServiceLinks preemptionPolicy overhead topologySpreadConstraints setHostnameAsFQDN os hostUsers schedulingGates resourceClaims resources hostnameOverride', {
  containers: [container],
  initContainers: [container],
  volumes: [volume],
});
const template = { metadata: objectMeta, spec: podSpec };
const top = (spec: Node, more = ''): Record<string, Node> => keys(`apiVersion kind status ${more}`, { metadata: objectMeta, ...(spec ? { spec } : {}) });

const SCHEMAS: Record<string, Node> = {
  Deployment: top(keys('replicas selector strategy minReadySeconds revisionHistoryLimit paused progressDeadlineSeconds', { template })),
  ReplicaSet: top(keys('replicas selector minReadySeconds', { template })),
  Pod: top(podSpec),
  Service: top(keys('selector clusterIP clusterIPs type externalIPs sessionAffinity loadBalancerIP loadBalancerSourceRanges externalName externalTrafficPolicy healthCheckNodePort publishNotReadyAddresses sessionAffinityConfig ipFamilies ipFamilyPolicy allocateLoadBalancerNodePorts loadBalancerClass internalTrafficPolicy trafficDistribution', {
    ports: [keys('name protocol appProtocol port targetPort nodePort')],
  })),
  ConfigMap: top(null, 'data binaryData immutable'),
  Namespace: top(null, 'spec'),
};

function unknownFields(value: unknown, schema: Node, path: string, out: string[]): void {
  if (schema === null) return;
  if (Array.isArray(schema)) {
    if (Array.isArray(value)) value.forEach((item, i) => unknownFields(item, schema[0], `${path}[${i}]`, out));
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const field = path ? `${path}.${key}` : key;
    if (!(key in schema)) out.push(field);
    else unknownFields(child, schema[key] ?? null, field, out);
  }
}

/** Throws 400 BadRequest naming every unknown field, as the strict decoder does. */
export function checkStrict(obj: KubeObject, version: string, forPatch: boolean): void {
  const schema = SCHEMAS[obj.kind];
  if (!schema) return;
  const unknown: string[] = [];
  unknownFields(obj, schema, '', unknown);
  if (unknown.length === 0) return;
  const detail = `strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`;
  throw errors.badRequest(forPatch ? detail : `${obj.kind} in version "${version}" cannot be handled as a ${obj.kind}: ${detail}`);
}

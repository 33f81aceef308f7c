// Defaulting and the validation the lab can trip over, applied on every write
// as the API server does, so stored objects look like a real cluster's.
import { checkName, validateObject } from './objectValidation';
import { errors, type StatusCause } from './status';
import { nowIso, type KubeObject } from './types';

type Loose = Record<string, any>;

function defaultPodSpec(spec: Loose): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const c of (spec.containers ?? []) as Loose[]) {
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    c.resources ??= {};
    const image = String(c.image ?? '');
    const tagless = !/:[^/]+$/.test(image) && !image.includes('@');
    c.imagePullPolicy ??= tagless || image.endsWith(':latest') ? 'Always' : 'IfNotPresent';
    for (const p of (c.ports ?? []) as Loose[]) p.protocol ??= 'TCP';
  }
  for (const v of (spec.volumes ?? []) as Loose[]) {
    if (v.configMap) v.configMap.defaultMode ??= 420;
  }
}

function defaultWorkload(obj: KubeObject): void {
  const spec = (obj.spec ??= {}) as Loose;
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  spec.template ??= {};
  spec.template.metadata ??= {};
  spec.template.metadata.creationTimestamp ??= null;
  defaultPodSpec((spec.template.spec ??= {}));
  if (obj.kind === 'Deployment') {
    spec.progressDeadlineSeconds ??= 600;
    spec.strategy ??= { type: 'RollingUpdate' };
    if ((spec.strategy.type ?? 'RollingUpdate') === 'RollingUpdate') {
      spec.strategy.type = 'RollingUpdate';
      spec.strategy.rollingUpdate ??= {};
      spec.strategy.rollingUpdate.maxSurge ??= '25%';
      spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
    }
  }
}

let nextServiceIp = 10;

export function applyDefaults(resource: string, obj: KubeObject, isCreate: boolean): void {
  switch (resource) {
    case 'namespaces':
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name ?? '' };
      obj.spec ??= { finalizers: ['kubernetes'] };
      obj.status ??= { phase: 'Active' };
      break;
    case 'pods':
      defaultPodSpec((obj.spec ??= {}));
      // The ServiceAccount admission plugin: pods run as the namespace's `default` account.
      obj.spec.serviceAccountName ??= obj.spec.serviceAccount ?? 'default';
      obj.spec.serviceAccount = obj.spec.serviceAccountName;
      obj.spec.enableServiceLinks ??= true;
      obj.spec.preemptionPolicy ??= 'PreemptLowerPriority';
      obj.spec.priority ??= 0;
      if (isCreate) obj.status = { phase: 'Pending', qosClass: 'BestEffort' };
      break;
    case 'deployments':
    case 'replicasets':
      defaultWorkload(obj);
      obj.status ??= {};
      break;
    case 'services': {
      const spec = (obj.spec ??= {}) as Loose;
      spec.type ??= 'ClusterIP';
      spec.sessionAffinity ??= 'None';
      if (isCreate && !spec.clusterIP) {
        spec.clusterIP = `10.96.${Math.floor(nextServiceIp / 250)}.${(nextServiceIp % 250) + 1}`;
        nextServiceIp += 1;
      }
      spec.clusterIPs ??= [spec.clusterIP];
      spec.ipFamilies ??= ['IPv4'];
      spec.ipFamilyPolicy ??= 'SingleStack';
      spec.internalTrafficPolicy ??= 'Cluster';
      for (const p of (spec.ports ?? []) as Loose[]) {
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
      }
      obj.status ??= { loadBalancer: {} };
      break;
    }
    case 'secrets':
      obj.type ??= 'Opaque';
      // stringData is write-only: merged into data, base64-encoded, and never stored.
      if (obj.stringData && typeof obj.stringData === 'object') {
        obj.data = { ...(obj.data ?? {}), ...Object.fromEntries(Object.entries(obj.stringData as Record<string, unknown>).map(([k, v]) => [k, Buffer.from(String(v)).toString('base64')])) };
      }
      delete obj.stringData;
      break;
    case 'events':
      obj.firstTimestamp ??= nowIso();
      obj.lastTimestamp ??= obj.firstTimestamp;
      obj.count ??= 1;
      break;
    default:
      break;
  }
}

/** Validation of what matters to the lab; a failure is a 422 Invalid like the real one. */
export function validate(resource: string, obj: KubeObject): void {
  const kind = obj.kind;
  const name = obj.metadata.name ?? '';
  const causes: StatusCause[] = [];
  if (!name) causes.push({ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' });
  else causes.push(...checkName(resource, name));

  const checkContainers = (spec: Loose | undefined, path: string): void => {
    const containers = (spec?.containers ?? []) as Loose[];
    if (containers.length === 0) causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: `${path}.containers` });
    containers.forEach((c, i) => {
      if (!c.name) causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: `${path}.containers[${i}].name` });
      if (!c.image) causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: `${path}.containers[${i}].image` });
    });
  };
  if (resource === 'pods') checkContainers(obj.spec, 'spec');
  if (resource === 'deployments' || resource === 'replicasets') {
    const selector = (obj.spec?.selector?.matchLabels ?? {}) as Record<string, string>;
    const labels = (obj.spec?.template?.metadata?.labels ?? {}) as Record<string, string>;
    if (Object.keys(selector).length === 0 && !(obj.spec?.selector?.matchExpressions?.length > 0)) {
      causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' });
    } else if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) {
      causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: map[string]string{${Object.entries(labels).map(([k, v]) => `"${k}":"${v}"`).join(', ')}}: \`selector\` does not match template \`labels\``, field: 'spec.template.metadata.labels' });
    }
    checkContainers(obj.spec?.template?.spec, 'spec.template.spec');
  }
  causes.push(...validateObject(resource, obj));
  if (causes.length > 0) throw errors.invalid(kind, groupOfKind(kind), name, causes);
}

function groupOfKind(kind: string): string {
  return kind === 'Deployment' || kind === 'ReplicaSet' ? 'apps' : '';
}

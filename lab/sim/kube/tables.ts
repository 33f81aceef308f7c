// Server-side printing: the `Table` kubectl asks for with
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. Columns and cell
// wording follow the API server's printers for each resource.
import { ageOf } from './humanDuration';
import type { KubeObject } from './types';

interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  format?: string;
  description: string;
  priority: number;
}

type Cell = string | number;

interface Printer {
  columns: Column[];
  row(obj: KubeObject): Cell[];
}

const col = (name: string, type: Column['type'], description: string, priority = 0, format = ''): Column => ({ name, type, format, description, priority });
const nameCol = col('Name', 'string', 'Name must be unique within a namespace.', 0, 'name');
const ageCol = col('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created.');

// eslint-style helpers over loosely typed JSON.
type Loose = Record<string, any>;

function podStatusReason(pod: KubeObject): string {
  const status: Loose = pod.status ?? {};
  let reason: string = status.reason || status.phase || 'Unknown';
  let initializing = false;
  const inits: Loose[] = status.initContainerStatuses ?? [];
  inits.forEach((c, i) => {
    if (initializing) return;
    const t = c.state?.terminated;
    if (t && t.exitCode === 0) return;
    if (t) reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
    else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') reason = `Init:${c.state.waiting.reason}`;
    else reason = `Init:${i}/${(pod.spec?.initContainers ?? []).length}`;
    initializing = true;
  });
  if (!initializing) {
    let hasRunning = false;
    const containers: Loose[] = status.containerStatuses ?? [];
    for (let i = containers.length - 1; i >= 0; i -= 1) {
      const c = containers[i] as Loose;
      const state: Loose = c.state ?? {};
      if (state.waiting?.reason) reason = state.waiting.reason;
      else if (state.terminated?.reason) reason = state.terminated.reason;
      else if (state.terminated) reason = state.terminated.signal ? `Signal:${state.terminated.signal}` : `ExitCode:${state.terminated.exitCode}`;
      else if (c.ready && state.running) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) {
      const ready = (status.conditions ?? []).some((c: Loose) => c.type === 'Ready' && c.status === 'True');
      reason = ready ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata.deletionTimestamp) reason = 'Terminating';
  return reason;
}

function podRestarts(pod: KubeObject): string {
  let restarts = 0;
  let last: number | undefined;
  for (const c of (pod.status?.containerStatuses ?? []) as Loose[]) {
    restarts += c.restartCount ?? 0;
    const finished = c.lastState?.terminated?.finishedAt;
    if (finished) last = Math.max(last ?? 0, Date.parse(finished));
  }
  return last !== undefined && restarts > 0 ? `${restarts} (${ageOf(new Date(last).toISOString())} ago)` : String(restarts);
}

const PRINTERS: Record<string, Printer> = {
  pods: {
    columns: [nameCol, col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'), col('Status', 'string', 'The aggregate status of the containers in this pod.'), col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'), ageCol, col('IP', 'string', 'IP address allocated to the pod.', 1), col('Node', 'string', 'Name of the node this pod is running on.', 1), col('Nominated Node', 'string', 'Name of the node this pod is nominated to run on.', 1), col('Readiness Gates', 'string', 'Readiness gates of this pod.', 1)],
    row: (pod) => {
      const statuses: Loose[] = pod.status?.containerStatuses ?? [];
      const total = (pod.spec?.containers ?? []).length;
      const ready = statuses.filter((c) => c.ready).length;
      return [pod.metadata.name ?? '', `${ready}/${total}`, podStatusReason(pod), podRestarts(pod), ageOf(pod.metadata.creationTimestamp), pod.status?.podIP ?? '<none>', pod.spec?.nodeName ?? '<none>', '<none>', '<none>'];
    },
  },
  deployments: {
    columns: [nameCol, col('Ready', 'string', 'Number of the pod with ready state'), col('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'), col('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'), ageCol, col('Containers', 'string', 'Names of each container in the template.', 1), col('Images', 'string', 'Images referenced by each container in the template.', 1), col('Selector', 'string', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', 1)],
    row: (d) => [d.metadata.name ?? '', `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`, d.status?.updatedReplicas ?? 0, d.status?.availableReplicas ?? 0, ageOf(d.metadata.creationTimestamp), containerNames(d), containerImages(d), selectorText(d.spec?.selector)],
  },
  replicasets: {
    columns: [nameCol, col('Desired', 'integer', 'Number of desired pods.'), col('Current', 'integer', 'Number of actual replicas.'), col('Ready', 'integer', 'Number of ready replicas.'), ageCol, col('Containers', 'string', 'Names of each container in the template.', 1), col('Images', 'string', 'Images referenced by each container in the template.', 1), col('Selector', 'string', 'Label selector for pods.', 1)],
    row: (r) => [r.metadata.name ?? '', r.spec?.replicas ?? 0, r.status?.replicas ?? 0, r.status?.readyReplicas ?? 0, ageOf(r.metadata.creationTimestamp), containerNames(r), containerImages(r), selectorText(r.spec?.selector)],
  },
  services: {
    columns: [nameCol, col('Type', 'string', 'The type of the service.'), col('Cluster-IP', 'string', 'The cluster IP of the service.'), col('External-IP', 'string', 'The external IP of the service.'), col('Port(s)', 'string', 'The ports of the service.'), ageCol, col('Selector', 'string', 'The selector of the service.', 1)],
    row: (s) => [s.metadata.name ?? '', s.spec?.type ?? 'ClusterIP', s.spec?.clusterIP ?? '<none>', '<none>', ((s.spec?.ports ?? []) as Loose[]).map((p) => `${p.port}/${p.protocol ?? 'TCP'}`).join(',') || '<none>', ageOf(s.metadata.creationTimestamp), Object.entries(s.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '<none>'],
  },
  configmaps: {
    columns: [nameCol, col('Data', 'integer', 'Number of keys in the config map.'), ageCol],
    row: (c) => [c.metadata.name ?? '', Object.keys((c.data as object | undefined) ?? {}).length + Object.keys((c.binaryData as object | undefined) ?? {}).length, ageOf(c.metadata.creationTimestamp)],
  },
  secrets: {
    columns: [nameCol, col('Type', 'string', 'The type of the secret'), col('Data', 'string', 'The number of data items in the secret'), ageCol],
    row: (c) => [c.metadata.name ?? '', String(c.type ?? 'Opaque'), String(Object.keys((c.data as object | undefined) ?? {}).length), ageOf(c.metadata.creationTimestamp)],
  },
  serviceaccounts: {
    columns: [nameCol, col('Secrets', 'string', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), ageCol],
    row: (c) => [c.metadata.name ?? '', String(((c.secrets as unknown[] | undefined) ?? []).length), ageOf(c.metadata.creationTimestamp)],
  },
  endpointslices: {
    columns: [nameCol, col('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'), col('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'), col('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'), ageCol],
    row: (e) => [e.metadata.name ?? '', String(e.addressType ?? ''), atMostThree(((e.ports ?? []) as Loose[]).map((p) => (p.port === undefined ? '<unset>' : String(p.port)))), atMostThree(((e.endpoints ?? []) as Loose[]).flatMap((x) => (x.addresses ?? []) as string[])), ageOf(e.metadata.creationTimestamp)],
  },
  namespaces: {
    columns: [nameCol, col('Status', 'string', 'The status of the namespace'), ageCol],
    row: (n) => [n.metadata.name ?? '', n.status?.phase ?? 'Active', ageOf(n.metadata.creationTimestamp)],
  },
  nodes: {
    columns: [nameCol, col('Status', 'string', 'The status of the node'), col('Roles', 'string', 'The roles of the node'), ageCol, col('Version', 'string', 'Kubelet Version reported by the node.'), col('Internal-IP', 'string', 'List of internal IPs in the node.', 1), col('External-IP', 'string', 'List of external IPs in the node.', 1), col('OS-Image', 'string', 'OS image reported by the node.', 1), col('Kernel-Version', 'string', 'Kernel version reported by the node.', 1), col('Container-Runtime', 'string', 'Container runtime reported by the node.', 1)],
    row: (n) => {
      const ready = ((n.status?.conditions ?? []) as Loose[]).find((c) => c.type === 'Ready')?.status === 'True';
      const roles = Object.keys(n.metadata.labels ?? {}).filter((l) => l.startsWith('node-role.kubernetes.io/')).map((l) => l.slice('node-role.kubernetes.io/'.length)).join(',') || '<none>';
      const info = (n.status?.nodeInfo ?? {}) as Loose;
      const internal = ((n.status?.addresses ?? []) as Loose[]).find((a) => a.type === 'InternalIP')?.address ?? '<none>';
      return [n.metadata.name ?? '', ready ? 'Ready' : 'NotReady', roles, ageOf(n.metadata.creationTimestamp), String(info.kubeletVersion ?? ''), internal, '<none>', String(info.osImage ?? ''), String(info.kernelVersion ?? ''), String(info.containerRuntimeVersion ?? '')];
    },
  },
  endpoints: {
    columns: [nameCol, col('Endpoints', 'string', 'Endpoints of the service.'), ageCol],
    row: (e) => [e.metadata.name ?? '', endpointsText(e), ageOf(e.metadata.creationTimestamp)],
  },
  events: {
    columns: [col('Last Seen', 'string', 'Time since the most recent occurrence of the event.'), col('Type', 'string', 'Type of this event (Normal, Warning).'), col('Reason', 'string', 'Why the action was taken.'), col('Object', 'string', 'The object this event is about.'), col('Subobject', 'string', 'The subobject this event is about.', 1), col('Source', 'string', 'The component reporting this event.', 1), col('Message', 'string', 'A human-readable description of the status of this operation.'), col('First Seen', 'string', 'Time since the first occurrence of the event.', 1), col('Count', 'string', 'The number of times this event has occurred.', 1), col('Name', 'string', 'The name of the event.', 1, 'name')],
    row: (e) => {
      const inv = (e.involvedObject ?? {}) as Loose;
      const source = (e.source ?? {}) as Loose;
      return [ageOf(String(e.lastTimestamp ?? e.metadata.creationTimestamp)), String(e.type ?? ''), String(e.reason ?? ''), `${String(inv.kind ?? '').toLowerCase()}/${inv.name ?? ''}`, inv.fieldPath ?? '', [source.component, source.host].filter(Boolean).join(', '), String(e.message ?? ''), ageOf(String(e.firstTimestamp ?? e.metadata.creationTimestamp)), String(e.count ?? 1), e.metadata.name ?? ''];
    },
  },
};

const DEFAULT_PRINTER: Printer = {
  columns: [nameCol, col('Created At', 'date', 'CreationTimestamp is a timestamp representing the server time when this object was created.')],
  row: (o) => [o.metadata.name ?? '', o.metadata.creationTimestamp ?? ''],
};

function containerNames(o: KubeObject): string {
  return ((o.spec?.template?.spec?.containers ?? []) as Loose[]).map((c) => c.name).join(',');
}
function containerImages(o: KubeObject): string {
  return ((o.spec?.template?.spec?.containers ?? []) as Loose[]).map((c) => c.image).join(',');
}
function selectorText(selector: Loose | undefined): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${String(v)}`);
  return parts.join(',') || '<none>';
}
function endpointsText(e: KubeObject): string {
  const out: string[] = [];
  for (const subset of (e.subsets ?? []) as Loose[]) {
    for (const addr of (subset.addresses ?? []) as Loose[]) for (const port of (subset.ports ?? []) as Loose[]) out.push(`${addr.ip}:${port.port}`);
  }
  if (out.length === 0) return '<none>';
  return out.length > 3 ? `${out.slice(0, 3).join(',')} + ${out.length - 3} more...` : out.join(',');
}

/** The discovery printers' lists: "<unset>" when empty, three items and "+ N more..." beyond. */
function atMostThree(items: string[]): string {
  if (items.length === 0) return '<unset>';
  return items.length > 3 ? `${items.slice(0, 3).join(',')} + ${items.length - 3} more...` : items.join(',');
}

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept);
}

/** A Table of `objects`; row objects are PartialObjectMetadata unless includeObject=Object. */
export function toTable(resource: string, objects: KubeObject[], resourceVersion: string, includeObject: string | null, withHeaders = true): Record<string, unknown> {
  const printer = PRINTERS[resource] ?? DEFAULT_PRINTER;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: withHeaders ? printer.columns : [],
    rows: objects.map((obj) => ({
      cells: printer.row(obj),
      object: includeObject === 'None' ? undefined : includeObject === 'Object' ? obj : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata },
    })),
  };
}

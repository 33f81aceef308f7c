// The resource types the emulator serves, with what discovery and kubectl
// need to know about each (kind, short names, verbs, scope).

export interface ResourceInfo {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  categories?: string[];
  subresources: string[];
  /** Only these verbs (reviews are create-only and never stored); the full set when absent. */
  verbs?: string[];
}

const core = (plural: string, singular: string, kind: string, namespaced: boolean, shortNames: string[], subresources: string[] = [], categories?: string[]): ResourceInfo => ({
  group: '', version: 'v1', plural, singular, kind, namespaced, shortNames, subresources, categories,
});

const review = (group: string, plural: string, kind: string): ResourceInfo => ({
  group, version: 'v1', plural, singular: kind.toLowerCase(), kind, namespaced: false, shortNames: [], subresources: [], verbs: ['create'],
});

export const RESOURCES: ResourceInfo[] = [
  core('namespaces', 'namespace', 'Namespace', false, ['ns'], ['status']),
  core('nodes', 'node', 'Node', false, ['no'], ['status']),
  core('pods', 'pod', 'Pod', true, ['po'], ['status', 'log', 'exec', 'portforward', 'attach', 'proxy', 'ephemeralcontainers'], ['all']),
  core('services', 'service', 'Service', true, ['svc'], ['status', 'proxy'], ['all']),
  core('endpoints', 'endpoints', 'Endpoints', true, ['ep']),
  core('configmaps', 'configmap', 'ConfigMap', true, ['cm']),
  core('events', 'event', 'Event', true, ['ev']),
  core('secrets', 'secret', 'Secret', true, []),
  core('serviceaccounts', 'serviceaccount', 'ServiceAccount', true, ['sa']),
  { group: 'apps', version: 'v1', plural: 'deployments', singular: 'deployment', kind: 'Deployment', namespaced: true, shortNames: ['deploy'], subresources: ['status', 'scale'], categories: ['all'] },
  { group: 'apps', version: 'v1', plural: 'replicasets', singular: 'replicaset', kind: 'ReplicaSet', namespaced: true, shortNames: ['rs'], subresources: ['status', 'scale'], categories: ['all'] },
  review('authorization.k8s.io', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview'),
  review('authorization.k8s.io', 'selfsubjectrulesreviews', 'SelfSubjectRulesReview'),
  review('authentication.k8s.io', 'selfsubjectreviews', 'SelfSubjectReview'),
  { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', singular: 'endpointslice', kind: 'EndpointSlice', namespaced: true, shortNames: [], subresources: [] },
];

export const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function apiVersionOf(info: ResourceInfo): string {
  return info.group === '' ? info.version : `${info.group}/${info.version}`;
}

export function findResource(group: string, version: string, plural: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

export function resourceByKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => apiVersionOf(r) === apiVersion && r.kind === kind);
}

export function groupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of RESOURCES) if (r.group !== '') seen.set(`${r.group}/${r.version}`, { group: r.group, version: r.version });
  return [...seen.values()];
}

export function findResourceByPlural(plural: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => r.plural === plural);
}

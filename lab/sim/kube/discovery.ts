// Discovery documents: the legacy per-group-version lists and, when the client
// accepts it, the aggregated apidiscovery.k8s.io/v2 form kubectl asks for first.
import { apiVersionOf, groupVersions, RESOURCES, VERBS, type ResourceInfo } from './resources';

export const VERSION_INFO = {
  major: '1',
  minor: '35',
  emulationMajor: '1',
  emulationMinor: '35',
  minCompatibilityMajor: '1',
  minCompatibilityMinor: '34',
  gitVersion: 'v1.35.0-opamp-lab',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.25.5',
  compiler: 'gc',
  platform: 'linux/amd64',
};

function subresourceVerbs(sub: string): string[] {
  switch (sub) {
    case 'status':
    case 'scale':
    case 'ephemeralcontainers': return ['get', 'patch', 'update'];
    case 'log': return ['get'];
    case 'proxy': return ['create', 'delete', 'get', 'patch', 'update'];
    case 'exec':
    case 'portforward':
    case 'attach': return ['create', 'get'];
    default: return ['get'];
  }
}

function subresourceKind(info: ResourceInfo, sub: string): { group: string; version: string; kind: string } {
  if (sub === 'scale') return { group: 'autoscaling', version: 'v1', kind: 'Scale' };
  if (sub === 'exec' || sub === 'attach') return { group: '', version: 'v1', kind: sub === 'exec' ? 'PodExecOptions' : 'PodAttachOptions' };
  if (sub === 'portforward') return { group: '', version: 'v1', kind: 'PodPortForwardOptions' };
  if (sub === 'proxy') return { group: '', version: 'v1', kind: info.kind === 'Pod' ? 'PodProxyOptions' : 'ServiceProxyOptions' };
  return { group: info.group, version: info.version, kind: info.kind };
}

function verbsOf(info: ResourceInfo): string[] {
  if (info.verbs) return info.verbs;
  return info.plural === 'namespaces' ? VERBS.filter((v) => v !== 'deletecollection') : VERBS;
}

export function apiVersions(serverAddress: string): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export function apiGroupList(): unknown {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groupVersions().map(({ group, version }) => ({
      name: group,
      versions: [{ groupVersion: `${group}/${version}`, version }],
      preferredVersion: { groupVersion: `${group}/${version}`, version },
    })),
  };
}

export function apiResourceList(group: string, version: string): unknown | undefined {
  const resources = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (resources.length === 0) return undefined;
  const list: unknown[] = [];
  for (const r of resources) {
    list.push({ name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: verbsOf(r), ...(r.shortNames.length ? { shortNames: r.shortNames } : {}), ...(r.categories ? { categories: r.categories } : {}) });
    for (const sub of r.subresources) {
      const k = subresourceKind(r, sub);
      list.push({ name: `${r.plural}/${sub}`, singularName: '', namespaced: r.namespaced, ...(k.group !== r.group ? { group: k.group, version: k.version } : {}), kind: k.kind, verbs: subresourceVerbs(sub) });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(resources[0] as ResourceInfo), resources: list };
}

export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

export function wantsAggregated(accept: string | undefined): boolean {
  return !!accept && /g=apidiscovery\.k8s\.io;v=v2;as=APIGroupDiscoveryList/.test(accept);
}

/** The aggregated document for `/api` (core) or `/apis` (named groups). */
export function aggregatedDiscovery(core: boolean): unknown {
  const groups = core ? [{ group: '', version: 'v1' }] : groupVersions();
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groups.map(({ group, version }) => ({
      metadata: group === '' ? {} : { name: group },
      versions: [{
        version,
        freshness: 'Current',
        resources: RESOURCES.filter((r) => r.group === group && r.version === version).map((r) => ({
          resource: r.plural,
          responseKind: { group: r.group, version: r.version, kind: r.kind },
          scope: r.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: r.singular,
          verbs: verbsOf(r),
          ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
          ...(r.categories ? { categories: r.categories } : {}),
          ...(r.subresources.length ? { subresources: r.subresources.map((sub) => ({ subresource: sub, responseKind: subresourceKind(r, sub), verbs: subresourceVerbs(sub) })) } : {}),
        })),
      }],
    })),
  };
}

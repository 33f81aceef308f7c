// A minimal OpenAPI v3 surface. kubectl apply downloads it to learn whether the
// server validates fields itself (the `fieldValidation` query parameter on each
// resource's PATCH operation); when it does, kubectl skips client-side schema
// validation and computes apply patches from its built-in types.
import { apiVersionOf, groupVersions, RESOURCES, type ResourceInfo } from './resources';

function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

export function openApiV3Root(): unknown {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const { group, version } of [{ group: '', version: 'v1' }, ...groupVersions()]) {
    const p = gvPath(group, version);
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=0000000000000000` };
  }
  return { paths };
}

const queryParam = (name: string, description: string): unknown => ({ name, in: 'query', description, schema: { type: 'string', uniqueItems: true } });

function itemPath(r: ResourceInfo): string {
  const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  return r.namespaced ? `${base}/namespaces/{namespace}/${r.plural}/{name}` : `${base}/${r.plural}/{name}`;
}

export function openApiV3GroupVersion(path: string): unknown | undefined {
  const resources = RESOURCES.filter((r) => gvPath(r.group, r.version) === path);
  if (resources.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const r of resources) {
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    paths[itemPath(r)] = {
      patch: {
        description: `partially update the specified ${r.kind}`,
        operationId: `patch${r.kind}`,
        parameters: [
          queryParam('dryRun', 'When present, indicates that modifications should not be persisted.'),
          queryParam('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
          queryParam('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields.'),
          { name: 'force', in: 'query', description: 'Force is going to "force" Apply requests.', schema: { type: 'boolean', uniqueItems: true } },
        ],
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
      },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.35.0' },
    paths,
    components: { schemas: Object.fromEntries(resources.map((r) => [`io.k8s.opamp-lab.${apiVersionOf(r)}.${r.kind}`, { type: 'object', 'x-kubernetes-group-version-kind': [{ group: r.group, version: r.version, kind: r.kind }] }])) },
  };
}

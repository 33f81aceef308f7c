// The OpenAPI v3 documents, per group-version: each served kind's schema (and
// the schemas it reaches) for `kubectl explain`, and the PATCH operation with
// its `fieldValidation` parameter, which tells `kubectl apply` that the server
// validates fields itself (so kubectl skips client-side schema validation).
import { loadModels, schemasFor } from './openapiSchemas';
import { groupVersions, RESOURCES, type ResourceInfo } from './resources';

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

const documents = new Map<string, unknown>();

export async function openApiV3GroupVersion(path: string): Promise<unknown> {
  if (documents.has(path)) return documents.get(path);
  const resources = RESOURCES.filter((r) => gvPath(r.group, r.version) === path);
  if (resources.length === 0) return undefined;
  await loadModels();
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
  const doc = {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.35.0' },
    paths,
    components: { schemas: schemasFor(resources.map((r) => ({ group: r.group, version: r.version, kind: r.kind }))) },
  };
  documents.set(path, doc);
  return doc;
}

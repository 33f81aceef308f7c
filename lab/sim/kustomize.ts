// Reads a kustomization the way `kubectl apply -k` builds it, for the subset the
// lab uses: resources (files and folders), namespace, images (newName/newTag),
// labels/commonLabels; output in kustomize's order (Namespace first).
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseAllYamlDocuments, parseYaml } from '../../shared/yamlSafe';
import type { KubeObject } from './kube/types';

type Loose = Record<string, any>;

const KIND_ORDER = ['Namespace', 'ServiceAccount', 'Secret', 'ConfigMap', 'Service', 'Deployment', 'ReplicaSet', 'Pod'];

async function loadKustomization(dir: string): Promise<Loose> {
  for (const name of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) {
    try {
      return (parseYaml(await readFile(join(dir, name), 'utf8')) ?? {}) as Loose;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`kustomize ${dir}/${name}: ${(err as Error).message}`);
    }
  }
  throw new Error(`kustomize: no kustomization.yaml in ${dir}`);
}

export async function parseManifests(text: string, source: string): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const doc of parseAllYamlDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors[0]?.message}`);
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || !('kind' in value)) throw new Error(`${source}: a document without kind`);
    out.push(value as KubeObject);
  }
  return out;
}

export async function buildKustomization(dir: string): Promise<KubeObject[]> {
  const root = resolve(dir);
  const k = await loadKustomization(root);
  const objects: KubeObject[] = [];
  for (const entry of (k.resources ?? []) as string[]) {
    const path = resolve(root, entry);
    if ((await stat(path)).isDirectory()) objects.push(...(await buildKustomization(path)));
    else objects.push(...(await parseManifests(await readFile(path, 'utf8'), path)));
  }
  const labels: Record<string, string> = { ...(k.commonLabels ?? {}) };
  for (const l of (k.labels ?? []) as Loose[]) Object.assign(labels, l.pairs ?? {});
  for (const obj of objects) {
    obj.metadata ??= {};
    if (k.namespace && obj.kind !== 'Namespace') obj.metadata.namespace = k.namespace;
    if (Object.keys(labels).length > 0) obj.metadata.labels = { ...(obj.metadata.labels ?? {}), ...labels };
    for (const image of (k.images ?? []) as Loose[]) {
      for (const c of [...((obj.spec?.template?.spec?.containers ?? []) as Loose[]), ...((obj.spec?.containers ?? []) as Loose[])]) {
        const [name, tag] = String(c.image).split(/:(?=[^/]*$)/);
        if (name !== image.name) continue;
        c.image = `${image.newName ?? name}${image.digest ? `@${image.digest}` : `:${image.newTag ?? tag ?? 'latest'}`}`;
      }
    }
  }
  const rank = (o: KubeObject): number => {
    const i = KIND_ORDER.indexOf(o.kind);
    return i < 0 ? KIND_ORDER.length : i;
  };
  return objects.sort((a, b) => rank(a) - rank(b));
}

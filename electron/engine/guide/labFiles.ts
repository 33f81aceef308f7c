// The lab's own files, read from the repo: what "apply" and "reset" restore.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { parseAllYamlDocuments, parseYaml } from '../../../shared/yamlSafe';

export const LAB_DIR = fileURLToPath(new URL('../../../lab/', import.meta.url));

export async function readAgentFiles(labDir = LAB_DIR): Promise<{ 'supervisor.yaml': string; 'collector.yaml': string }> {
  const [sup, col] = await Promise.all([
    readFile(join(labDir, 'agent', 'supervisor.yaml'), 'utf8'),
    readFile(join(labDir, 'agent', 'collector.yaml'), 'utf8'),
  ]);
  return { 'supervisor.yaml': sup, 'collector.yaml': col };
}

/** The objects of lab/k8s in kustomization order, with the kustomization's namespace applied. */
export async function readK8sObjects(namespace: string, labDir = LAB_DIR): Promise<KubernetesObject[]> {
  const dir = join(labDir, 'k8s');
  const kust = parseYaml(await readFile(join(dir, 'kustomization.yaml'), 'utf8')) as { resources?: string[] };
  const out: KubernetesObject[] = [];
  for (const file of kust.resources ?? []) {
    const text = await readFile(join(dir, file), 'utf8');
    for (const doc of parseAllYamlDocuments(text)) {
      if (doc.errors.length > 0) throw new Error(`lab/k8s/${file}: ${doc.errors[0]?.message}`);
      const obj = doc.toJS() as KubernetesObject | null;
      if (!obj?.kind) continue;
      if (obj.kind === 'Namespace') obj.metadata = { ...obj.metadata, name: namespace };
      else obj.metadata = { ...obj.metadata, namespace };
      out.push(obj);
    }
  }
  return out;
}

// The lab shell's working folder: the lab's files under the names the guide
// uses (supervisor.yaml, collector.yaml, the Dockerfile, the Kubernetes
// manifests), with the connected namespace in them. Files the attendee has
// edited are never overwritten; a missing one is written again.
import { constants } from 'node:fs';
import { access, chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LAB_DIR } from '../guide/labFiles';

/** Guide name → file in the repository's lab/ folder. */
export const LAB_FILES: Readonly<Record<string, string>> = {
  'supervisor.yaml': 'agent/supervisor.yaml',
  'collector.yaml': 'agent/collector.yaml',
  Dockerfile: 'agent/Dockerfile',
  'namespace.yaml': 'k8s/namespace.yaml',
  'opamp-server.yaml': 'k8s/opamp-server.yaml',
  'opamp-agent-config.yaml': 'k8s/opamp-agent-config.yaml',
  'opamp-agent.yaml': 'k8s/opamp-agent.yaml',
  'kustomization.yaml': 'k8s/kustomization.yaml',
};

/** Pure: the lab's namespace `opamp` replaced by another, in manifests and the server address. */
export function inNamespace(text: string, namespace: string): string {
  if (namespace === 'opamp') return text;
  return text
    .replace(/^([ \t]*namespace:[ \t]*)opamp[ \t]*$/gm, `$1${namespace}`)
    .replace(/^([ \t]*name:[ \t]*)opamp[ \t]*$/gm, (m, a: string) => (/kind: Namespace/.test(text) ? `${a}${namespace}` : m))
    .replaceAll('opamp-server.opamp.svc', `opamp-server.${namespace}.svc`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

/** Creates (or completes) the folder for a namespace and returns its path. */
export async function prepareLabFolder(dataDir: string, namespace: string, labDir = LAB_DIR): Promise<string> {
  const dir = join(dataDir, 'lab-files', namespace);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(join(dataDir, 'lab-files'), 0o700);
  for (const [name, source] of Object.entries(LAB_FILES)) {
    const target = join(dir, name);
    if (await exists(target)) continue;
    await writeFile(target, inNamespace(await readFile(join(labDir, source), 'utf8'), namespace), { mode: 0o600 });
  }
  return dir;
}

// The kubeconfig the sim writes for kubectl and client-node: one cluster at the
// emulator's URL, context `opamp-lab` with namespace `opamp`, a bearer-token user.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export const SIM_CONTEXT = 'opamp-lab';
export const SIM_NAMESPACE = 'opamp';

export function kubeconfigYaml(apiUrl: string, token: string, caPem?: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: SIM_CONTEXT, cluster: { server: apiUrl, ...(caPem ? { 'certificate-authority-data': Buffer.from(caPem).toString('base64') } : {}) } }],
    users: [{ name: `${SIM_CONTEXT}-user`, user: { token } }],
    contexts: [{ name: SIM_CONTEXT, context: { cluster: SIM_CONTEXT, user: `${SIM_CONTEXT}-user`, namespace: SIM_NAMESPACE } }],
    'current-context': SIM_CONTEXT,
    preferences: {},
  });
}

export async function writeKubeconfig(path: string, apiUrl: string, token: string, caPem?: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, kubeconfigYaml(apiUrl, token, caPem), { mode: 0o600 });
}

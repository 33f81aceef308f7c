// The KUBECONFIG a lab shell (or the attendee's own terminal) gets: the embedded
// lab's own kubeconfig, or for a real cluster a small file that only selects the
// connected context and namespace, listed before the user's kubeconfig files.
// kubectl merges KUBECONFIG files with the first definition of a name winning,
// so the selector's context (same cluster and user names, the namespace set)
// and its current-context win, while credentials stay in the user's own files.
import { mkdir, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';
import type { KubeSession } from '../kube/session';

/** Pure: the selector kubeconfig's text. */
export function selectorYaml(context: string, cluster: string, user: string, namespace: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': context,
    contexts: [{ name: context, context: { cluster, user, namespace } }],
  });
}

export async function kubeconfigForShells(dataDir: string, session: KubeSession, embeddedPath?: string): Promise<string | undefined> {
  if (embeddedPath) return embeddedPath;
  const ctx = session.kc.getContextObject(session.contextName);
  if (!ctx || !session.kubeconfigPath) return session.kubeconfigPath;
  const dir = join(dataDir, 'lab-shell');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const selector = join(dir, 'context.kubeconfig');
  await writeFile(selector, selectorYaml(ctx.name, ctx.cluster, ctx.user, session.namespace), { mode: 0o600 });
  return [selector, ...session.kubeconfigPath.split(delimiter).filter(Boolean)].join(delimiter);
}

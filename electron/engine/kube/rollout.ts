// `kubectl rollout restart` + `kubectl rollout status`, through the API: the
// same strategic-merge patch of the restartedAt annotation, then the same
// progress lines until the deployment has rolled out.
import * as k8s from '@kubernetes/client-node';
import { appendRolloutMessage, rolloutStatusMessage } from '../../../shared/kubectlMessages';
import { EngineError } from '../errors';
import { kubeError, type KubeSession } from './session';

/**
 * The strategic-merge patch `kubectl rollout restart` sends, stamped in milliseconds where kubectl uses
 * whole seconds (and refuses a second restart within one): two restarts within one second (a fault, then
 * its reset) must give two different templates, or the second one rolls nothing out.
 */
export function restartPatch(now: Date): { spec: { template: { metadata: { annotations: Record<string, string> } } } } {
  return { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': now.toISOString() } } } } };
}

export async function patchRestart(session: KubeSession, deployment: string, now = new Date()): Promise<k8s.V1Deployment> {
  const body = restartPatch(now);
  try {
    return await session.apps.patchNamespacedDeployment(
      { name: deployment, namespace: session.namespace, body },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
  } catch (err) {
    throw kubeError(err, `rollout restart deployment/${deployment}`, session.server);
  }
}

/**
 * Follows the deployment (from the watch cache via `current`) until it rolled out.
 * `onMessage` gets every new kubectl line. Resolves with all lines.
 */
export async function waitForRollout(
  deployment: string,
  current: () => k8s.V1Deployment | undefined,
  subscribe: (cb: () => void) => () => void,
  onMessage: (messages: string[]) => void,
  timeoutMs: number,
): Promise<string[]> {
  let messages: string[] = [];
  return new Promise<string[]>((resolve, reject) => {
    const check = (): void => {
      const d = current();
      if (!d) return;
      const st = rolloutStatusMessage(d as never);
      const next = appendRolloutMessage(messages, st.message);
      if (next.length !== messages.length) {
        messages = next;
        onMessage(messages);
      }
      if (st.error) finish(new EngineError('timeout', st.error));
      else if (st.done) finish();
    };
    const timer = setTimeout(() => finish(new EngineError('timeout', `error: timed out waiting for the condition (deployment "${deployment}" not rolled out after ${Math.round(timeoutMs / 1000)} s)`)), timeoutMs);
    const unsubscribe = subscribe(check);
    function finish(err?: Error): void {
      clearTimeout(timer);
      unsubscribe();
      if (err) reject(err);
      else resolve(messages);
    }
    check();
  });
}

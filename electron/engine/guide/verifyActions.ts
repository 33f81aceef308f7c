// "Run it for me" of the guide's verification steps: the same command the step
// shows, run by the app against the first ready agent pod, with its output.
import { fillCommand, VERIFY_SCRIPTS, type StepActionId } from '../../../shared/guide/steps';
import { execOnce } from '../kube/execOnce';
import type { KubeSession } from '../kube/session';

export interface VerifyResult {
  ran: string[];
  output: string;
  /** Set when the command failed (non-zero exit, or nothing to read). */
  failed?: string;
}

export function isVerifyAction(id: StepActionId | undefined): id is keyof typeof VERIFY_SCRIPTS | 'verify-connection' {
  return id === 'verify-connection' || (id !== undefined && Object.hasOwn(VERIFY_SCRIPTS, id));
}

export async function runVerifyAction(s: KubeSession, id: keyof typeof VERIFY_SCRIPTS | 'verify-connection', pod: string, ran: readonly string[]): Promise<VerifyResult> {
  const shown = ran.map((r) => fillCommand(r, { namespace: s.namespace, pod }));
  if (id === 'verify-connection') {
    const text = String(await s.core.readNamespacedPodLog({ name: pod, namespace: s.namespace, container: 'agent', sinceSeconds: 300 }));
    const found = /Connected to the server\./.test(text);
    return { ran: shown, output: text.split('\n').slice(-40).join('\n'), ...(found ? {} : { failed: 'no "Connected to the server." in the last 5 minutes of the log' }) };
  }
  const r = await execOnce(s, pod, ['sh', '-c', VERIFY_SCRIPTS[id]], { maxBytes: 64 * 1024 });
  return { ran: shown, output: `${r.stdout}${r.stderr}`, ...(r.code === 0 ? {} : { failed: `the command exited with ${r.code}` }) };
}

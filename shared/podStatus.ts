// A pod's STATUS as `kubectl get pods` prints it (the waiting or terminated
// reason of a container over the phase; Terminating while being deleted), and
// the colour class the dashboard gives it.
import type { PodView } from './state';

export type StatusTone = 'ok' | 'progress' | 'bad' | 'done';

export function podStatusText(pod: PodView): string {
  if (pod.terminating) return 'Terminating';
  let reason: string | undefined;
  for (const c of pod.containers) {
    if (c.state === 'waiting' && c.reason) reason = c.reason;
    else if (c.state === 'terminated') reason = c.reason ?? 'Error';
  }
  if (reason) return reason;
  if (pod.containers.length === 0 && pod.phase === 'Pending') return 'Pending';
  return pod.phase;
}

const BAD = /BackOff|Err|Error|OOMKilled|Failed|Invalid|Unknown|Evicted/;

export function statusTone(status: string): StatusTone {
  if (status === 'Running') return 'ok';
  if (status === 'Completed' || status === 'Succeeded' || status === 'Terminating') return 'done';
  if (BAD.test(status)) return 'bad';
  return 'progress';
}

/** READY as kubectl prints it: ready containers / containers. */
export function readyText(pod: PodView): string {
  return `${pod.containers.filter((c) => c.ready).length}/${pod.containers.length}`;
}

export function restartsText(pod: PodView, now: number, age: (ms: number) => string): string {
  const count = pod.containers.reduce((n, c) => n + c.restartCount, 0);
  const last = Math.max(0, ...pod.containers.map((c) => c.lastTermination?.finishedAt ?? 0));
  return count > 0 && last > 0 ? `${count} (${age(now - last)} ago)` : String(count);
}

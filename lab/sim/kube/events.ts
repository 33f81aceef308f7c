// Records core/v1 Events as the cluster's components do, folding repeats of the
// same reason and message on the same object into one event with a count.
import type { KubeApi } from './kubeApi';
import { nowIso, type KubeObject } from './types';

export interface EventSource {
  component: string;
  host?: string;
}

export class EventRecorder {
  private readonly seen = new Map<string, string>();
  private sequence = 0n;

  constructor(private readonly api: KubeApi) {}

  record(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, source: EventSource, fieldPath?: string): void {
    const ns = obj.metadata.namespace ?? 'default';
    const key = `${obj.metadata.uid}|${reason}|${message}|${fieldPath ?? ''}`;
    const now = nowIso();
    try {
      const existingName = this.seen.get(key);
      const existing = existingName ? this.api.tryGet('events', ns, existingName) : undefined;
      if (existing) {
        existing.count = Number(existing.count ?? 1) + 1;
        existing.lastTimestamp = now;
        this.api.update('events', ns, existingName ?? '', existing);
        return;
      }
      // <object>.<unix nanos in hex>, as client-go names events, so names sort by time.
      const nanos = BigInt(Date.now()) * 1_000_000n + (this.sequence++ % 1_000_000n);
      const name = `${obj.metadata.name}.${nanos.toString(16)}`;
      this.api.create('events', ns, {
        metadata: { name, namespace: ns },
        involvedObject: { kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name, uid: obj.metadata.uid, apiVersion: obj.apiVersion, resourceVersion: obj.metadata.resourceVersion, ...(fieldPath ? { fieldPath } : {}) },
        reason,
        message,
        source,
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        type,
        eventTime: null,
        reportingComponent: source.component,
        reportingInstance: source.host ?? '',
      });
      this.seen.set(key, name);
    } catch {
      // Events are best effort, as in a real cluster (the namespace may be going away).
    }
  }
}

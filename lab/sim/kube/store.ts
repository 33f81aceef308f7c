// The object store: one resourceVersion counter for everything (as etcd's
// revision), a bounded history of changes so watches can resume from a
// resourceVersion, and synchronous listeners for the in-process controllers.
import { randomUUID } from 'node:crypto';
import { errors } from './status';
import { describeError } from '../../../shared/errorText';
import { findResourceByPlural } from './resources';
import { clone, nowIso, type KubeObject, type StoredEvent } from './types';
import { byteOrder } from '../../../shared/byteOrder';

export type StoreListener = (event: StoredEvent) => void;

export interface StoreOptions {
  /** How many changes a watch may resume from; older resourceVersions get 410 Gone. */
  historyLimit?: number;
}

function keyOf(resource: string, namespace: string | undefined, name: string): string {
  return `${resource}|${namespace ?? ''}|${name}`;
}

export class ObjectStore {
  private revision = 1;
  private readonly objects = new Map<string, KubeObject>();
  private readonly history: StoredEvent[] = [];
  private readonly listeners = new Set<StoreListener>();
  private readonly historyLimit: number;
  /** The oldest resourceVersion a watch can still start from. */
  private compactedAt = 1;

  constructor(options: StoreOptions = {}) {
    this.historyLimit = options.historyLimit ?? 5000;
  }

  get resourceVersion(): number {
    return this.revision;
  }

  get oldestWatchable(): number {
    return this.compactedAt;
  }

  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.objects.get(keyOf(resource, namespace, name));
    return found ? clone(found) : undefined;
  }

  /** Objects of one resource, optionally in one namespace, ordered as etcd orders keys. */
  list(resource: string, namespace?: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const [key, obj] of this.objects) {
      if (!key.startsWith(`${resource}|`)) continue;
      if (namespace !== undefined && obj.metadata.namespace !== namespace) continue;
      out.push(clone(obj));
    }
    return out.sort((a, b) => byteOrder(keyOf(resource, a.metadata.namespace, a.metadata.name ?? ''), keyOf(resource, b.metadata.namespace, b.metadata.name ?? '')));
  }

  create(resource: string, input: KubeObject): KubeObject {
    const obj = clone(input);
    const meta = obj.metadata;
    if (!meta.name && meta.generateName) meta.name = meta.generateName + randomSuffix();
    const name = meta.name ?? '';
    const key = keyOf(resource, meta.namespace, name);
    if (this.objects.has(key)) {
      const info = findResourceByPlural(resource);
      throw errors.alreadyExists(resource, info?.group ?? '', name);
    }
    meta.uid = randomUUID();
    meta.creationTimestamp = nowIso();
    if (hasGeneration(resource)) meta.generation = 1;
    delete meta.deletionTimestamp;
    meta.resourceVersion = String(++this.revision);
    this.objects.set(key, obj);
    this.record({ type: 'ADDED', resource, object: obj, rv: this.revision });
    return clone(obj);
  }

  /**
   * Replaces an object. With `expectedVersion` set, a stale write is a Conflict.
   * `generation` moves when the spec changes, as it does for workloads.
   */
  update(resource: string, input: KubeObject, expectedVersion?: string): KubeObject {
    const obj = clone(input);
    const meta = obj.metadata;
    const name = meta.name ?? '';
    const key = keyOf(resource, meta.namespace, name);
    const current = this.objects.get(key);
    const group = findResourceByPlural(resource)?.group ?? '';
    if (!current) throw errors.notFound(resource, group, name);
    if (expectedVersion !== undefined && expectedVersion !== '' && expectedVersion !== current.metadata.resourceVersion) {
      throw errors.conflict(resource, group, name);
    }
    // Identity fields are the server's, whatever the client sent.
    meta.uid = current.metadata.uid;
    meta.creationTimestamp = current.metadata.creationTimestamp;
    if (current.metadata.deletionTimestamp) {
      meta.deletionTimestamp = current.metadata.deletionTimestamp;
      meta.deletionGracePeriodSeconds = current.metadata.deletionGracePeriodSeconds;
    }
    if (hasGeneration(resource)) {
      const specChanged = JSON.stringify(current.spec ?? null) !== JSON.stringify(obj.spec ?? null);
      meta.generation = (current.metadata.generation ?? 1) + (specChanged ? 1 : 0);
    }
    if (JSON.stringify(stripVersion(current)) === JSON.stringify(stripVersion(obj))) return clone(current);
    meta.resourceVersion = String(++this.revision);
    this.objects.set(key, obj);
    this.record({ type: 'MODIFIED', resource, object: obj, rv: this.revision });
    return clone(obj);
  }

  /** Marks an object as being deleted (graceful deletion); the kubelet removes it later. */
  markDeleting(resource: string, namespace: string | undefined, name: string, graceSeconds: number): KubeObject {
    const current = this.get(resource, namespace, name);
    if (!current) throw errors.notFound(resource, findResourceByPlural(resource)?.group ?? '', name);
    if (current.metadata.deletionTimestamp) return current;
    const obj = clone(current);
    obj.metadata.deletionTimestamp = new Date(Date.now() + graceSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    obj.metadata.deletionGracePeriodSeconds = graceSeconds;
    if (hasGeneration(resource)) obj.metadata.generation = (obj.metadata.generation ?? 1) + 1;
    obj.metadata.resourceVersion = String(++this.revision);
    this.objects.set(keyOf(resource, namespace, name), obj);
    this.record({ type: 'MODIFIED', resource, object: obj, rv: this.revision });
    return clone(obj);
  }

  remove(resource: string, namespace: string | undefined, name: string): KubeObject {
    const key = keyOf(resource, namespace, name);
    const current = this.objects.get(key);
    if (!current) throw errors.notFound(resource, findResourceByPlural(resource)?.group ?? '', name);
    this.objects.delete(key);
    const gone = clone(current);
    gone.metadata.resourceVersion = String(++this.revision);
    this.record({ type: 'DELETED', resource, object: gone, rv: this.revision });
    return clone(gone);
  }

  /** Changes after `rv` (exclusive); throws 410 Gone when they are no longer all kept. */
  changesSince(rv: number): StoredEvent[] {
    if (rv < this.compactedAt) {
      throw errors.gone(`too old resource version: ${rv} (${this.compactedAt})`);
    }
    return this.history.filter((e) => e.rv > rv).map((e) => ({ ...e, object: clone(e.object) }));
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(event: StoredEvent): void {
    this.history.push({ ...event, object: clone(event.object) });
    while (this.history.length > this.historyLimit) {
      const dropped = this.history.shift();
      if (dropped) this.compactedAt = dropped.rv;
    }
    for (const listener of [...this.listeners]) {
      try {
        listener({ ...event, object: clone(event.object) });
      } catch (err) {
        // A broken listener must not break a write that already happened.
        console.error(`store listener failed on ${event.type} ${event.resource}/${event.object.metadata.name}: ${describeError(err)}`);
      }
    }
  }
}

function hasGeneration(resource: string): boolean {
  return resource === 'deployments' || resource === 'replicasets';
}

function stripVersion(obj: KubeObject): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: undefined, managedFields: undefined } };
}

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Five characters from the alphabet the API server uses for generateName. */
export function randomSuffix(length = 5): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += SUFFIX_ALPHABET[Math.floor(Math.random() * SUFFIX_ALPHABET.length)];
  return out;
}

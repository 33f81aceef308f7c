// Loose shapes of the Kubernetes objects the emulator stores. The API server
// keeps objects as JSON; these types name the fields the controllers read.

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
}

/** Any stored object. `spec`/`status` stay loosely typed: they are JSON the clients wrote. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: any;
  status?: any;
  [field: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface StoredEvent {
  type: Exclude<WatchEventType, 'BOOKMARK' | 'ERROR'>;
  resource: string;
  object: KubeObject;
  rv: number;
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

export function nowIso(): string {
  // The API server reports whole seconds (RFC 3339 without fraction).
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

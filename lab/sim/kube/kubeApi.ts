// The API's semantics, independent of HTTP: defaulting, validation, namespace
// checks, optimistic concurrency, patches, dry-run and graceful deletion. The
// HTTP layer and the in-process controllers both write through here.
import { applyDefaults, validate } from './defaults';
import { checkEphemeralContainers } from './ephemeralContainers';
import { checkStrict } from './fieldValidation';
import { decodeError } from './shapeCheck';
import { applyJsonPatch, applyMergePatch, applyServerSide, applyStrategicPatch } from './patch';
import { apiVersionOf, findResourceByPlural, type ResourceInfo } from './resources';
import { errors } from './status';
import type { ObjectStore } from './store';
import { clone, isRecord, nowIso, type KubeObject } from './types';
import { parseYaml } from '../../../shared/yamlSafe';

export interface WriteOptions {
  dryRun?: boolean;
  /** fieldValidation=Strict: unknown fields are an error. */
  strict?: boolean;
  /**
   * Writes to the status subresource change only `status`; others never change it.
   * pods/ephemeralcontainers changes only `spec.ephemeralContainers`.
   */
  subresource?: 'status' | 'ephemeralcontainers';
  fieldManager?: string;
  patching?: boolean;
}

export interface DeleteOptions {
  dryRun?: boolean;
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
}

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

export function patchTypeOf(contentType: string | undefined): PatchType | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim();
  switch (type) {
    case 'application/merge-patch+json': return 'merge';
    case 'application/json-patch+json': return 'json';
    case 'application/strategic-merge-patch+json': return 'strategic';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+cbor': return 'apply';
    default: return undefined;
  }
}

export class KubeApi {
  constructor(readonly store: ObjectStore) {}

  info(resource: string): ResourceInfo {
    const info = findResourceByPlural(resource);
    if (!info) throw errors.notFoundPath();
    return info;
  }

  get(resource: string, namespace: string | undefined, name: string): KubeObject {
    const info = this.info(resource);
    const obj = this.store.get(resource, info.namespaced ? namespace : undefined, name);
    if (!obj) throw errors.notFound(resource, info.group, name);
    return obj;
  }

  tryGet(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(resource, namespace, name);
  }

  list(resource: string, namespace?: string): KubeObject[] {
    return this.store.list(resource, namespace);
  }

  private normalize(resource: string, namespace: string | undefined, body: unknown): KubeObject {
    const info = this.info(resource);
    if (!isRecord(body)) throw errors.badRequest('the body of the request was not a JSON object');
    const obj = clone(body) as KubeObject;
    if (obj.kind !== undefined && obj.kind !== info.kind) {
      throw errors.badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${apiVersionOf(info)})`);
    }
    obj.kind = info.kind;
    obj.apiVersion = apiVersionOf(info);
    obj.metadata = isRecord(obj.metadata) ? obj.metadata : {};
    if (info.namespaced) {
      if (obj.metadata.namespace && namespace && obj.metadata.namespace !== namespace) {
        throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = namespace ?? obj.metadata.namespace ?? 'default';
    } else delete obj.metadata.namespace;
    delete obj.metadata.managedFields;
    return obj;
  }

  private checkNamespace(info: ResourceInfo, namespace: string | undefined): void {
    if (!info.namespaced || namespace === undefined) return;
    const ns = this.store.get('namespaces', undefined, namespace);
    if (!ns) throw errors.namespaceNotFound(namespace);
    if (ns.metadata.deletionTimestamp) {
      throw errors.forbidden(`unable to create new content in namespace ${namespace} because it is being terminated`);
    }
  }

  /** Go's JSON decoding of the body into the kind's type: a value of the wrong JSON type is a 400. */
  private checkDecodes(info: ResourceInfo, body: unknown): void {
    const failure = isRecord(body) ? decodeError(apiVersionOf(info), info.kind, body) : undefined;
    if (failure) throw errors.badRequest(`${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: ${failure}`);
  }

  create(resource: string, namespace: string | undefined, body: unknown, opts: WriteOptions = {}): KubeObject {
    const info = this.info(resource);
    this.checkDecodes(info, body);
    if (opts.strict && isRecord(body)) checkStrict(body as KubeObject, info.version, false);
    const obj = this.normalize(resource, namespace, body);
    this.checkNamespace(info, obj.metadata.namespace);
    if (resource === 'pods') refuseHostAccess(obj);
    applyDefaults(resource, obj, true);
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = `${obj.metadata.generateName}xxxxx`;
    validate(resource, obj);
    if (opts.dryRun) {
      if (!obj.metadata.generateName && this.store.get(resource, obj.metadata.namespace, obj.metadata.name ?? '')) throw errors.alreadyExists(resource, info.group, obj.metadata.name ?? '');
      obj.metadata.uid ??= '00000000-0000-0000-0000-000000000000';
      obj.metadata.creationTimestamp = nowIso();
      if (resource === 'deployments' || resource === 'replicasets') obj.metadata.generation = 1;
      return obj;
    }
    if (obj.metadata.generateName && obj.metadata.name?.endsWith('xxxxx')) delete obj.metadata.name;
    return this.store.create(resource, obj);
  }

  update(resource: string, namespace: string | undefined, name: string, body: unknown, opts: WriteOptions = {}): KubeObject {
    const info = this.info(resource);
    if (!opts.patching) this.checkDecodes(info, body);
    if (opts.strict && isRecord(body)) checkStrict(body as KubeObject, info.version, opts.patching ?? false);
    const obj = this.normalize(resource, namespace, body);
    if (obj.metadata.name && obj.metadata.name !== name) throw errors.badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    obj.metadata.name = name;
    const current = this.get(resource, namespace, name);
    const merged = mergeForSubresource(resource, current, obj, opts.subresource);
    applyDefaults(resource, merged, false);
    validate(resource, merged);
    if (opts.dryRun) {
      // What the write would store: a spec change moves generation (kubectl diff shows it).
      if (merged.metadata.generation !== undefined && JSON.stringify(current.spec ?? null) !== JSON.stringify(merged.spec ?? null)) merged.metadata.generation = (current.metadata.generation ?? 1) + 1;
      return merged;
    }
    return this.store.update(resource, merged, obj.metadata.resourceVersion);
  }

  patch(resource: string, namespace: string | undefined, name: string, type: PatchType, rawBody: string, opts: WriteOptions & { force?: boolean } = {}): KubeObject {
    if (opts.strict && type === 'apply' && isRecord(parseQuiet(rawBody))) checkStrict(parseQuiet(rawBody) as KubeObject, this.info(resource).version, true);
    const info = this.info(resource);
    let body: unknown;
    try {
      body = type === 'apply' ? parseYaml(rawBody) : JSON.parse(rawBody);
    } catch (err) {
      throw errors.badRequest(`error decoding patch: ${(err as Error).message}`);
    }
    const current = this.store.get(resource, info.namespaced ? namespace : undefined, name);
    if (!current) {
      if (type === 'apply') {
        const obj = isRecord(body) ? { ...body, metadata: { ...(isRecord(body.metadata) ? body.metadata : {}), name } } : body;
        return this.create(resource, namespace, obj, opts);
      }
      throw errors.notFound(resource, info.group, name);
    }
    let next: unknown;
    switch (type) {
      case 'merge': next = applyMergePatch(current, body); break;
      case 'json': next = applyJsonPatch(current, body); break;
      case 'strategic': next = applyStrategicPatch(current, body); break;
      case 'apply': next = applyServerSide(current, body); break;
    }
    if (!isRecord(next)) throw errors.badRequest('patch did not produce an object');
    // The patched object is decoded into the kind's type; a value of the wrong type fails the patch (422).
    const failure = decodeError(apiVersionOf(info), info.kind, next);
    if (failure) throw errors.invalid('', '', '', [{ reason: 'FieldValueInvalid', field: 'patch', message: `Invalid value: ${JSON.stringify(goFormat(body))}: ${failure}` }]);
    const obj = next as KubeObject;
    // The patch saw the current version: a resourceVersion it carries is a precondition.
    const precondition = isRecord(body) && isRecord(body.metadata) && typeof body.metadata.resourceVersion === 'string' ? body.metadata.resourceVersion : undefined;
    obj.metadata = { ...obj.metadata, resourceVersion: precondition ?? current.metadata.resourceVersion };
    return this.update(resource, namespace, name, obj, { ...opts, patching: true });
  }

  delete(resource: string, namespace: string | undefined, name: string, opts: DeleteOptions = {}): KubeObject {
    const info = this.info(resource);
    const ns = info.namespaced ? namespace : undefined;
    const current = this.get(resource, ns, name);
    if (opts.dryRun) return current;
    if (opts.propagationPolicy === 'Orphan') this.orphanDependents(current);
    if (resource === 'pods' && current.spec?.nodeName && opts.gracePeriodSeconds !== 0) {
      const grace = opts.gracePeriodSeconds ?? current.spec?.terminationGracePeriodSeconds ?? 30;
      return this.store.markDeleting(resource, ns, name, grace);
    }
    if (resource === 'namespaces') return this.store.markDeleting(resource, undefined, name, 0);
    return this.store.remove(resource, ns, name);
  }

  private orphanDependents(owner: KubeObject): void {
    for (const resource of ['replicasets', 'pods', 'endpointslices']) {
      for (const dep of this.store.list(resource, owner.metadata.namespace)) {
        const refs = dep.metadata.ownerReferences ?? [];
        if (!refs.some((r) => r.uid === owner.metadata.uid)) continue;
        const kept = refs.filter((r) => r.uid !== owner.metadata.uid);
        if (kept.length > 0) dep.metadata.ownerReferences = kept;
        else delete dep.metadata.ownerReferences;
        this.store.update(resource, dep);
      }
    }
  }
}

const SERVER_OWNED_STATUS = ['pods', 'deployments', 'replicasets', 'namespaces', 'services'];

function mergeForSubresource(resource: string, current: KubeObject, next: KubeObject, subresource: WriteOptions['subresource']): KubeObject {
  if (subresource === 'status') return { ...current, status: next.status };
  if (subresource === 'ephemeralcontainers') {
    checkEphemeralContainers(current, next);
    return { ...current, spec: { ...current.spec, ephemeralContainers: next.spec?.ephemeralContainers ?? [] } };
  }
  // Through the pod itself, ephemeral containers stay as they are.
  if (resource === 'pods' && next.spec && current.spec?.ephemeralContainers) next.spec.ephemeralContainers = current.spec.ephemeralContainers;
  // Through the main resource, a server-owned status is kept whatever the client sent.
  if (SERVER_OWNED_STATUS.includes(resource)) return current.status === undefined ? next : { ...next, status: current.status };
  return next;
}

/**
 * The emulated node has no host of its own to share: a pod asking for the node's root file system or
 * its namespaces (as `kubectl debug node/…` does) is refused up front with what to do instead, like an
 * admission policy would, rather than left running in an empty folder. A hostPath below the root is a
 * real folder of the emulated node's disk (hostPath.ts), as the lab server's /data volume needs.
 */
function refuseHostAccess(pod: KubeObject): void {
  const spec = (pod.spec ?? {}) as { volumes?: { hostPath?: { path?: string } }[]; hostPID?: boolean; hostNetwork?: boolean; hostIPC?: boolean };
  const hostRoot = (spec.volumes ?? []).find((v) => v.hostPath && posixRoot(v.hostPath.path));
  const namespaces = (['hostPID', 'hostNetwork', 'hostIPC'] as const).filter((k) => spec[k] === true);
  if (!hostRoot && namespaces.length === 0) return;
  const what = hostRoot ? `hostPath "${hostRoot.hostPath?.path ?? ''}"` : namespaces.join(', ');
  throw errors.forbidden(`pods "${pod.metadata.name ?? pod.metadata.generateName ?? ''}" is forbidden: the embedded lab's node is emulated and has no host file system or namespaces to share (${what}); debug a pod instead: kubectl debug -it POD --image=busybox --target=agent`);
}

function posixRoot(path: string | undefined): boolean {
  return path !== undefined && path.replace(/\/+$/, '') === '';
}

/** A decoded patch as Go prints it with %+v (map[key:value], [a b]), as the API server quotes it. */
function goFormat(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goFormat).join(' ')}]`;
  if (isRecord(value)) return `map[${Object.keys(value).sort().map((k) => `${k}:${goFormat(value[k])}`).join(' ')}]`;
  return value === null || value === undefined ? '<nil>' : String(value);
}

function parseQuiet(text: string): unknown {
  try {
    return parseYaml(text);
  } catch {
    return undefined;
  }
}

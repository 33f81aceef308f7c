// The three patch types the API server accepts: JSON merge patch (RFC 7386),
// JSON patch (RFC 6902) and strategic merge patch. The strategic variant knows
// the merge keys of the lists that kubectl's apply and rollout restart touch.
import { errors } from './status';
import { clone, isRecord } from './types';

type Json = unknown;

export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isRecord(patch)) return clone(patch);
  const base: Record<string, Json> = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete base[key];
    else base[key] = applyMergePatch(base[key], value);
  }
  return base;
}

function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw errors.badRequest(`invalid JSON pointer: ${pointer}`);
  return pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: Json;
}

function getAt(doc: Json, parts: string[]): Json {
  let cur: Json = doc;
  for (const part of parts) {
    if (Array.isArray(cur)) cur = cur[Number(part)];
    else if (isRecord(cur)) cur = cur[part];
    else return undefined;
  }
  return cur;
}

function parentOf(doc: Json, parts: string[], path: string): { parent: Record<string, Json> | Json[]; last: string } {
  const parent = getAt(doc, parts.slice(0, -1));
  const last = parts[parts.length - 1];
  if (last === undefined || (!Array.isArray(parent) && !isRecord(parent))) {
    throw errors.badRequest(`the server rejected our request due to an error in our request: doc is missing path: "${path}"`);
  }
  return { parent, last };
}

export function applyJsonPatch(target: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw errors.badRequest('json patch must be an array of operations');
  let doc = clone(target);
  for (const raw of ops as JsonPatchOp[]) {
    const parts = decodePointer(raw.path);
    const put = (value: Json, insert: boolean): void => {
      if (parts.length === 0) { doc = value; return; }
      const { parent, last } = parentOf(doc, parts, raw.path);
      if (Array.isArray(parent)) {
        const index = last === '-' ? parent.length : Number(last);
        if (insert) parent.splice(index, 0, value);
        else parent[index] = value;
      } else parent[last] = value;
    };
    const take = (path: string): Json => {
      const p = decodePointer(path);
      const value = getAt(doc, p);
      if (value === undefined) throw errors.badRequest(`the server rejected our request due to an error in our request: doc is missing path: "${path}"`);
      const { parent, last } = parentOf(doc, p, path);
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
      return value;
    };
    switch (raw.op) {
      case 'add': put(clone(raw.value), true); break;
      case 'replace':
        if (getAt(doc, parts) === undefined) throw errors.badRequest(`the server rejected our request due to an error in our request: doc is missing key: ${raw.path}`);
        put(clone(raw.value), false);
        break;
      case 'remove': take(raw.path); break;
      case 'move': put(take(raw.from ?? ''), true); break;
      case 'copy': put(clone(getAt(doc, decodePointer(raw.from ?? ''))), true); break;
      case 'test':
        if (JSON.stringify(getAt(doc, parts)) !== JSON.stringify(raw.value)) throw errors.badRequest(`the server rejected our request due to an error in our request: testing value ${raw.path} failed`);
        break;
      default: throw errors.badRequest(`unexpected json patch operation: ${raw.op}`);
    }
  }
  return doc;
}

/** List fields whose items merge by a key instead of being replaced wholesale. */
export const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  env: 'name',
  imagePullSecrets: 'name',
  conditions: 'type',
  ownerReferences: 'uid',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
};

export function mergeKeyFor(field: string, items: Json[]): string | undefined {
  if (field === 'ports') {
    const first = items.find(isRecord);
    if (first && 'containerPort' in first) return 'containerPort';
    return 'port';
  }
  return MERGE_KEYS[field];
}

function mergeList(field: string, base: Json[], patch: Json[]): Json[] {
  const key = mergeKeyFor(field, patch);
  if (!key || !patch.every(isRecord)) return clone(patch).filter((v) => !(isRecord(v) && '$patch' in v));
  const out = clone(base);
  for (const item of patch as Record<string, Json>[]) {
    const index = out.findIndex((b) => isRecord(b) && b[key] === item[key]);
    if (item.$patch === 'delete') {
      if (index >= 0) out.splice(index, 1);
      continue;
    }
    if (index >= 0) out[index] = applyStrategicPatch(out[index], item);
    else out.push(applyStrategicPatch({}, item));
  }
  return out;
}

export function applyStrategicPatch(target: Json, patch: Json, field = ''): Json {
  if (Array.isArray(patch)) return mergeList(field, Array.isArray(target) ? target : [], patch);
  if (!isRecord(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _ignored, ...rest } = patch;
    return applyStrategicPatch({}, rest);
  }
  if (patch.$patch === 'delete') return undefined;
  const base: Record<string, Json> = isRecord(target) ? { ...target } : {};
  const retainKeys = Array.isArray(patch.$retainKeys) ? (patch.$retainKeys as string[]) : undefined;
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$setElementOrder/') || key === '$retainKeys' || key === '$patch') continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const listKey = key.slice('$deleteFromPrimitiveList/'.length);
      const list = base[listKey];
      if (Array.isArray(list) && Array.isArray(value)) base[listKey] = list.filter((v) => !value.includes(v));
      continue;
    }
    if (value === null) delete base[key];
    else {
      const merged = applyStrategicPatch(base[key], value, key);
      if (merged === undefined) delete base[key];
      else base[key] = merged;
    }
  }
  if (retainKeys) for (const key of Object.keys(base)) if (!retainKeys.includes(key) && !(key in patch)) delete base[key];
  return base;
}

/**
 * Server-side apply, simplified: the applied configuration is merged over the live
 * object (lists by their merge keys), and fields the same manager set before but
 * no longer sets are not tracked — enough for `kubectl apply --server-side` of the lab.
 */
export function applyServerSide(live: Json, applied: Json): Json {
  return applyStrategicPatch(live, applied);
}

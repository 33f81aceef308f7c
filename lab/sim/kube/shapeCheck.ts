// The check Kubernetes' JSON decoding makes before any validation: each field
// of a kind has a Go type, and a value of another JSON type cannot be decoded
// (`replicas: "many"`, ConfigMap `data` that is not a map of strings). The
// types come from the kind's protobuf message (./proto), the same schema the
// protobuf codec uses; the wording is Go's encoding/json.
import type protobuf from 'protobufjs';
import { messageTypeOf } from './protobufBody';

const META = '.k8s.io.apimachinery.pkg.apis.meta.v1';
/** Types whose JSON form is not their message's: what each accepts. */
const SPECIAL: Record<string, { goType: string; accepts: (v: unknown) => boolean }> = {
  [`${META}.Time`]: { goType: 'v1.Time', accepts: (v) => typeof v === 'string' },
  [`${META}.MicroTime`]: { goType: 'v1.MicroTime', accepts: (v) => typeof v === 'string' },
  '.k8s.io.apimachinery.pkg.util.intstr.IntOrString': { goType: 'intstr.IntOrString', accepts: (v) => typeof v === 'string' || Number.isInteger(v) },
  '.k8s.io.apimachinery.pkg.api.resource.Quantity': { goType: 'resource.Quantity', accepts: (v) => typeof v === 'string' || typeof v === 'number' },
  '.k8s.io.apimachinery.pkg.runtime.RawExtension': { goType: 'runtime.RawExtension', accepts: () => true },
  [`${META}.FieldsV1`]: { goType: 'v1.FieldsV1', accepts: () => true },
};
const INLINE = new Set(['VolumeSource', 'PersistentVolumeSource', 'LocalObjectReference', 'ProbeHandler', 'EphemeralContainerCommon']);

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  // Go names a fraction it cannot put in an integer by its value.
  if (typeof v === 'number' && !Number.isInteger(v)) return `number ${v}`;
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

const goName = (t: protobuf.Type): string => `${t.fullName.split('.').at(-2) ?? ''}.${t.name}`;

function scalarAccepts(type: string, v: unknown): boolean {
  if (type === 'string') return typeof v === 'string';
  if (type === 'bytes') return typeof v === 'string';
  if (type === 'bool') return typeof v === 'boolean';
  if (type === 'double' || type === 'float') return typeof v === 'number';
  if (typeof v === 'number' && !Number.isInteger(v)) return false;
  return typeof v === 'number' && Number.isInteger(v);
}

const scalarGo = (type: string): string => (type === 'bytes' ? '[]uint8' : type === 'double' ? 'float64' : type === 'float' ? 'float32' : type);

interface Found { jsonType: string; struct: string; path: string; goType: string }

function fieldGoType(field: protobuf.Field): string {
  const resolved = field.resolvedType as protobuf.Type | null;
  const one = resolved ? (SPECIAL[resolved.fullName]?.goType ?? goName(resolved)) : scalarGo(field.type);
  if (field.map) return `map[string]${one}`;
  return field.repeated ? `[]${one}` : one;
}

/** The first value Go could not decode, walking fields in order; nulls decode as zero values. */
function walk(type: protobuf.Type, obj: Record<string, unknown>, path: string): Found | undefined {
  for (const field of type.fieldsArray) {
    const resolved = field.resolvedType as protobuf.Type | null;
    if (resolved && INLINE.has(resolved.name) && !field.repeated && !field.map) {
      const found = walk(resolved, obj, path);
      if (found) return found;
      continue;
    }
    const v = obj[field.name];
    if (v === undefined || v === null) continue;
    const here = path ? `${path}.${field.name}` : field.name;
    const bad = (value: unknown, goType = fieldGoType(field)): Found => ({ jsonType: jsonKind(value), struct: type.name, path: here, goType });
    const checkOne = (x: unknown): Found | undefined => {
      if (x === null) return undefined;
      if (!resolved) return scalarAccepts(field.type, x) ? undefined : bad(x, scalarGo(field.type));
      const special = SPECIAL[resolved.fullName];
      if (special) return special.accepts(x) ? undefined : bad(x, special.goType);
      if (jsonKind(x) !== 'object') return bad(x, goName(resolved));
      return walk(resolved, x as Record<string, unknown>, here);
    };
    if (field.map) {
      if (jsonKind(v) !== 'object') return bad(v);
      for (const x of Object.values(v as Record<string, unknown>)) {
        const found = checkOne(x);
        if (found) return found;
      }
    } else if (field.repeated) {
      if (!Array.isArray(v)) return bad(v);
      for (const x of v) {
        const found = checkOne(x);
        if (found) return found;
      }
    } else {
      const found = checkOne(v);
      if (found) return found;
    }
  }
  return undefined;
}

/** Go's decode error for `obj` as its kind, or undefined when every field has a decodable value. */
export function decodeError(apiVersion: string, kind: string, obj: Record<string, unknown>): string | undefined {
  const type = messageTypeOf(apiVersion, kind);
  if (!type) return undefined;
  const found = walk(type, obj, '');
  if (!found) return undefined;
  return `json: cannot unmarshal ${found.jsonType} into Go struct field ${found.struct}.${found.path} of type ${found.goType}`;
}

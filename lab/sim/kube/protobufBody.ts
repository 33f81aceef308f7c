// Kubernetes' protobuf encoding for every kind the emulator serves: the body is
// "k8s\0" + runtime.Unknown{typeMeta{apiVersion, kind}, raw}, raw being the
// kind's message from the .proto files in ./proto (Kubernetes' field names and
// numbers). protobufjs reads and writes the messages; this file maps them to
// and from the JSON form the API server stores, as Kubernetes' own JSON
// marshalling does: meta.v1.Time as RFC 3339, IntOrString as a number or a
// string, Quantity as its string, RawExtension as the JSON it holds, bytes as
// base64, and fields Go leaves out (`omitempty`) left out.
import protobuf from 'protobufjs';
import { KUBE_PROTOS } from './proto/protoSource';
import { errors } from './status';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
export const PROTOBUF = 'application/vnd.kubernetes.protobuf';

type Plain = Record<string, unknown>;

let root: protobuf.Root | undefined;
function types(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  for (const text of Object.values(KUBE_PROTOS)) protobuf.parse(text, r, { keepCase: true });
  r.resolveAll();
  root = r;
  return r;
}

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const TIME = new Set([`.${META}.Time`, `.${META}.MicroTime`]);
const INT_OR_STRING = '.k8s.io.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = '.k8s.io.apimachinery.pkg.api.resource.Quantity';
const RAW = new Set(['.k8s.io.apimachinery.pkg.runtime.RawExtension', `.${META}.FieldsV1`]);
/** Go structs embedded with `json:""`: a field of their own in protobuf, their fields inline in JSON. */
const INLINE = new Set(['VolumeSource', 'PersistentVolumeSource', 'LocalObjectReference', 'ProbeHandler', 'EphemeralContainerCommon'].map((t) => `.k8s.io.api.core.v1.${t}`));

/**
 * Pointer fields in Go (`*int32`, `*int64`, `*bool`): a zero sent on the wire was set on purpose.
 * Every other scalar at its zero value is what `omitempty` leaves out of JSON.
 */
const POINTER_SCALARS = new Set(['replicas', 'terminationGracePeriodSeconds', 'activeDeadlineSeconds', 'revisionHistoryLimit', 'progressDeadlineSeconds', 'defaultMode', 'mode', 'priority', 'runAsUser', 'runAsGroup', 'fsGroup', 'deletionGracePeriodSeconds', 'gracePeriodSeconds', 'expirationSeconds', 'optional', 'automountServiceAccountToken', 'immutable', 'orphanDependents', 'allowPrivilegeEscalation', 'privileged', 'runAsNonRoot', 'readOnlyRootFilesystem', 'enableServiceLinks', 'shareProcessNamespace', 'hostUsers', 'ready', 'serving', 'terminating']);

/** The message type of a Kubernetes kind (apiVersion + kind). */
export function messageTypeOf(apiVersion: string, kind: string): protobuf.Type | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const pkg = kind === 'DeleteOptions' || kind === 'Status' || group === 'meta.k8s.io' ? META : `k8s.io.api.${group === '' ? 'core' : (group ?? '').split('.')[0]}.${version}`;
  try {
    return types().lookupType(`${pkg}.${kind}`);
  } catch {
    return undefined;
  }
}

function timeToJson(t: Plain, micro: boolean): string | undefined {
  const seconds = Number(t.seconds ?? 0);
  const nanos = Number(t.nanos ?? 0);
  if (seconds === 0 && nanos === 0) return undefined;
  const iso = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  return micro ? `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${iso}Z`;
}

function messageToJson(type: protobuf.Type, value: Plain): unknown {
  const name = type.fullName;
  if (TIME.has(name)) return timeToJson(value, name.endsWith('MicroTime'));
  if (name === INT_OR_STRING) return Number(value.type ?? 0) === 1 ? String(value.strVal ?? '') : Number(value.intVal ?? 0);
  if (name === QUANTITY) return String(value.string ?? '');
  if (RAW.has(name)) {
    const raw = typeof value.raw === 'string' ? Buffer.from(value.raw, 'base64').toString('utf8') : '';
    return raw === '' ? undefined : (JSON.parse(raw) as unknown);
  }
  const out: Plain = {};
  for (const field of type.fieldsArray) {
    const v = value[field.name];
    if (v === undefined || v === null) continue;
    const resolved = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
    const one = (x: unknown): unknown => (resolved ? messageToJson(resolved, x as Plain) : x);
    if (field.map) {
      const entries = Object.entries(v as Plain);
      if (entries.length > 0) out[field.name] = Object.fromEntries(entries.map(([k, x]) => [k, one(x)]));
    } else if (field.repeated) {
      if ((v as unknown[]).length > 0) out[field.name] = (v as unknown[]).map(one);
    } else if (resolved && INLINE.has(resolved.fullName)) {
      Object.assign(out, one(v));
    } else if (resolved) {
      const converted = one(v);
      if (converted !== undefined) out[field.name] = converted;
    } else if ((v !== '' && v !== false && v !== 0) || POINTER_SCALARS.has(field.name)) out[field.name] = v;
  }
  return out;
}

function jsonToMessage(type: protobuf.Type, value: unknown): unknown {
  const name = type.fullName;
  if (TIME.has(name)) {
    const ms = Date.parse(String(value));
    if (Number.isNaN(ms)) return {};
    const frac = /\.(\d+)Z$/.exec(String(value))?.[1] ?? '';
    return { seconds: Math.floor(ms / 1000), nanos: Number(frac.padEnd(9, '0').slice(0, 9)) };
  }
  if (name === INT_OR_STRING) return typeof value === 'number' ? { type: 0, intVal: value } : { type: 1, strVal: String(value) };
  if (name === QUANTITY) return { string: String(value) };
  if (RAW.has(name)) return { raw: Buffer.from(JSON.stringify(value)).toString('base64') };
  if (!value || typeof value !== 'object') return {};
  const obj = value as Plain;
  const out: Plain = {};
  for (const field of type.fieldsArray) {
    const resolved = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
    if (resolved && INLINE.has(resolved.fullName) && !field.repeated && !field.map) {
      out[field.name] = jsonToMessage(resolved, obj);
      continue;
    }
    const v = obj[field.name];
    if (v === undefined || v === null) continue;
    const one = (x: unknown): unknown => (resolved ? jsonToMessage(resolved, x) : x);
    if (field.map) out[field.name] = Object.fromEntries(Object.entries(v as Plain).map(([k, x]) => [k, one(x)]));
    else if (field.repeated) out[field.name] = Array.isArray(v) ? v.map(one) : [];
    else out[field.name] = one(v);
  }
  return out;
}

/** A request body in the `k8s\0` envelope, as the JSON object the API server works on. */
export function decodeProtobufBody(body: Buffer): Plain {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw errors.badRequest('protobuf body without the k8s envelope');
  let apiVersion = '';
  let kind = '';
  let json: unknown;
  try {
    const unknownType = types().lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
    const unknown = unknownType.decode(body.subarray(4)) as unknown as { typeMeta?: { apiVersion?: string; kind?: string }; raw?: Uint8Array };
    apiVersion = unknown.typeMeta?.apiVersion ?? '';
    kind = unknown.typeMeta?.kind ?? '';
    const type = messageTypeOf(apiVersion, kind);
    if (!type) throw errors.unsupportedMediaType(`${PROTOBUF} (no protobuf message for ${kind || 'an unnamed kind'} ${apiVersion})`);
    const message = type.decode(unknown.raw ?? new Uint8Array());
    json = messageToJson(type, type.toObject(message, { longs: Number, bytes: String }) as Plain);
  } catch (err) {
    if (err instanceof Error && 'code' in err) throw err;
    throw errors.badRequest(`the body of the request was in an unknown format: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { apiVersion, kind, ...(json as Plain) };
}

/** An object as a protobuf response body; undefined when its kind has no message here. */
export function encodeProtobufObject(obj: Plain): Buffer | undefined {
  const apiVersion = String(obj.apiVersion ?? '');
  const kind = String(obj.kind ?? '');
  const type = messageTypeOf(apiVersion, kind);
  if (!type) return undefined;
  const raw = type.encode(type.fromObject(jsonToMessage(type, obj) as Plain)).finish();
  const unknownType = types().lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  const envelope = unknownType.encode(unknownType.fromObject({ typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '' })).finish();
  return Buffer.concat([MAGIC, envelope]);
}

/** Whether the client takes protobuf and not JSON (client-go asks for both and decodes either). */
export function wantsOnlyProtobuf(accept: string | undefined): boolean {
  if (!accept || !accept.includes(PROTOBUF)) return false;
  return !/application\/json|\*\/\*/.test(accept);
}

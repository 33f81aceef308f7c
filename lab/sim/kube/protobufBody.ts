// kubectl's typed clients (`kubectl create namespace|configmap|secret`) send
// bodies as Kubernetes protobuf: "k8s\0" + runtime.Unknown{typeMeta, raw}. The
// emulator decodes the few simple kinds those commands create into JSON; other
// kinds are answered with 415 UnsupportedMediaType.
import protobuf from 'protobufjs';
import { errors } from './status';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
type Fields = Map<number, Uint8Array[]>;

function fields(bytes: Uint8Array): Fields {
  const reader = protobuf.Reader.create(bytes);
  const out: Fields = new Map();
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (wire === 2) {
      const value = reader.bytes();
      out.set(field, [...(out.get(field) ?? []), value]);
    } else reader.skipType(wire);
  }
  return out;
}

const text = (f: Fields, n: number): string | undefined => {
  const v = f.get(n)?.[0];
  return v === undefined ? undefined : Buffer.from(v).toString('utf8');
};

function stringMap(f: Fields, n: number, asBase64 = false): Record<string, string> | undefined {
  const entries = f.get(n);
  if (!entries) return undefined;
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const e = fields(entry);
    const value = e.get(2)?.[0] ?? new Uint8Array();
    out[text(e, 1) ?? ''] = asBase64 ? Buffer.from(value).toString('base64') : Buffer.from(value).toString('utf8');
  }
  return out;
}

function objectMeta(bytes: Uint8Array | undefined): Record<string, unknown> {
  if (!bytes) return {};
  const f = fields(bytes);
  const meta: Record<string, unknown> = {};
  const set = (key: string, value: unknown): void => {
    if (value !== undefined) meta[key] = value;
  };
  set('name', text(f, 1));
  set('generateName', text(f, 2));
  set('namespace', text(f, 3));
  set('labels', stringMap(f, 11));
  set('annotations', stringMap(f, 12));
  return meta;
}

export function decodeProtobufBody(body: Buffer): unknown {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw errors.badRequest('protobuf body without the k8s envelope');
  const unknown = fields(body.subarray(4));
  const typeMeta = fields(unknown.get(1)?.[0] ?? new Uint8Array());
  const apiVersion = text(typeMeta, 1) ?? '';
  const kind = text(typeMeta, 2) ?? '';
  const raw = fields(unknown.get(2)?.[0] ?? new Uint8Array());
  const metadata = objectMeta(raw.get(1)?.[0]);
  switch (kind) {
    case 'Namespace':
      return { apiVersion, kind, metadata };
    case 'ConfigMap':
      return { apiVersion, kind, metadata, ...(raw.has(2) ? { data: stringMap(raw, 2) } : {}), ...(raw.has(3) ? { binaryData: stringMap(raw, 3, true) } : {}) };
    default:
      throw errors.unsupportedMediaType(`application/vnd.kubernetes.protobuf (${kind || 'unknown kind'}; the lab emulator reads JSON)`);
  }
}

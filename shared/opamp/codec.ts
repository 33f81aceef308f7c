// protobufjs codec for AgentToServer / ServerToAgent, built from the embedded .proto text (no fs, so
// the renderer and the Node side share it).
import protobuf from 'protobufjs';
import { ANYVALUE_PROTO, OPAMP_PROTO } from './protoSource';
import type { AgentToServer, ServerToAgent } from './types';

function buildRoot(): protobuf.Root {
  const root = new protobuf.Root();
  protobuf.parse(ANYVALUE_PROTO, root, { keepCase: false });
  protobuf.parse(OPAMP_PROTO, root, { keepCase: false });
  root.resolveAll();
  return root;
}

let cached: { agentToServer: protobuf.Type; serverToAgent: protobuf.Type } | undefined;

function types() {
  if (!cached) {
    const root = buildRoot();
    cached = {
      agentToServer: root.lookupType('opamp.proto.AgentToServer'),
      serverToAgent: root.lookupType('opamp.proto.ServerToAgent'),
    };
  }
  return cached;
}

const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, enums: Number, defaults: false, arrays: false, objects: false };

function encodeWith(type: protobuf.Type, message: object): Uint8Array {
  const err = type.verify(message);
  if (err) throw new Error(`encode ${type.name}: ${err}`);
  return type.encode(type.fromObject(message as Record<string, unknown>)).finish();
}

function decodeWith<T>(type: protobuf.Type, bytes: Uint8Array): T {
  let decoded: protobuf.Message;
  try {
    decoded = type.decode(bytes);
  } catch (e) {
    throw new Error(`decode ${type.name}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return normalizeBytes(type.toObject(decoded, TO_OBJECT)) as T;
}

/** Node's protobufjs hands out Buffers; callers compare and hash plain Uint8Arrays. */
function normalizeBytes(value: unknown): unknown {
  if (value instanceof Uint8Array) {
    return value.constructor === Uint8Array ? value : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  if (Array.isArray(value)) return value.map(normalizeBytes);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = normalizeBytes(v);
    return out;
  }
  return value;
}

export function encodeAgentToServer(message: AgentToServer): Uint8Array {
  return encodeWith(types().agentToServer, message);
}

export function decodeAgentToServer(bytes: Uint8Array): AgentToServer {
  return decodeWith<AgentToServer>(types().agentToServer, bytes);
}

export function encodeServerToAgent(message: ServerToAgent): Uint8Array {
  return encodeWith(types().serverToAgent, message);
}

export function decodeServerToAgent(bytes: Uint8Array): ServerToAgent {
  return decodeWith<ServerToAgent>(types().serverToAgent, bytes);
}

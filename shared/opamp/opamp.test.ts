// Byte vectors below are built by hand from the protobuf wire rules (tag = field << 3 | wire type).
import { describe, expect, it } from 'vitest';
import {
  AgentCapabilities, bytesToHex, bytesToUuid, configMapHash, decodeAgentToServer, decodeServerToAgent, encodeAgentToServer,
  encodeServerToAgent, frameWsMessage, newUuidV7, sha256, unframeWsMessage, utf8Decode, utf8Encode, uuidToBytes,
} from './index';

const uid = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
const hex = bytesToHex;

describe('AgentToServer', () => {
  const wire = Uint8Array.from([0x0a, 0x10, ...uid, 0x10, 0x01, 0x20, 0xc7, 0x70]);

  it('encodes instance_uid (1, bytes), sequence_num (2, varint), capabilities (4, varint)', () => {
    const bytes = encodeAgentToServer({ instanceUid: uid, sequenceNum: 1, capabilities: 0x3847 });
    expect(hex(bytes)).toBe(hex(wire));
  });

  it('decodes to camelCase with Uint8Array bytes and number uint64', () => {
    const msg = decodeAgentToServer(wire);
    expect(msg.instanceUid).toEqual(uid);
    expect(msg.instanceUid?.constructor).toBe(Uint8Array);
    expect(msg.sequenceNum).toBe(1);
    expect(msg.capabilities).toBe(AgentCapabilities.ReportsStatus | 0x3846);
    expect(msg.health).toBeUndefined();
  });

  it('decodes health with fixed64 start time (5 → 2, wire type 1) and agent_disconnect (9)', () => {
    const health = [0x08, 0x01, 0x11, 0x00, 0xe4, 0x0b, 0x54, 0x02, 0x00, 0x00, 0x00, 0x1a, 0x02, 0x6f, 0x6b];
    const msg = decodeAgentToServer(Uint8Array.from([0x2a, health.length, ...health, 0x4a, 0x00]));
    expect(msg.health).toEqual({ healthy: true, startTimeUnixNano: 10_000_000_000, lastError: 'ok' });
    expect(msg.agentDisconnect).toEqual({});
  });

  it('decodes a string attribute of the description (3 → 2 → KeyValue → AnyValue.string_value)', () => {
    const anyValue = [0x0a, 0x01, 0x78];
    const kv = [0x0a, 0x01, 0x6b, 0x12, anyValue.length, ...anyValue];
    const msg = decodeAgentToServer(Uint8Array.from([0x1a, kv.length + 2, 0x12, kv.length, ...kv]));
    expect(msg.agentDescription?.nonIdentifyingAttributes).toEqual([{ key: 'k', value: { stringValue: 'x' } }]);
  });

  it('rejects truncated input with a clear error', () => {
    expect(() => decodeAgentToServer(Uint8Array.from([0x0a, 0x10, 1, 2]))).toThrow(/decode AgentToServer/);
  });
});

describe('ServerToAgent', () => {
  it('encodes remote_config with a "" config_map entry (map entry key 1, value 2)', () => {
    const bytes = encodeServerToAgent({ remoteConfig: { config: { configMap: { '': { body: Uint8Array.of(0x61) } } } } });
    expect(hex(bytes)).toBe('1a0b0a090a070a0012030a0161');
  });

  it('decodes a map entry without key as the "" key, and flags (6)', () => {
    const msg = decodeServerToAgent(Uint8Array.from([0x1a, 0x09, 0x0a, 0x07, 0x0a, 0x05, 0x12, 0x03, 0x0a, 0x01, 0x61, 0x30, 0x01]));
    expect(msg.remoteConfig?.config?.configMap?.['']?.body).toEqual(Uint8Array.of(0x61));
    expect(msg.flags).toBe(1);
  });

  it('round-trips an error response with retry info', () => {
    const msg = { errorResponse: { type: 1, errorMessage: 'bad', retryInfo: { retryAfterNanoseconds: 5e9 } } };
    expect(decodeServerToAgent(encodeServerToAgent(msg))).toEqual(msg);
  });
});

describe('WebSocket header', () => {
  it('prefixes 0x00 and strips it again; header-less legacy frames pass through', () => {
    const framed = frameWsMessage(Uint8Array.of(0x10, 0x01));
    expect([...framed]).toEqual([0x00, 0x10, 0x01]);
    expect([...unframeWsMessage(framed)]).toEqual([0x10, 0x01]);
    expect([...unframeWsMessage(Uint8Array.of(0x10, 0x01))]).toEqual([0x10, 0x01]);
    expect([...unframeWsMessage(Uint8Array.of(0x00))]).toEqual([]);
  });
});

describe('ids and hashes', () => {
  it('converts UUID text and bytes (lowercase 8-4-4-4-12)', () => {
    expect(bytesToUuid(uid)).toBe('01020304-0506-0708-090a-0b0c0d0e0f10');
    expect(uuidToBytes('01020304-0506-0708-090A-0B0C0D0E0F10')).toEqual(uid);
    expect(() => uuidToBytes('nope')).toThrow(/not a UUID/);
    expect(() => bytesToUuid(Uint8Array.of(1))).toThrow(/16 bytes/);
  });

  it('makes v7 UUIDs with the timestamp in front', () => {
    const id = newUuidV7(0x0123456789ab);
    expect(bytesToUuid(id)).toMatch(/^01234567-89ab-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('sha256 matches the FIPS 180-2 vectors; config hash of an empty "" body is the well-known value', () => {
    expect(hex(sha256(utf8Encode('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(sha256(utf8Encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    for (const text of ['', 'abc', 'ünïcødé 🚀']) expect(utf8Decode(utf8Encode(text))).toBe(text);
    expect([...utf8Encode('é')]).toEqual([0xc3, 0xa9]);
    expect(hex(configMapHash({ configMap: { '': { body: new Uint8Array() } } }))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

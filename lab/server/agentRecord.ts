// What the server keeps about one agent, and its JSON view (shared/serverApi.ts). The effective config is
// kept as text, decoded once per report and cut to the configured size, so listing agents costs nothing
// per heartbeat.
import {
  AgentCapabilities, anyValueText, bytesToHex, describeAgent, remoteConfigStatusName, utf8Decode, type AgentToServer, type EffectiveConfig,
  type KeyValue, type ServerToAgent,
} from '../../shared/opamp/index';
import type { ServerAgentView } from '../../shared/serverApi';
import { bytesText } from './limits';
import type { Overlay } from './overlay';

/** Where replies and pushes go: one per WebSocket connection, one per HTTP request. */
export interface AgentConnection {
  transport: 'websocket' | 'http';
  /** Pushes a message (WebSocket only); returns false when it cannot. */
  push(message: ServerToAgent): boolean;
  /** True while a WebSocket is open; always false for an HTTP request. */
  isOpen(): boolean;
  /** Hashes of remote configs already sent on this connection, to avoid resending on every heartbeat. */
  sentHashes: Set<string>;
  firstReplySent: boolean;
  /** instance_uid an agent on this connection claimed → the one the server assigned it instead. */
  renamed: Map<string, Uint8Array>;
  /** instance_uids of the agents this connection has reported for (multiplexing is bounded). */
  agents: Set<string>;
}

export interface KeptEffectiveConfig {
  text: string;
  /** Size of the config the agent reported. */
  reportedBytes: number;
  /** Size of `text`. */
  keptBytes: number;
  truncated: boolean;
  /** Says what was cut, when something was (worded once per report, not per view). */
  note?: string;
}

export interface AgentRecord {
  uid: string;
  uidBytes: Uint8Array;
  /** The agent's last report, merged; without effective_config (kept as `effective`). */
  status: AgentToServer;
  effective?: KeptEffectiveConfig;
  firstSeen: Date;
  lastSeen: Date;
  connected: boolean;
  connection?: AgentConnection;
  group: string;
  overlay?: Overlay;
  overlaySource?: 'agent' | 'group';
  /** Set when the agent arrived with an instance_uid another live connection held (it got this one). */
  duplicateOf?: string;
  waiters: Array<() => void>;
}

/**
 * A deep copy whose byte fields own their memory. Decoded bytes are views into the whole received frame,
 * so keeping even a 16-byte instance_uid from a 1 MiB report would keep the whole MiB alive.
 */
export function detached<T>(value: T): T {
  if (value instanceof Uint8Array) return value.slice() as T;
  if (Array.isArray(value)) return value.map(detached) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = detached(v);
    return out as T;
  }
  return value;
}

/** Joins the config map's bodies (the example server shows them concatenated) and cuts it to `maxBytes`. */
export function keepEffectiveConfig(config: EffectiveConfig, maxBytes: number): KeptEffectiveConfig {
  const bodies = Object.values(config.configMap?.configMap ?? {}).map((f) => f.body ?? new Uint8Array());
  const reportedBytes = bodies.reduce((n, b) => n + b.length, 0);
  if (reportedBytes <= maxBytes) return { text: bodies.map(utf8Decode).join(''), reportedBytes, keptBytes: reportedBytes, truncated: false };
  const joined = Buffer.concat(bodies.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)), reportedBytes);
  // Cutting may split a multi-byte character; drop the replacement character that leaves at the end.
  const text = joined.subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, '');
  const keptBytes = Buffer.byteLength(text);
  return { text, reportedBytes, keptBytes, truncated: true, note: `The agent reported ${bytesText(reportedBytes)}; the server keeps the first ${bytesText(keptBytes)}.` };
}

function attrs(list: KeyValue[] | undefined) {
  return (list ?? []).map((kv) => ({ key: kv.key ?? '', value: anyValueText(kv.value) }));
}

export function viewOf(rec: AgentRecord): ServerAgentView {
  const s = rec.status;
  const d = s.agentDescription;
  const h = s.health;
  const started = h?.healthy && h.startTimeUnixNano ? new Date(h.startTimeUnixNano / 1e6).toISOString() : undefined;
  const note = rec.effective?.note;
  return {
    instanceUid: rec.uid,
    group: rec.group,
    connected: rec.connected,
    transport: rec.connection?.transport ?? 'websocket',
    firstSeen: rec.firstSeen.toISOString(),
    lastSeen: rec.lastSeen.toISOString(),
    sequenceNum: s.sequenceNum ?? 0,
    capabilities: s.capabilities ?? 0,
    ...describeAgent(d),
    identifyingAttributes: attrs(d?.identifyingAttributes),
    nonIdentifyingAttributes: attrs(d?.nonIdentifyingAttributes),
    health: h ? { healthy: !!h.healthy, lastError: h.lastError ?? '', status: h.status ?? '', ...(started ? { upSince: started } : {}) } : undefined,
    effectiveConfig: rec.effective?.text ?? '',
    effectiveConfigReported: rec.effective !== undefined,
    ...(note ? { effectiveConfigNote: note } : {}),
    ...(rec.duplicateOf ? { duplicateOf: rec.duplicateOf } : {}),
    overlay: rec.overlay?.text ?? '',
    ...(rec.overlaySource ? { overlaySource: rec.overlaySource } : {}),
    overlayHash: offersRemoteConfig(rec) ? rec.overlay!.hash : '',
    remoteConfigStatus: {
      status: remoteConfigStatusName(s.remoteConfigStatus?.status),
      hash: bytesToHex(s.remoteConfigStatus?.lastRemoteConfigHash ?? new Uint8Array()),
      errorMessage: s.remoteConfigStatus?.errorMessage ?? '',
    },
  };
}

/** The server offers remote config only to agents with AcceptsRemoteConfig, once an overlay exists. */
export function offersRemoteConfig(rec: AgentRecord): boolean {
  return rec.overlay !== undefined && !!((rec.status.capabilities ?? 0) & AgentCapabilities.AcceptsRemoteConfig);
}

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
}

export interface KeptEffectiveConfig {
  text: string;
  /** Size of the config the agent reported. */
  reportedBytes: number;
  truncated: boolean;
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

/** Joins the config map's bodies (the example server shows them concatenated) and cuts it to `maxBytes`. */
export function keepEffectiveConfig(config: EffectiveConfig, maxBytes: number): KeptEffectiveConfig {
  const bodies = Object.values(config.configMap?.configMap ?? {}).map((f) => f.body ?? new Uint8Array());
  const reportedBytes = bodies.reduce((n, b) => n + b.length, 0);
  if (reportedBytes <= maxBytes) return { text: bodies.map(utf8Decode).join(''), reportedBytes, truncated: false };
  const joined = Buffer.concat(bodies.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)), reportedBytes);
  // Cutting may split a multi-byte character; drop the replacement character that leaves at the end.
  const text = joined.subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, '');
  return { text, reportedBytes, truncated: true };
}

export function truncationNote(kept: KeptEffectiveConfig | undefined): string | undefined {
  if (!kept?.truncated) return undefined;
  return `The agent reported ${bytesText(kept.reportedBytes)}; the server keeps the first ${bytesText(Buffer.byteLength(kept.text))}.`;
}

function attrs(list: KeyValue[] | undefined) {
  return (list ?? []).map((kv) => ({ key: kv.key ?? '', value: anyValueText(kv.value) }));
}

export function viewOf(rec: AgentRecord): ServerAgentView {
  const s = rec.status;
  const d = s.agentDescription;
  const h = s.health;
  const started = h?.healthy && h.startTimeUnixNano ? new Date(h.startTimeUnixNano / 1e6).toISOString() : undefined;
  const note = truncationNote(rec.effective);
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

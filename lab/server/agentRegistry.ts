// Agent registry and the server side of the OpAMP exchange: stores what each agent reports, decides
// what to answer (ReportFullState on gaps, remote config when the agent's hash differs), and keeps
// overlays per agent and per agent group.
import {
  AgentCapabilities, ServerCapabilities, ServerToAgentFlags, anyValueText, bytesToHex, bytesToUuid, configMapHash,
  describeAgent, remoteConfigStatusName, utf8Decode, utf8Encode,
} from '../../shared/opamp/index';
import type { AgentRemoteConfig, AgentToServer, ServerToAgent } from '../../shared/opamp/index';
import type { ServerAgentView } from '../../shared/serverApi';
import { agentGroup } from './agentGroup';

export const SERVER_CAPABILITIES =
  ServerCapabilities.AcceptsStatus | ServerCapabilities.OffersRemoteConfig | ServerCapabilities.AcceptsEffectiveConfig;

/** Where replies and pushes go: one per WebSocket connection, one per HTTP request. */
export interface AgentConnection {
  transport: 'websocket' | 'http';
  /** Pushes a message (WebSocket only); returns false when it cannot. */
  push(message: ServerToAgent): boolean;
  /** Hashes of remote configs already sent on this connection, to avoid resending on every heartbeat. */
  sentHashes: Set<string>;
  firstReplySent: boolean;
}

export interface AgentRecord {
  uid: string;
  uidBytes: Uint8Array;
  status: AgentToServer;
  firstSeen: Date;
  lastSeen: Date;
  connected: boolean;
  connection?: AgentConnection;
  group: string;
  overlay?: string;
  overlaySource?: 'agent' | 'group';
  waiters: Array<() => void>;
}

export class AgentRegistry {
  readonly agents = new Map<string, AgentRecord>();
  /** Last overlay saved for any agent of a group; handed to newcomers of that group. */
  readonly groupOverlays = new Map<string, string>();
  private readonly listeners = new Set<(uid: string, removed: boolean) => void>();

  constructor(private readonly log: (line: string) => void = () => {}) {}

  onChange(listener: (uid: string, removed: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(uid: string, removed = false): void {
    for (const l of this.listeners) l(uid, removed);
  }

  /** Handles one AgentToServer and returns the reply. Throws on a message that must be rejected. */
  handle(msg: AgentToServer, conn: AgentConnection): ServerToAgent {
    const uidBytes = msg.instanceUid ?? new Uint8Array();
    if (uidBytes.length !== 16) throw new Error(`instance_uid must be 16 bytes but is ${uidBytes.length} bytes long`);
    const uid = bytesToUuid(uidBytes);
    const now = new Date();
    let rec = this.agents.get(uid);
    const isNew = !rec;
    const lostUpdate = !rec || msg.sequenceNum !== (rec.status.sequenceNum ?? 0) + 1;
    if (!rec) {
      rec = { uid, uidBytes, status: {}, firstSeen: now, lastSeen: now, connected: true, group: `uid:${uid}`, waiters: [] };
      this.agents.set(uid, rec);
      this.log(`[AGENTS] new agent ${uid} over ${conn.transport}`);
    }
    rec.lastSeen = now;
    rec.connection = conn;
    rec.connected = !msg.agentDisconnect;
    this.merge(rec, msg);
    if (msg.agentDescription || isNew) this.adoptGroup(rec);

    const reply: ServerToAgent = { instanceUid: uidBytes };
    if (!conn.firstReplySent) {
      reply.capabilities = SERVER_CAPABILITIES;
      conn.firstReplySent = true;
    }
    if (lostUpdate && this.missingState(rec)) reply.flags = ServerToAgentFlags.ReportFullState;
    const offer = this.remoteConfigFor(rec);
    if (offer && !msg.agentDisconnect) {
      const hex = bytesToHex(offer.configHash!);
      const reported = bytesToHex(rec.status.remoteConfigStatus?.lastRemoteConfigHash ?? new Uint8Array());
      if (reported !== hex && !conn.sentHashes.has(hex)) {
        reply.remoteConfig = offer;
        conn.sentHashes.add(hex);
      }
    }
    const waiters = rec.waiters.splice(0);
    for (const w of waiters) w();
    this.changed(uid);
    return reply;
  }

  private merge(rec: AgentRecord, msg: AgentToServer): void {
    const s = rec.status;
    s.sequenceNum = msg.sequenceNum ?? 0;
    if (msg.capabilities !== undefined) s.capabilities = msg.capabilities;
    if (msg.agentDescription) s.agentDescription = msg.agentDescription;
    if (msg.health) s.health = msg.health;
    if (msg.effectiveConfig) s.effectiveConfig = msg.effectiveConfig;
    if (msg.flags !== undefined) s.flags = msg.flags;
    if (msg.remoteConfigStatus) {
      const before = remoteConfigStatusName(s.remoteConfigStatus?.status);
      s.remoteConfigStatus = msg.remoteConfigStatus;
      const after = remoteConfigStatusName(msg.remoteConfigStatus.status);
      if (before !== after) {
        const err = msg.remoteConfigStatus.errorMessage ? `: ${msg.remoteConfigStatus.errorMessage}` : '';
        this.log(`[AGENTS] ${rec.uid} remote config ${after}${err}`);
      }
    }
    if (msg.packageStatuses) s.packageStatuses = msg.packageStatuses;
    if (msg.customCapabilities) s.customCapabilities = msg.customCapabilities;
  }

  private missingState(rec: AgentRecord): boolean {
    const caps = rec.status.capabilities ?? 0;
    const s = rec.status;
    return !s.agentDescription
      || (!!(caps & AgentCapabilities.ReportsEffectiveConfig) && !s.effectiveConfig)
      || (!!(caps & AgentCapabilities.ReportsHealth) && !s.health)
      || (!!(caps & AgentCapabilities.ReportsRemoteConfig) && !s.remoteConfigStatus);
  }

  private adoptGroup(rec: AgentRecord): void {
    rec.group = agentGroup(rec.status.agentDescription, rec.uid);
    if (rec.overlay !== undefined) return;
    const kept = this.groupOverlays.get(rec.group);
    if (kept !== undefined) {
      rec.overlay = kept;
      rec.overlaySource = 'group';
      this.log(`[AGENTS] ${rec.uid} joins group ${rec.group}: sending its kept overlay`);
    }
  }

  remoteConfigFor(rec: AgentRecord): AgentRemoteConfig | undefined {
    if (rec.overlay === undefined) return undefined;
    if (!((rec.status.capabilities ?? 0) & AgentCapabilities.AcceptsRemoteConfig)) return undefined;
    const config = { configMap: { '': { body: utf8Encode(rec.overlay) } } };
    return { config, configHash: configMapHash(config) };
  }

  /** Saves an overlay, pushes it over WebSocket, and resolves true when the agent's next report arrives. */
  setOverlay(uid: string, text: string, waitMs: number): Promise<boolean> {
    const rec = this.agents.get(uid);
    if (!rec) return Promise.reject(new Error(`unknown agent ${uid}`));
    const unchanged = rec.overlay === text && rec.overlaySource === 'agent';
    rec.overlay = text;
    rec.overlaySource = 'agent';
    this.groupOverlays.set(rec.group, text);
    this.changed(uid);
    if (unchanged) return Promise.resolve(true);
    const offer = this.remoteConfigFor(rec);
    const conn = rec.connection;
    if (offer && conn && rec.connected && conn.transport === 'websocket') {
      conn.sentHashes.add(bytesToHex(offer.configHash!));
      conn.push({ instanceUid: rec.uidBytes, remoteConfig: offer });
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        rec.waiters = rec.waiters.filter((w) => w !== done);
        resolve(false);
      }, waitMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      rec.waiters.push(done);
    });
  }

  connectionClosed(conn: AgentConnection): void {
    for (const rec of this.agents.values()) {
      if (rec.connection === conn && rec.connected) {
        rec.connected = false;
        this.log(`[AGENTS] ${rec.uid} disconnected`);
        this.changed(rec.uid);
      }
    }
  }

  /** Forgets agents that have been disconnected longer than maxAgeMs (their group overlay stays). */
  prune(maxAgeMs: number, now = Date.now()): void {
    for (const [uid, rec] of this.agents) {
      if (!rec.connected && now - rec.lastSeen.getTime() > maxAgeMs) {
        this.agents.delete(uid);
        this.changed(uid, true);
      }
    }
  }

  view(rec: AgentRecord): ServerAgentView {
    const s = rec.status;
    const d = s.agentDescription;
    const attrs = (list: typeof d extends undefined ? never : NonNullable<typeof d>['identifyingAttributes']) =>
      (list ?? []).map((kv) => ({ key: kv.key ?? '', value: anyValueText(kv.value) }));
    const offer = this.remoteConfigFor(rec);
    const h = s.health;
    const started = h?.healthy && h.startTimeUnixNano ? new Date(h.startTimeUnixNano / 1e6).toISOString() : undefined;
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
      effectiveConfig: Object.values(s.effectiveConfig?.configMap?.configMap ?? {}).map((f) => utf8Decode(f.body ?? new Uint8Array())).join(''),
      overlay: rec.overlay ?? '',
      ...(rec.overlaySource ? { overlaySource: rec.overlaySource } : {}),
      overlayHash: offer ? bytesToHex(offer.configHash!) : '',
      remoteConfigStatus: {
        status: remoteConfigStatusName(s.remoteConfigStatus?.status),
        hash: bytesToHex(s.remoteConfigStatus?.lastRemoteConfigHash ?? new Uint8Array()),
        errorMessage: s.remoteConfigStatus?.errorMessage ?? '',
      },
    };
  }
}

// Agent registry and the server side of the OpAMP exchange: stores what each agent reports (bounded),
// decides what to answer (ReportFullState on gaps, remote config when the agent's hash differs), keeps
// overlays per agent and per agent group (through the OverlayStore), and never lets a second connection
// take over a live agent's record.
import {
  AgentCapabilities, AgentToServerFlags, ServerCapabilities, ServerErrorResponseType, ServerToAgentFlags, bytesToHex, bytesToUuid,
  encodeAgentToServer, newUuidV7, remoteConfigStatusName,
} from '../../shared/opamp/index';
import type { AgentToServer, ServerToAgent } from '../../shared/opamp/index';
import type { ServerAgentView } from '../../shared/serverApi';
import { agentGroup } from './agentGroup';
import {
  detached, keepEffectiveConfig, offersRemoteConfig, viewOf, type AgentConnection, type AgentRecord,
} from './agentRecord';
import { HttpError } from './httpUtil';
import { DEFAULT_LIMITS, bytesText, type ServerLimits } from './limits';
import { makeOverlay } from './overlay';
import { OverlayStore } from './overlayStore';

export type { AgentConnection, AgentRecord } from './agentRecord';

export const SERVER_CAPABILITIES =
  ServerCapabilities.AcceptsStatus | ServerCapabilities.OffersRemoteConfig | ServerCapabilities.AcceptsEffectiveConfig;

/** An HTTP-transport agent that has not polled for this long is shown as disconnected (3 default polls). */
export const HTTP_AGENT_STALE_MS = 90_000;

/** A message the server refuses; the connection gets a BadRequest error response and this close code. */
export class AgentRejected extends Error {
  constructor(message: string, readonly closeCode = 1002, readonly errorType: number = ServerErrorResponseType.BadRequest) {
    super(message);
  }
}

export interface AgentRegistryOptions {
  limits?: ServerLimits;
  overlays?: OverlayStore;
  log?: (line: string) => void;
}

export class AgentRegistry {
  readonly agents = new Map<string, AgentRecord>();
  readonly overlays: OverlayStore;
  private readonly limits: ServerLimits;
  private readonly log: (line: string) => void;
  private readonly listeners = new Set<(uid: string, removed: boolean) => void>();

  constructor(opts: AgentRegistryOptions = {}) {
    this.limits = opts.limits ?? DEFAULT_LIMITS;
    this.log = opts.log ?? (() => {});
    this.overlays = opts.overlays ?? new OverlayStore({ maxAgents: this.limits.maxStoredAgentOverlays, maxGroups: this.limits.maxStoredGroupOverlays, log: this.log });
  }

  onChange(listener: (uid: string, removed: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(uid: string, removed = false): void {
    for (const l of this.listeners) l(uid, removed);
  }

  /** Handles one AgentToServer and returns the reply. Throws AgentRejected on a message it refuses. */
  handle(msg: AgentToServer, conn: AgentConnection): ServerToAgent {
    const claimedBytes = msg.instanceUid ?? new Uint8Array();
    if (claimedBytes.length !== 16) throw new AgentRejected(`instance_uid must be 16 bytes but is ${claimedBytes.length} bytes long`);
    this.checkStatusSize(msg);
    const claimed = bytesToUuid(claimedBytes);
    let uidBytes = conn.renamed.get(claimed) ?? claimedBytes;
    let rec = this.agents.get(bytesToUuid(uidBytes));
    let duplicateOf: string | undefined;
    const heldElsewhere = rec !== undefined && rec.connection !== conn && rec.connected && !!rec.connection?.isOpen();
    const asksForUid = !rec && !!((msg.flags ?? 0) & AgentToServerFlags.RequestInstanceUid);
    if (uidBytes === claimedBytes && (heldElsewhere || asksForUid)) {
      // Spec: a server that detects a duplicate SHOULD assign a new instance_uid. The newcomer gets its own
      // record under the new uid (flagged), so it can never overwrite or receive the live agent's state.
      uidBytes = newUuidV7();
      conn.renamed.set(claimed, uidBytes);
      if (heldElsewhere) {
        duplicateOf = claimed;
        this.log(`[AGENTS] instance_uid ${claimed} is already connected on another connection; the newcomer is assigned ${bytesToUuid(uidBytes)}`);
      }
      rec = undefined;
    }
    const uid = bytesToUuid(uidBytes);
    const now = new Date();
    const isNew = !rec;
    const lostUpdate = !rec || msg.sequenceNum !== (rec.status.sequenceNum ?? 0) + 1;
    if (!rec) {
      this.admit(conn);
      rec = { uid, uidBytes: detached(uidBytes), status: {}, firstSeen: now, lastSeen: now, connected: true, group: `uid:${uid}`, waiters: [], ...(duplicateOf ? { duplicateOf } : {}) };
      this.agents.set(uid, rec);
      this.log(`[AGENTS] new agent ${uid} over ${conn.transport}`);
    }
    rec.lastSeen = now;
    rec.connection = conn;
    conn.agents.add(uid);
    rec.connected = !msg.agentDisconnect;
    this.merge(rec, msg);
    if (msg.agentDescription || isNew) this.adoptGroup(rec);

    // instance_uid echoes what the agent sent, so a multiplexing client routes the reply (spec).
    const reply: ServerToAgent = { instanceUid: claimedBytes };
    if (uid !== claimed) reply.agentIdentification = { newInstanceUid: uidBytes };
    if (!conn.firstReplySent) {
      reply.capabilities = SERVER_CAPABILITIES;
      conn.firstReplySent = true;
    }
    if (lostUpdate && this.missingState(rec)) reply.flags = ServerToAgentFlags.ReportFullState;
    if (offersRemoteConfig(rec) && !msg.agentDisconnect) {
      const overlay = rec.overlay!;
      const reported = bytesToHex(rec.status.remoteConfigStatus?.lastRemoteConfigHash ?? new Uint8Array());
      if (reported !== overlay.hash && !conn.sentHashes.has(overlay.hash)) {
        reply.remoteConfig = overlay.offer;
        conn.sentHashes.add(overlay.hash);
      }
    }
    for (const w of rec.waiters.splice(0)) w();
    if (msg.agentDisconnect) this.enforceDisconnectedCap();
    this.changed(uid);
    return reply;
  }

  /** Room for one more agent record: multiplexing per connection and the records in all are bounded. */
  private admit(conn: AgentConnection): void {
    const { maxAgentsPerConnection, maxAgents } = this.limits;
    if (conn.agents.size >= maxAgentsPerConnection) {
      throw new AgentRejected(`this connection already reports for ${maxAgentsPerConnection} agents, the most this server accepts on one connection`, 1008);
    }
    if (this.agents.size < maxAgents) return;
    const oldest = [...this.agents.values()].filter((r) => !r.connected).sort((a, b) => a.lastSeen.getTime() - b.lastSeen.getTime())[0];
    if (oldest) {
      this.agents.delete(oldest.uid);
      this.changed(oldest.uid, true);
      return;
    }
    throw new AgentRejected(`the server holds ${maxAgents} agents, its limit; try again later`, 1013, ServerErrorResponseType.Unavailable);
  }

  /** Everything but the effective config, as kept; refused above the limit (it is sent only on change). */
  private checkStatusSize(msg: AgentToServer): void {
    const { agentDescription, health, packageStatuses, customCapabilities } = msg;
    if (!agentDescription && !health && !packageStatuses && !customCapabilities) return;
    const size = encodeAgentToServer({ agentDescription, health, packageStatuses, customCapabilities }).length;
    const max = this.limits.maxAgentStatusBytes;
    if (size > max) throw new AgentRejected(`agent status (description, health, package statuses, custom capabilities) of ${bytesText(size)} is larger than the ${bytesText(max)} this server keeps per agent`, 1009);
  }

  private merge(rec: AgentRecord, msg: AgentToServer): void {
    const s = rec.status;
    s.sequenceNum = msg.sequenceNum ?? 0;
    if (msg.capabilities !== undefined) s.capabilities = msg.capabilities;
    if (msg.agentDescription) s.agentDescription = detached(msg.agentDescription);
    if (msg.health) s.health = detached(msg.health);
    if (msg.flags !== undefined) s.flags = msg.flags;
    if (msg.effectiveConfig) {
      rec.effective = keepEffectiveConfig(msg.effectiveConfig, this.limits.maxEffectiveConfigBytes);
      if (rec.effective.note) this.log(`[AGENTS] ${rec.uid} effective config cut: ${rec.effective.note}`);
    }
    if (msg.remoteConfigStatus) {
      const before = remoteConfigStatusName(s.remoteConfigStatus?.status);
      s.remoteConfigStatus = detached(msg.remoteConfigStatus);
      const after = remoteConfigStatusName(msg.remoteConfigStatus.status);
      if (before !== after) {
        const err = msg.remoteConfigStatus.errorMessage ? `: ${msg.remoteConfigStatus.errorMessage}` : '';
        this.log(`[AGENTS] ${rec.uid} remote config ${after}${err}`);
      }
    }
    if (msg.packageStatuses) s.packageStatuses = detached(msg.packageStatuses);
    if (msg.customCapabilities) s.customCapabilities = detached(msg.customCapabilities);
  }

  private missingState(rec: AgentRecord): boolean {
    const caps = rec.status.capabilities ?? 0;
    const s = rec.status;
    return !s.agentDescription
      || (!!(caps & AgentCapabilities.ReportsEffectiveConfig) && !rec.effective)
      || (!!(caps & AgentCapabilities.ReportsHealth) && !s.health)
      || (!!(caps & AgentCapabilities.ReportsRemoteConfig) && !s.remoteConfigStatus);
  }

  /** An overlay saved for this very instance wins; else a newcomer inherits its group's latest overlay. */
  private adoptGroup(rec: AgentRecord): void {
    rec.group = agentGroup(rec.status.agentDescription, rec.uid);
    if (rec.overlay !== undefined) return;
    const own = this.overlays.forAgent(rec.uid);
    if (own) {
      rec.overlay = own;
      rec.overlaySource = 'agent';
      this.log(`[AGENTS] ${rec.uid} has a saved overlay: offering it again`);
      return;
    }
    const kept = this.overlays.forGroup(rec.group);
    if (kept) {
      rec.overlay = kept;
      rec.overlaySource = 'group';
      this.log(`[AGENTS] ${rec.uid} joins group ${rec.group}: sending its kept overlay`);
    }
  }

  /** Saves an overlay, pushes it over WebSocket, and resolves true when the agent's next report arrives. */
  setOverlay(uid: string, text: string, waitMs: number): Promise<boolean> {
    const rec = this.agents.get(uid);
    if (!rec) return Promise.reject(new HttpError(404, `unknown agent ${uid}`));
    const bytes = Buffer.byteLength(text);
    if (bytes > this.limits.maxOverlayBytes) {
      return Promise.reject(new HttpError(413, `the overlay is ${bytesText(bytes)}; this server accepts overlays up to ${bytesText(this.limits.maxOverlayBytes)}`));
    }
    const unchanged = rec.overlay?.text === text && rec.overlaySource === 'agent';
    const overlay = rec.overlay?.text === text ? rec.overlay : makeOverlay(text);
    rec.overlay = overlay;
    rec.overlaySource = 'agent';
    if (!unchanged) void this.overlays.save(rec.uid, rec.group, overlay);
    this.changed(uid);
    if (unchanged) return Promise.resolve(true);
    const conn = rec.connection;
    if (offersRemoteConfig(rec) && conn && rec.connected && conn.isOpen()) {
      conn.sentHashes.add(overlay.hash);
      conn.push({ instanceUid: rec.uidBytes, remoteConfig: overlay.offer });
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
    this.enforceDisconnectedCap();
  }

  /**
   * Marks HTTP agents that stopped polling as disconnected and forgets agents disconnected longer than
   * forgetDisconnectedMs (their saved overlays stay in the overlay store).
   */
  prune(now = Date.now()): void {
    for (const [uid, rec] of this.agents) {
      const idle = now - rec.lastSeen.getTime();
      if (rec.connected && rec.connection?.transport === 'http' && idle > HTTP_AGENT_STALE_MS) {
        rec.connected = false;
        this.changed(uid);
      }
      if (!rec.connected && idle > this.limits.forgetDisconnectedMs) {
        this.agents.delete(uid);
        this.changed(uid, true);
      }
    }
    this.enforceDisconnectedCap();
  }

  private enforceDisconnectedCap(): void {
    const gone = [...this.agents.values()].filter((r) => !r.connected);
    const excess = gone.length - this.limits.maxDisconnectedAgents;
    if (excess <= 0) return;
    for (const rec of gone.sort((a, b) => a.lastSeen.getTime() - b.lastSeen.getTime()).slice(0, excess)) {
      this.agents.delete(rec.uid);
      this.changed(rec.uid, true);
    }
  }

  view(rec: AgentRecord): ServerAgentView {
    return viewOf(rec);
  }
}

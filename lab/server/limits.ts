// Every bound the lab server holds itself to, in one place (documented in README.md "Limits"). The server
// is unauthenticated and reachable through the app's local forwards, so nothing a peer sends may grow
// memory, sockets or CPU without a stated limit.

export interface ServerLimits {
  /** Largest accepted OpAMP message: WebSocket close 1009 / HTTP 413 above it. */
  maxMessageBytes: number;
  /** Effective config text kept per agent; a larger report is kept cut to this size with a note. */
  maxEffectiveConfigBytes: number;
  /** Everything else kept per agent (description, health, packages, custom capabilities), encoded. */
  maxAgentStatusBytes: number;
  /** Largest overlay ("Additional Configuration") accepted from the UI, /api or REST. */
  maxOverlayBytes: number;
  /** Largest request body on the UI and REST ports (form encoding can triple an overlay). */
  maxRequestBodyBytes: number;
  /** Open agent WebSockets; one more is refused with 503 + Retry-After and a reason. */
  maxAgentConnections: number;
  /** Open TCP sockets on the OpAMP port (WebSockets, HTTP polls, handshakes); above it new ones are closed. */
  maxOpampSockets: number;
  /** Time to send the request headers (plain and TLS, TLS handshake included); 408 and close after. */
  headersTimeoutMs: number;
  /** Time to send a whole request (headers and body). */
  requestTimeoutMs: number;
  /** An idle keep-alive HTTP connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** A WebSocket that sends no AgentToServer within this is closed (1008). */
  firstMessageTimeoutMs: number;
  /** WebSocket ping interval; a peer that misses a whole interval's pong is dropped. */
  pingIntervalMs: number;
  /** Agent records in all (connected or not); a new agent above it is refused as Unavailable. */
  maxAgents: number;
  /** Agents multiplexed on one WebSocket (distinct instance_uids it reports for). */
  maxAgentsPerConnection: number;
  /** Disconnected agents are forgotten after this long (their overlays stay in the overlay store). */
  forgetDisconnectedMs: number;
  /** At most this many disconnected agents are kept listed; the oldest go first. */
  maxDisconnectedAgents: number;
  /** Open /api/events streams; one more gets 503. */
  maxEventStreams: number;
  /** Bytes an /api/events stream may have queued unread before it is dropped. */
  maxEventBacklogBytes: number;
  /** Open sockets per UI / REST listener (Node's maxConnections). */
  maxHttpSockets: number;
  /** Overlays remembered per agent instance and per agent group in the store (oldest dropped first). */
  maxStoredAgentOverlays: number;
  maxStoredGroupOverlays: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;

export const DEFAULT_LIMITS: ServerLimits = {
  // The spec's 64 MiB suggestion is for production fleets; here every open connection may hold one
  // message in flight, so the per-message bound is what caps the worst case.
  maxMessageBytes: 4 * MiB,
  // A lab collector config is a few KiB; 128 KiB leaves room for large real ones.
  maxEffectiveConfigBytes: 128 * KiB,
  maxAgentStatusBytes: 64 * KiB,
  maxOverlayBytes: 128 * KiB,
  maxRequestBodyBytes: 1 * MiB,
  maxAgentConnections: 1024,
  maxOpampSockets: 1024 + 128,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  firstMessageTimeoutMs: 30_000,
  pingIntervalMs: 30_000,
  maxAgents: 2048,
  maxAgentsPerConnection: 16,
  forgetDisconnectedMs: 10 * 60_000,
  maxDisconnectedAgents: 200,
  maxEventStreams: 32,
  maxEventBacklogBytes: 1 * MiB,
  maxHttpSockets: 256,
  maxStoredAgentOverlays: 128,
  maxStoredGroupOverlays: 64,
};

export function withLimits(overrides: Partial<ServerLimits> | undefined): ServerLimits {
  return { ...DEFAULT_LIMITS, ...(overrides ?? {}) };
}

/** "262,144 bytes" — limits appear in messages people read. */
export function bytesText(n: number): string {
  // Not toLocaleString: Intl formatting is slow enough to show when a page lists 100 agents.
  return `${String(Math.round(n)).replace(/\B(?=(\d{3})+$)/g, ',')} bytes`;
}

// JSON shapes of the lab OpAMP server's /api (UI port). Pure types, consumed by the engine and renderer.

export type RemoteConfigStatusText = 'UNSET' | 'APPLIED' | 'APPLYING' | 'FAILED';

export interface ServerAttribute {
  key: string;
  value: string;
}

export interface ServerAgentHealth {
  healthy: boolean;
  lastError: string;
  status: string;
  /** ISO time the agent reports it started, when healthy. */
  upSince?: string;
}

export interface ServerAgentView {
  /** Lowercase 8-4-4-4-12. */
  instanceUid: string;
  /** Stable key that survives a new instance_uid after a pod restart (see lab/server/README.md). */
  group: string;
  connected: boolean;
  transport: 'websocket' | 'http';
  firstSeen: string;
  lastSeen: string;
  sequenceNum: number;
  capabilities: number;
  serviceName?: string;
  serviceVersion?: string;
  hostName?: string;
  identifyingAttributes: ServerAttribute[];
  nonIdentifyingAttributes: ServerAttribute[];
  health?: ServerAgentHealth;
  effectiveConfig: string;
  /** false until the agent has reported an effective config at all ('' may then be a real, empty one). */
  effectiveConfigReported?: boolean;
  /** Set when the reported config was larger than the server keeps (it is then cut to that size). */
  effectiveConfigNote?: string;
  /** The instance_uid this agent first claimed, when another live connection held it (see lab/server). */
  duplicateOf?: string;
  /** The "Additional Configuration" text the server wants this agent to run ('' when none). */
  overlay: string;
  /** 'agent' = saved for this agent; 'group' = inherited from an earlier agent of the same group. */
  overlaySource?: 'agent' | 'group';
  /** Lowercase hex SHA-256 of the overlay as sent in config_hash; '' when nothing is offered. */
  overlayHash: string;
  remoteConfigStatus: {
    status: RemoteConfigStatusText;
    /** Lowercase hex of last_remote_config_hash. */
    hash: string;
    errorMessage: string;
  };
}

export interface ServerAgentsResponse {
  agents: ServerAgentView[];
}

export interface ServerAgentResponse {
  agent: ServerAgentView;
}

export interface SetOverlayRequest {
  config: string;
  /** Milliseconds to wait for the agent's next status report (default 5000, max 30000). */
  waitMs?: number;
}

export interface SetOverlayResponse {
  agent: ServerAgentView;
  /** true when the agent reported status after the overlay was sent, within waitMs. */
  acknowledged: boolean;
}

export interface ServerApiError {
  error: string;
}

/** Events on GET /api/events (text/event-stream, `data:` lines hold one ServerEvent as JSON). */
export type ServerEvent =
  | { type: 'snapshot'; agents: ServerAgentView[] }
  | { type: 'agent'; agent: ServerAgentView }
  | { type: 'removed'; instanceUid: string };

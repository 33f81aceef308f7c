// Enum values of opamp.proto v0.14.0 as plain constants (bit masks for capabilities and flags).

export const AgentCapabilities = {
  ReportsStatus: 0x1,
  AcceptsRemoteConfig: 0x2,
  ReportsEffectiveConfig: 0x4,
  AcceptsPackages: 0x8,
  ReportsPackageStatuses: 0x10,
  ReportsOwnTraces: 0x20,
  ReportsOwnMetrics: 0x40,
  ReportsOwnLogs: 0x80,
  AcceptsOpAMPConnectionSettings: 0x100,
  AcceptsOtherConnectionSettings: 0x200,
  AcceptsRestartCommand: 0x400,
  ReportsHealth: 0x800,
  ReportsRemoteConfig: 0x1000,
  ReportsHeartbeat: 0x2000,
  ReportsAvailableComponents: 0x4000,
  ReportsConnectionSettingsStatus: 0x8000,
} as const;

/** Every bit the v0.14.0 spec defines; anything outside is an undefined capability. */
export const ALL_AGENT_CAPABILITIES = 0xffff;

export const ServerCapabilities = {
  AcceptsStatus: 0x1,
  OffersRemoteConfig: 0x2,
  AcceptsEffectiveConfig: 0x4,
  OffersPackages: 0x8,
  AcceptsPackagesStatus: 0x10,
  OffersConnectionSettings: 0x20,
  AcceptsConnectionSettingsRequest: 0x40,
} as const;

export const AgentToServerFlags = { RequestInstanceUid: 0x1 } as const;

export const ServerToAgentFlags = { ReportFullState: 0x1, ReportAvailableComponents: 0x2 } as const;

export const RemoteConfigStatuses = { UNSET: 0, APPLIED: 1, APPLYING: 2, FAILED: 3 } as const;

export const REMOTE_CONFIG_STATUS_NAMES = ['UNSET', 'APPLIED', 'APPLYING', 'FAILED'] as const;
export type RemoteConfigStatusName = (typeof REMOTE_CONFIG_STATUS_NAMES)[number];

export function remoteConfigStatusName(status: number | undefined): RemoteConfigStatusName {
  return REMOTE_CONFIG_STATUS_NAMES[status ?? 0] ?? 'UNSET';
}

export const ServerErrorResponseType = { Unknown: 0, BadRequest: 1, Unavailable: 2 } as const;

export const CommandType = { Restart: 0 } as const;

// TypeScript shapes of the OpAMP messages (camelCase, bytes as Uint8Array, uint64/fixed64 as number).
// Every field is optional, as in proto3: an absent field decodes as undefined.

export interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
  bytesValue?: Uint8Array;
}

export interface KeyValue {
  key?: string;
  value?: AnyValue;
}

export interface AgentDescription {
  identifyingAttributes?: KeyValue[];
  nonIdentifyingAttributes?: KeyValue[];
}

export interface ComponentHealth {
  healthy?: boolean;
  startTimeUnixNano?: number;
  lastError?: string;
  status?: string;
  statusTimeUnixNano?: number;
  componentHealthMap?: Record<string, ComponentHealth>;
}

export interface AgentConfigFile {
  body?: Uint8Array;
  contentType?: string;
}

export interface AgentConfigMap {
  configMap?: Record<string, AgentConfigFile>;
}

export interface EffectiveConfig {
  configMap?: AgentConfigMap;
}

export interface RemoteConfigStatus {
  lastRemoteConfigHash?: Uint8Array;
  status?: number;
  errorMessage?: string;
}

export interface AgentRemoteConfig {
  config?: AgentConfigMap;
  configHash?: Uint8Array;
}

export interface Header { key?: string; value?: string }
export interface Headers { headers?: Header[] }

export interface TLSCertificate { cert?: Uint8Array; privateKey?: Uint8Array; caCert?: Uint8Array }

export interface TLSConnectionSettings {
  caPemContents?: string;
  includeSystemCaCertsPool?: boolean;
  insecureSkipVerify?: boolean;
  minVersion?: string;
  maxVersion?: string;
  cipherSuites?: string[];
}

export interface ProxyConnectionSettings { url?: string; connectHeaders?: Headers }

export interface OpAMPConnectionSettings {
  destinationEndpoint?: string;
  headers?: Headers;
  certificate?: TLSCertificate;
  heartbeatIntervalSeconds?: number;
  tls?: TLSConnectionSettings;
  proxy?: ProxyConnectionSettings;
}

export interface TelemetryConnectionSettings {
  destinationEndpoint?: string;
  headers?: Headers;
  certificate?: TLSCertificate;
  tls?: TLSConnectionSettings;
  proxy?: ProxyConnectionSettings;
}

export interface OtherConnectionSettings extends TelemetryConnectionSettings {
  otherSettings?: Record<string, string>;
}

export interface ConnectionSettingsOffers {
  hash?: Uint8Array;
  opamp?: OpAMPConnectionSettings;
  ownMetrics?: TelemetryConnectionSettings;
  ownTraces?: TelemetryConnectionSettings;
  ownLogs?: TelemetryConnectionSettings;
  otherConnections?: Record<string, OtherConnectionSettings>;
}

export interface DownloadableFile { downloadUrl?: string; contentHash?: Uint8Array; signature?: Uint8Array; headers?: Headers }
export interface PackageAvailable { type?: number; version?: string; file?: DownloadableFile; hash?: Uint8Array }
export interface PackagesAvailable { packages?: Record<string, PackageAvailable>; allPackagesHash?: Uint8Array }

export interface PackageStatus {
  name?: string;
  agentHasVersion?: string;
  agentHasHash?: Uint8Array;
  serverOfferedVersion?: string;
  serverOfferedHash?: Uint8Array;
  status?: number;
  errorMessage?: string;
  downloadDetails?: { downloadPercent?: number; downloadBytesPerSecond?: number };
}

export interface PackageStatuses {
  packages?: Record<string, PackageStatus>;
  serverProvidedAllPackagesHash?: Uint8Array;
  errorMessage?: string;
}

export interface ServerErrorResponse {
  type?: number;
  errorMessage?: string;
  retryInfo?: { retryAfterNanoseconds?: number };
}

export interface CustomCapabilities { capabilities?: string[] }
export interface CustomMessage { capability?: string; type?: string; data?: Uint8Array }

export interface ComponentDetails {
  metadata?: KeyValue[];
  subComponentMap?: Record<string, ComponentDetails>;
}

export interface AvailableComponents { components?: Record<string, ComponentDetails>; hash?: Uint8Array }

export interface ConnectionSettingsStatus { lastConnectionSettingsHash?: Uint8Array; status?: number; errorMessage?: string }

export interface ConnectionSettingsRequest { opamp?: { certificateRequest?: { csr?: Uint8Array } } }

export interface AgentToServer {
  instanceUid?: Uint8Array;
  sequenceNum?: number;
  agentDescription?: AgentDescription;
  capabilities?: number;
  health?: ComponentHealth;
  effectiveConfig?: EffectiveConfig;
  remoteConfigStatus?: RemoteConfigStatus;
  packageStatuses?: PackageStatuses;
  agentDisconnect?: Record<string, never>;
  flags?: number;
  connectionSettingsRequest?: ConnectionSettingsRequest;
  customCapabilities?: CustomCapabilities;
  customMessage?: CustomMessage;
  availableComponents?: AvailableComponents;
  connectionSettingsStatus?: ConnectionSettingsStatus;
}

export interface ServerToAgent {
  instanceUid?: Uint8Array;
  errorResponse?: ServerErrorResponse;
  remoteConfig?: AgentRemoteConfig;
  connectionSettings?: ConnectionSettingsOffers;
  packagesAvailable?: PackagesAvailable;
  flags?: number;
  capabilities?: number;
  agentIdentification?: { newInstanceUid?: Uint8Array };
  command?: { type?: number };
  customCapabilities?: CustomCapabilities;
  customMessage?: CustomMessage;
}

// A minimal agent on top of OpampAgentClient: reports a description and effective config, and applies
// a remote config by reporting APPLYING then APPLIED (or FAILED with the validator's error). Tests and
// benchmarks use it as the peer of the lab server.
import {
  AgentCapabilities, RemoteConfigStatuses, newUuidV7, utf8Decode, type AgentRemoteConfig, type KeyValue,
} from '../../shared/opamp/index';
import { OpampAgentClient, type OpampAgentClientOptions } from './client';

export const SIMPLE_AGENT_CAPABILITIES =
  AgentCapabilities.ReportsStatus | AgentCapabilities.AcceptsRemoteConfig | AgentCapabilities.ReportsEffectiveConfig
  | AgentCapabilities.ReportsHealth | AgentCapabilities.ReportsRemoteConfig | AgentCapabilities.ReportsHeartbeat;

export interface SimpleAgentOptions extends Partial<OpampAgentClientOptions> {
  endpoint: string;
  hostName?: string;
  serviceName?: string;
  baseConfig?: string;
  /** Returns an error text to reject a config (→ FAILED). */
  validate?: (body: string) => string | undefined;
}

export class SimpleAgent {
  readonly client: OpampAgentClient;
  readonly received: AgentRemoteConfig[] = [];
  applied = '';
  errors: string[] = [];
  connectFailures: string[] = [];

  constructor(opts: SimpleAgentOptions) {
    const uid = opts.instanceUid ?? newUuidV7();
    const str = (key: string, value: string): KeyValue => ({ key, value: { stringValue: value } });
    this.client = new OpampAgentClient({
      instanceUid: uid,
      capabilities: SIMPLE_AGENT_CAPABILITIES,
      tls: { insecureSkipVerify: true },
      heartbeatMs: 30_000,
      reconnect: { initialMs: 50, maxMs: 1000 },
      getDescription: () => ({
        identifyingAttributes: [str('service.name', opts.serviceName ?? 'otelcol-contrib'), str('service.version', '0.136.0')],
        nonIdentifyingAttributes: [str('host.name', opts.hostName ?? 'agent-host'), str('os.type', 'linux')],
      }),
      getEffectiveConfig: () => `${opts.baseConfig ?? 'receivers: {}\n'}${this.applied}`,
      onRemoteConfig: (rc) => this.apply(rc, opts.validate),
      onError: (text) => this.errors.push(text),
      onConnectFailed: (text) => this.connectFailures.push(text),
      ...opts,
    });
    this.client.setHealth({ healthy: true, startTimeUnixNano: Date.now() * 1e6, status: 'StatusOK' });
  }

  private apply(rc: AgentRemoteConfig, validate: SimpleAgentOptions['validate']): void {
    this.received.push(rc);
    const body = utf8Decode(rc.config?.configMap?.['']?.body ?? new Uint8Array());
    const hash = rc.configHash;
    this.client.setRemoteConfigStatus({ lastRemoteConfigHash: hash, status: RemoteConfigStatuses.APPLYING });
    const error = validate?.(body);
    if (error) {
      this.client.setRemoteConfigStatus({ lastRemoteConfigHash: hash, status: RemoteConfigStatuses.FAILED, errorMessage: error });
      return;
    }
    this.applied = body;
    this.client.effectiveConfigChanged();
    this.client.setRemoteConfigStatus({ lastRemoteConfigHash: hash, status: RemoteConfigStatuses.APPLIED });
  }

  start(): this {
    this.client.start();
    return this;
  }

  stop(): Promise<void> {
    return this.client.stop();
  }
}

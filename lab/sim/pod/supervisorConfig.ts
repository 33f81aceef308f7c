// opampsupervisor's strict config load: unknown keys and the validation rules, with its error texts.
import { parseYaml } from '../../../shared/yamlSafe';
import { parseGoDuration } from '../../../shared/collectorConfig/settingsSchema';

const ALLOWED: Record<string, string[]> = {
  '': ['server', 'capabilities', 'storage', 'agent', 'telemetry', 'healthcheck'],
  server: ['endpoint', 'headers', 'tls'],
  capabilities: ['accepts_remote_config', 'accepts_restart_command', 'accepts_opamp_connection_settings', 'reports_effective_config', 'reports_own_metrics', 'reports_own_logs', 'reports_own_traces', 'reports_health', 'reports_remote_config', 'reports_available_components', 'reports_heartbeat'],
  storage: ['directory'],
  agent: ['executable', 'orphan_detection_interval', 'description', 'config_apply_timeout', 'bootstrap_timeout', 'opamp_server_port', 'passthrough_logs', 'use_hup_config_reload', 'config_files', 'args', 'env'],
  'server.tls': ['insecure', 'insecure_skip_verify', 'ca_file', 'ca_pem', 'cert_file', 'key_file', 'server_name_override', 'min_version', 'max_version', 'include_system_ca_certs_pool'],
};

export interface SupervisorConfig {
  endpoint: string;
  insecureSkipVerify: boolean;
  storageDir: string;
  executable: string;
  args: string[];
  acceptsRemoteConfig: boolean;
  /** agent.config_apply_timeout (default 5s): how long a new config has to make the collector healthy. */
  configApplyTimeoutMs: number;
}

type Obj = Record<string, unknown>;

/** Returns the config, or the fatal message the real binary prints after `log.Fatal`. */
export function loadSupervisorConfig(text: string, file: string, exists: (path: string) => boolean): SupervisorConfig | { fatal: string } {
  let doc: unknown;
  try { doc = parseYaml(text) ?? {}; } catch (err) { return { fatal: `failed to load config: cannot retrieve the configuration: ${(err as Error).message.split('\n')[0]}` }; }
  const root = (doc ?? {}) as Obj;
  const problems: string[] = [];
  const check = (section: string, value: unknown): void => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
    const bad = Object.keys(value).filter((k) => !ALLOWED[section]!.includes(k)).sort();
    if (bad.length) problems.push(`'${section.replace('.', '.')}' has invalid keys: ${bad.join(', ')}`);
  };
  check('', root);
  for (const s of ['server', 'capabilities', 'storage', 'agent']) check(s, root[s]);
  check('server.tls', (root.server as Obj | undefined)?.tls);
  if (problems.length) return { fatal: `failed to load config: decoding failed due to the following error(s):\n\n${problems.join('\n')}` };
  const server = (root.server ?? {}) as Obj;
  const agent = (root.agent ?? {}) as Obj;
  const caps = (root.capabilities ?? {}) as Obj;
  const invalid = (t: string) => ({ fatal: `failed to load config: cannot validate supervisor config ${file}: ${t}` });
  const endpoint = String(server.endpoint ?? '');
  if (!endpoint) return invalid('server::endpoint must be specified');
  const scheme = /^([a-z]+):\/\//i.exec(endpoint)?.[1] ?? '';
  if (!['http', 'https', 'ws', 'wss'].includes(scheme)) return invalid(`invalid scheme "${scheme}" for server::endpoint, must be one of "http", "https", "ws", or "wss"`);
  const executable = String(agent.executable ?? '');
  if (!executable) return invalid('agent::executable must be specified');
  if (!exists(executable)) return invalid(`could not stat agent::executable path: stat ${executable}: no such file or directory`);
  return {
    endpoint,
    insecureSkipVerify: ((server.tls ?? {}) as Obj).insecure_skip_verify === true,
    storageDir: String(((root.storage ?? {}) as Obj).directory ?? '/var/lib/otelcol/supervisor'),
    executable,
    args: Array.isArray(agent.args) ? agent.args.map(String) : [],
    acceptsRemoteConfig: caps.accepts_remote_config === true,
    configApplyTimeoutMs: typeof agent.config_apply_timeout === 'string' ? parseGoDuration(agent.config_apply_timeout) ?? 5_000 : 5_000,
  };
}

// effective.yaml as opampsupervisor composes it: own telemetry, local config files, the opamp
// extension, then the remote config last; maps merge key by key, lists are replaced, except
// service.extensions, which is concatenated and de-duplicated. Output: sorted keys, 4-space indent.
import { stringify } from 'yaml';
import { parseYaml } from '../../../shared/yamlSafe';
import { isConfigMap, mergeConfig, parseConfigText, type ConfigMap } from '../../../shared/collectorConfig/index';

type Obj = ConfigMap;
const isObj = isConfigMap;
export { mergeConfig };

export interface ComposeInput {
  instanceUid: string;
  supervisorPid: number;
  opampLocalPort: number;
  resource: Record<string, string>;
  localConfigs: string[];
  /** Remote config map entries (name → body); "" goes last. */
  remote?: Record<string, string>;
}

export function composeEffectiveConfig(input: ComposeInput): string {
  const ownTelemetry: Obj = { service: { telemetry: { logs: { encoding: 'json', error_output_paths: ['stderr'], output_paths: ['stdout'] }, resource: { ...input.resource } } } };
  const opamp: Obj = {
    extensions: { opamp: {
      capabilities: { reports_available_components: false },
      instance_uid: input.instanceUid, ppid: input.supervisorPid, ppid_poll_interval: '5s',
      server: { ws: { endpoint: `ws://127.0.0.1:${input.opampLocalPort}/v1/opamp`, tls: { insecure: true } } },
    } },
    service: { extensions: ['opamp'] },
  };
  let merged = ownTelemetry;
  for (const text of input.localConfigs) {
    const doc: unknown = parseYaml(text);
    if (isObj(doc)) merged = mergeConfig(merged, doc);
  }
  merged = mergeConfig(merged, opamp);
  const remote = input.remote ?? {};
  const keys = Object.keys(remote).filter((k) => k !== '').sort();
  if ('' in remote) keys.push('');
  for (const k of keys) {
    // The supervisor's YAML parser refuses what the one validator's YAML stage refuses, in Go's words.
    const parsed = parseConfigText(remote[k]!);
    if (parsed.issue) throw new Error(parsed.issue.message);
    if (isObj(parsed.value)) merged = mergeConfig(merged, parsed.value);
  }
  return stringify(sortKeys(merged), { indent: 4, nullStr: 'null', lineWidth: 0 });
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isObj(v)) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
}


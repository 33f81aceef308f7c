// effective.yaml as opampsupervisor composes it: own telemetry, local config files, the opamp
// extension, then the remote config last; maps merge key by key, lists are replaced, except
// service.extensions, which is concatenated and de-duplicated. Output: sorted keys, 4-space indent.
import { stringify } from 'yaml';
import { parseYaml } from '../../../shared/yamlSafe';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergeConfig(base: Obj, over: Obj, path = ''): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const here = path ? `${path}::${k}` : k;
    const old = out[k];
    if (here === 'service::extensions' && Array.isArray(old) && Array.isArray(v)) out[k] = [...new Set([...old, ...v])];
    else if (isObj(old) && isObj(v)) out[k] = mergeConfig(old, v, here);
    else out[k] = v;
  }
  return out;
}

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
    let doc: unknown;
    try { doc = parseYaml(remote[k]!); } catch (err) { throw new Error(`cannot parse config named ${k}: ${(err as Error).message.split('\n')[0]}`); }
    if (doc != null && !isObj(doc)) throw new Error(`cannot parse config named ${k}: not a map`);
    if (isObj(doc)) merged = mergeConfig(merged, doc);
  }
  return stringify(sortKeys(merged), { indent: 4, nullStr: 'null', lineWidth: 0 });
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isObj(v)) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
}

/** Component types otelcol-contrib knows (a subset of the common ones). */
const KNOWN: Record<string, string[]> = {
  receivers: ['otlp', 'hostmetrics', 'filelog', 'prometheus', 'jaeger', 'zipkin', 'k8s_cluster', 'kubeletstats', 'nop'],
  processors: ['batch', 'memory_limiter', 'attributes', 'resource', 'filter', 'transform', 'k8sattributes', 'resourcedetection', 'tail_sampling', 'probabilistic_sampler'],
  exporters: ['debug', 'otlp', 'otlphttp', 'prometheus', 'file', 'awsxray', 'awsemf', 'nop', 'logging'],
  extensions: ['opamp', 'health_check', 'pprof', 'zpages', 'sigv4auth', 'basicauth'],
  connectors: ['forward', 'spanmetrics', 'count'],
};

/** The collector's own check: unknown component type → its startup error text. */
export function unknownComponent(effective: string): string | undefined {
  const doc = parseYaml(effective) as Obj;
  for (const [kind, types] of Object.entries(KNOWN)) {
    const section = doc[kind];
    if (!isObj(section)) continue;
    for (const id of Object.keys(section)) {
      const type = id.split('/')[0]!;
      if (!types.includes(type)) return `'${kind}' unknown type: "${type}" for id: "${id}" (valid values: [${types.join(' ')}])`;
    }
  }
  return undefined;
}

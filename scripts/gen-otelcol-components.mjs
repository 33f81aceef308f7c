// Regenerates shared/collectorConfig/otelcolContribComponents.ts: the component types otelcol-contrib
// knows, per kind, for one release. The list of modules comes from the contrib distribution's
// builder manifest (opentelemetry-collector-releases, distributions/otelcol-contrib/manifest.yaml at
// tag vX.Y.Z). A module's *type* (the key used in a config) is the `type:` of its metadata.yaml; it
// is read from a checkout of opentelemetry-collector / -contrib when given, otherwise derived from
// the module's folder name (strip the kind suffix) with the exceptions below, which are the modules
// whose metadata.yaml type differs from their folder name.
//
//   node scripts/gen-otelcol-components.mjs --releases <git dir of opentelemetry-collector-releases>
//        [--version 0.136.0] [--core <git dir>] [--contrib <git dir>]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
if (!args.releases) {
  console.error('usage: gen-otelcol-components.mjs --releases <git dir> [--version 0.136.0] [--core <git dir>] [--contrib <git dir>]');
  process.exit(2);
}
const version = args.version ?? '0.136.0';
const tag = `v${version}`;
const gitShow = (gitDir, rev, path) => {
  try {
    return execFileSync('git', ['--git-dir', gitDir, 'show', `${rev}:${path}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
};

const manifestText = gitShow(args.releases, tag, 'distributions/otelcol-contrib/manifest.yaml');
if (!manifestText) {
  console.error(`no distributions/otelcol-contrib/manifest.yaml at ${tag} in ${args.releases}`);
  process.exit(1);
}
const manifest = parse(manifestText);

// metadata.yaml `type:` of the modules whose folder name (minus the kind suffix) is not their type.
const TYPE_EXCEPTIONS = {
  asapauthextension: 'asapclient', azureauthextension: 'azureauth', basicauthextension: 'basicauth', bearertokenauthextension: 'bearertokenauth',
  cgroupruntimeextension: 'cgroupruntime', awscloudwatchmetricstreamsencodingextension: 'awscloudwatchmetricstreams_encoding',
  awslogsencodingextension: 'awslogs_encoding', googlecloudlogentryencodingextension: 'googlecloudlogentry_encoding',
  jaegerencodingextension: 'jaeger_encoding', jsonlogencodingextension: 'json_log_encoding', otlpencodingextension: 'otlp_encoding',
  skywalkingencodingextension: 'skywalking_encoding', textencodingextension: 'text_encoding', zipkinencodingextension: 'zipkin_encoding',
  googleclientauthextension: 'googleclientauth', headerssetterextension: 'headers_setter', healthcheckextension: 'health_check',
  httpforwarderextension: 'http_forwarder', oauth2clientauthextension: 'oauth2client', dockerobserver: 'docker_observer',
  ecsobserver: 'ecs_observer', ecstaskobserver: 'ecs_task_observer', hostobserver: 'host_observer', k8sobserver: 'k8s_observer',
  kafkatopicsobserver: 'kafkatopics_observer', oidcauthextension: 'oidc', sigv4authextension: 'sigv4auth', filestorage: 'file_storage',
  dbstorage: 'db_storage', redisstorageextension: 'redis_storage', k8sleaderelector: 'k8s_leader_elector',
  alibabacloudlogserviceexporter: 'alibabacloud_logservice', splunkhecexporter: 'splunk_hec', tencentcloudlogserviceexporter: 'tencentcloud_logservice',
  memorylimiterprocessor: 'memory_limiter', probabilisticsamplerprocessor: 'probabilistic_sampler', tailsamplingprocessor: 'tail_sampling',
  activedirectorydsreceiver: 'active_directory_ds', dockerstatsreceiver: 'docker_stats', k8sclusterreceiver: 'k8s_cluster',
  k8seventsreceiver: 'k8s_events', podmanreceiver: 'podman_stats', receivercreator: 'receiver_creator', simpleprometheusreceiver: 'prometheus_simple',
  splunkhecreceiver: 'splunk_hec', awscontainerinsightreceiver: 'awscontainerinsightreceiver',
};
const SUFFIX = { extensions: 'extension', receivers: 'receiver', processors: 'processor', exporters: 'exporter', connectors: 'connector' };

function metadataType(gomod) {
  const [module] = gomod.split(' ');
  const core = module.match(/^go\.opentelemetry\.io\/collector\/(.+)$/);
  const contrib = module.match(/^github\.com\/open-telemetry\/opentelemetry-collector-contrib\/(.+)$/);
  const text = core && args.core ? gitShow(args.core, tag, `${core[1]}/metadata.yaml`)
    : contrib && args.contrib ? gitShow(args.contrib, tag, `${contrib[1]}/metadata.yaml`) : undefined;
  return text ? parse(text)?.type : undefined;
}

const out = {};
const sources = { metadata: 0, derived: 0 };
for (const kind of Object.keys(SUFFIX)) {
  const types = new Set();
  for (const entry of manifest[kind] ?? []) {
    const folder = entry.gomod.split(' ')[0].split('/').pop();
    let type = metadataType(entry.gomod);
    if (type) sources.metadata++;
    else {
      sources.derived++;
      type = TYPE_EXCEPTIONS[folder] ?? (folder.endsWith(SUFFIX[kind]) ? folder.slice(0, -SUFFIX[kind].length) : folder);
    }
    types.add(type);
  }
  out[kind] = [...types].sort();
}

const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'shared', 'collectorConfig', 'otelcolContribComponents.ts');
const body = [
  `// GENERATED by scripts/gen-otelcol-components.mjs from opentelemetry-collector-releases ${tag}`,
  '// distributions/otelcol-contrib/manifest.yaml (types from metadata.yaml, see the script). Do not edit.',
  `export const OTELCOL_CONTRIB_VERSION = ${JSON.stringify(version)};`,
  '',
  'export const OTELCOL_CONTRIB_COMPONENTS = {',
  ...Object.entries(out).map(([k, v]) => `  ${k}: [${v.map((t) => JSON.stringify(t)).join(', ')}],`),
  '} as const satisfies Record<string, readonly string[]>;',
  '',
].join('\n');
writeFileSync(file, body);
console.log(`wrote ${file}: ${Object.entries(out).map(([k, v]) => `${v.length} ${k}`).join(', ')} (${sources.metadata} types from metadata.yaml, ${sources.derived} derived)`);

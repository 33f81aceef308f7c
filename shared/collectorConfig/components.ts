// The settings of the components this lab uses, as otelcol-contrib 0.136 decodes, validates and builds
// them. Texts are the components' own (attraction.NewAttrProc, debugexporter, batchprocessor,
// memorylimiter, otlpreceiver/otlpexporter). Components not modelled here are checked for their type only.
import { isConfigMap, type ConfigMap } from './merge';
import { parseGoDuration, type Schema } from './settingsSchema';

export type ComponentKind = 'receivers' | 'processors' | 'exporters' | 'extensions' | 'connectors';

export interface ComponentModel {
  schema: Schema;
  /** Config.Validate(): runs for every configured component, pipeline or not. */
  validate?: (cfg: ConfigMap) => string | undefined;
  /** Errors the factory returns when the pipeline builds the component (only components in a pipeline). */
  build?: (cfg: ConfigMap) => { message: string; path?: (string | number)[] } | undefined;
}

export const ATTRIBUTE_ACTIONS = ['insert', 'update', 'upsert', 'delete', 'hash', 'extract', 'convert'] as const;

const tls: Schema = { fields: {}, open: true };
const httpServer: Schema = {
  nullable: true,
  fields: {
    endpoint: 'string', tls, cors: { fields: {}, open: true }, auth: { fields: {}, open: true }, max_request_body_size: 'int', include_metadata: 'bool',
    response_headers: 'any', compression_algorithms: 'stringList', read_timeout: 'duration', read_header_timeout: 'duration', write_timeout: 'duration',
    idle_timeout: 'duration', keep_alives_enabled: 'bool', traces_url_path: 'string', metrics_url_path: 'string', logs_url_path: 'string',
  },
};
const grpcServer: Schema = {
  nullable: true,
  fields: {
    endpoint: 'string', transport: 'string', tls, max_recv_msg_size_mib: 'int', max_concurrent_streams: 'int', read_buffer_size: 'int',
    write_buffer_size: 'int', keepalive: { fields: {}, open: true }, auth: { fields: {}, open: true }, include_metadata: 'bool',
  },
};
const matchProperties: Schema = { fields: {}, open: true };
const actionSchema: Schema = {
  fields: { key: 'string', value: 'any', pattern: 'string', from_attribute: 'string', from_context: 'string', converted_type: 'string', action: 'string' },
};

/** attraction.NewAttrProc: the checks the attributes processor runs when it is built. */
function attributesBuild(cfg: ConfigMap): { message: string; path?: (string | number)[] } | undefined {
  const actions = Array.isArray(cfg.actions) ? cfg.actions : [];
  for (const [i, raw] of actions.entries()) {
    const a = isConfigMap(raw) ? raw : {};
    const str = (k: string): string => (typeof a[k] === 'string' ? (a[k] as string) : '');
    const action = str('action').toLowerCase();
    const key = str('key');
    const pattern = str('pattern');
    const converted = str('converted_type');
    const sources = (a.value != null ? 1 : 0) + (str('from_attribute') ? 1 : 0) + (str('from_context') ? 1 : 0);
    const at = (field?: string) => ({ path: field ? ['actions', i, field] : ['actions', i] });
    if (action === 'delete' || action === 'hash') {
      if (!key && !pattern) return { message: `error creating AttrProc due to missing required field (at least one of "key" and "pattern" have to be used) at the ${i}-th actions`, ...at() };
    } else if (!key) {
      return { message: `error creating AttrProc due to missing required field "key" at the ${i}-th actions`, ...at() };
    }
    switch (action) {
      case 'insert': case 'update': case 'upsert':
        if (sources === 0) return { message: `error creating AttrProc. Either field "value", "from_attribute" or "from_context" setting must be specified for ${i}-th action`, ...at() };
        if (sources > 1) return { message: `error creating AttrProc due to multiple value sources being set at the ${i}-th actions`, ...at() };
        if (pattern) return { message: `error creating AttrProc. Action "${action}" does not use the "pattern" field. This must not be specified for ${i}-th action`, ...at('pattern') };
        if (converted) return { message: `error creating AttrProc. Action "${action}" does not use the "converted_type" field. This must not be specified for ${i}-th action`, ...at('converted_type') };
        break;
      case 'hash': case 'delete':
        if (a.value != null || str('from_attribute')) return { message: `error creating AttrProc. Action "${action}" does not use "value" or "from_attribute" field. These must not be specified for ${i}-th action`, ...at() };
        if (converted) return { message: `error creating AttrProc. Action "${action}" does not use the "converted_type" field. This must not be specified for ${i}-th action`, ...at('converted_type') };
        break;
      case 'extract':
        if (sources > 0) return { message: `error creating AttrProc. Action "${action}" does not use a value source field. These must not be specified for ${i}-th action`, ...at() };
        if (!pattern) return { message: `error creating AttrProc due to missing required field "pattern" for action "${action}" at the ${i}-th action`, ...at() };
        break;
      case 'convert':
        if (sources > 0 || pattern) return { message: `error creating AttrProc. Action "${action}" does not use value sources or "pattern" field. These must not be specified for ${i}-th action`, ...at() };
        if (!converted) return { message: `error creating AttrProc due to missing required field "converted_type" for action "${action}" at the ${i}-th action`, ...at() };
        if (!['string', 'int', 'double'].includes(converted)) return { message: `error creating AttrProc due to invalid value "${converted}" in field "converted_type" for action "${action}" at the ${i}-th action`, ...at('converted_type') };
        break;
      default:
        return { message: `error creating AttrProc due to unsupported action "${action}" at the ${i}-th actions`, ...at('action') };
    }
  }
  return undefined;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const dur = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' ? parseGoDuration(v) ?? 0 : 0);

export const COMPONENT_MODELS: Partial<Record<ComponentKind, Record<string, ComponentModel>>> = {
  processors: {
    attributes: { schema: { fields: { actions: { list: actionSchema }, include: matchProperties, exclude: matchProperties } }, build: attributesBuild },
    batch: {
      schema: { fields: { timeout: 'duration', send_batch_size: 'uint32', send_batch_max_size: 'uint32', metadata_keys: 'stringList', metadata_cardinality_limit: 'uint32' } },
      validate: (c) => {
        if (num(c.send_batch_max_size) > 0 && num(c.send_batch_max_size) < num(c.send_batch_size ?? 8192)) return 'send_batch_max_size must be greater or equal to send_batch_size';
        if (dur(c.timeout) < 0) return 'timeout must be greater or equal to 0';
        return undefined;
      },
    },
    memory_limiter: {
      schema: { fields: { check_interval: 'duration', min_gc_interval_when_soft_limited: 'duration', min_gc_interval_when_hard_limited: 'duration', limit_mib: 'uint32', spike_limit_mib: 'uint32', limit_percentage: 'uint32', spike_limit_percentage: 'uint32' } },
      validate: (c) => {
        if (dur(c.check_interval) <= 0) return "'check_interval' must be greater than zero";
        if (num(c.limit_mib) === 0 && num(c.limit_percentage) === 0) return "'limit_mib' or 'limit_percentage' must be greater than zero";
        if (num(c.limit_mib) > 0 && num(c.spike_limit_mib) >= num(c.limit_mib)) return "'spike_limit_mib' must be smaller than 'limit_mib'";
        if (num(c.limit_percentage) > 0 && num(c.spike_limit_percentage) >= num(c.limit_percentage)) return "'spike_limit_percentage' must be smaller than 'limit_percentage'";
        return undefined;
      },
    },
    // Each detector has its own settings block (system:, ec2:, …); only the common keys are typed here.
    resourcedetection: { schema: { open: true, fields: { detectors: 'stringList', override: 'bool', timeout: 'duration', attributes: 'stringList' } } },
  },
  receivers: {
    otlp: {
      schema: { fields: { protocols: { fields: { grpc: grpcServer, http: httpServer } } } },
      validate: (c) => (isConfigMap(c.protocols) && Object.keys(c.protocols).length > 0 ? undefined : 'must specify at least one protocol when using the OTLP receiver'),
    },
  },
  exporters: {
    debug: {
      schema: {
        fields: {
          verbosity: { enum: ['basic', 'normal', 'detailed', 'none'], caseInsensitive: true, error: (v) => `unknown metrics level "${v}"` },
          sampling_initial: 'int', sampling_thereafter: 'int', use_internal_logger: 'bool', sending_queue: { fields: {}, open: true },
        },
      },
      validate: (c) => (typeof c.verbosity === 'string' && c.verbosity.toLowerCase() === 'none' ? 'verbosity level "None" is not supported' : undefined),
    },
    otlp: {
      schema: {
        fields: {
          endpoint: 'string', tls, headers: 'any', compression: 'string', timeout: 'duration', sending_queue: { fields: {}, open: true },
          retry_on_failure: { fields: {}, open: true }, balancer_name: 'string', keepalive: { fields: {}, open: true }, read_buffer_size: 'int',
          write_buffer_size: 'int', wait_for_ready: 'bool', auth: { fields: {}, open: true }, authority: 'string', compression_params: { fields: {}, open: true },
          batcher: { fields: {}, open: true },
        },
      },
      validate: (c) => (typeof c.endpoint === 'string' && c.endpoint !== '' ? undefined : 'requires a non-empty "endpoint"'),
    },
  },
};

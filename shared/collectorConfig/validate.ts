// One validator of collector configuration, used by the overlay editor, the embedded lab's collector,
// the criteria and the doctor. It checks what otelcol-contrib 0.136 checks at startup, in its order
// (YAML → decode → validate → build pipelines), and words each error as otelcol does, adding the line
// and column and a "did you mean" for near misses.
import { isMap, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import { linedYamlDocument, YamlLimitError } from '../yamlSafe';
import { COMPONENT_MODELS, ATTRIBUTE_ACTIONS, type ComponentKind } from './components';
import { closest } from './didYouMean';
import { isConfigMap, mergeConfig, type ConfigMap } from './merge';
import { OTELCOL_CONTRIB_COMPONENTS, OTELCOL_CONTRIB_VERSION } from './otelcolContribComponents';
import { decodeSettings, mapstructureName } from './settingsSchema';
import { locator, type Locate, type Position } from './yamlPositions';

export type ConfigStage = 'yaml' | 'decode' | 'validate' | 'build';

export interface ConfigIssue {
  stage: ConfigStage;
  /** otelcol's own text for this error. */
  message: string;
  /** Where in the config (keys and list indexes). */
  path: (string | number)[];
  line?: number;
  col?: number;
  /** The near miss the wrong word was probably meant to be. */
  suggestion?: string;
  /** What to change, in plain words. */
  fix?: string;
}

export interface ConfigVerdict {
  ok: boolean;
  /** The stage that failed (the collector stops at the first failing one). */
  stage?: ConfigStage;
  issues: ConfigIssue[];
  /** What otelcol-contrib prints after "Error: " when it refuses this config. */
  startupError?: string;
  value?: ConfigMap;
}

export const COLLECTOR_VERSION = OTELCOL_CONTRIB_VERSION;
const KINDS: readonly ComponentKind[] = ['receivers', 'processors', 'exporters', 'extensions', 'connectors'];
const TOP_LEVEL = [...KINDS, 'service'] as const;
const SIGNALS = ['traces', 'metrics', 'logs', 'profiles'];
const SINGULAR: Record<ComponentKind, string> = { receivers: 'receiver', processors: 'processor', exporters: 'exporter', extensions: 'extension', connectors: 'connector' };
const TYPE_RE = /^[a-zA-Z][0-9a-zA-Z_]{0,62}$/;

/** A one-line form for the editor and evidence: the issue's text, where it is, and the near miss. */
export function formatIssue(i: ConfigIssue): string {
  const where = i.line !== undefined ? `line ${i.line}, column ${i.col ?? 1}: ` : '';
  return `${where}${i.message}${i.suggestion ? ` (did you mean "${i.suggestion}"?)` : ''}`;
}

// ---- YAML ------------------------------------------------------------------------------------

interface Parsed { value?: unknown; doc?: Document.Parsed; locate?: Locate; issue?: ConfigIssue }

/** Go's yaml.v3 wording for the errors people make most (tabs), the library's text otherwise. */
function yamlIssue(doc: Document.Parsed): ConfigIssue {
  const e = doc.errors[0]!;
  const pos = e.linePos?.[0];
  const line = pos?.line ?? 1;
  const text = e.code === 'TAB_AS_INDENT' ? 'found character that cannot start any token'
    : (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
  const fix = e.code === 'TAB_AS_INDENT' ? 'indent with spaces; YAML does not allow tabs' : undefined;
  return { stage: 'yaml', message: `yaml: line ${line}: ${text}`, path: [], line, col: pos?.col ?? 1, ...(fix ? { fix } : {}) };
}

export function parseConfigText(text: string): Parsed {
  let doc: Document.Parsed;
  let lineCounter: LineCounter;
  try {
    // The shared parse (default options: unique keys, pretty errors), not one of its own.
    ({ doc, lineCounter } = linedYamlDocument(text));
  } catch (err) {
    const message = err instanceof YamlLimitError ? err.message : `yaml: ${(err as Error).message}`;
    return { issue: { stage: 'yaml', message, path: [] } };
  }
  if (doc.errors.length > 0) return { issue: yamlIssue(doc) };
  const c = doc.contents;
  if (c != null && !isMap(c) && !(isScalar(c) && c.value == null)) {
    const tag = isSeq(c) ? '!!seq' : isScalar(c) && typeof c.value === 'string' ? `!!str \`${String(c.value).slice(0, 20)}\`` : isScalar(c) ? `!!${typeof c.value === 'number' ? (Number.isInteger(c.value) ? 'int' : 'float') : 'bool'} \`${String(c.value)}\`` : '!!seq';
    const line = c.range ? lineCounter.linePos(c.range[0]).line : 1;
    return { issue: { stage: 'yaml', message: `yaml: unmarshal errors:\n  line ${line}: cannot unmarshal ${tag} into map[string]interface {}`, path: [], line, col: 1, fix: 'the configuration must be a mapping (key: value at the top level), not a list or a plain value' } };
  }
  const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
  return { value: value ?? {}, doc, locate: locator(doc, lineCounter) };
}

// ---- decode ----------------------------------------------------------------------------------

function typeOf(id: string): string {
  return id.split('/')[0]!.trim();
}

function idError(id: string): string | undefined {
  const slash = id.indexOf('/');
  const type = slash < 0 ? id.trim() : id.slice(0, slash).trim();
  const name = slash < 0 ? undefined : id.slice(slash + 1).trim();
  if (type === '') return slash >= 0 ? `in "${id}" id: the part before / should not be empty` : 'id must not be empty';
  if (name !== undefined && name === '') return `in "${id}" id: the part after / should not be empty`;
  if (name !== undefined && /[\p{Z}\p{C}\p{S}]/u.test(name)) return `in "${name}" id: invalid character(s) in name "${name}"`;
  if (!TYPE_RE.test(type)) return `in "${id}" id: invalid character(s) in type "${type}"`;
  return undefined;
}

function decode(cfg: ConfigMap): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(cfg)) {
    if ((TOP_LEVEL as readonly string[]).includes(key)) continue;
    const near = closest(key, TOP_LEVEL);
    const fix = key === 'collector' || key === 'config'
      ? `remove the "${key}:" wrapper: receivers, processors, exporters and service go at the top level of the overlay`
      : near ? `rename "${key}" to "${near}"` : `remove "${key}"; the top-level keys are ${TOP_LEVEL.join(', ')}`;
    issues.push({ stage: 'decode', message: `'' has invalid keys: ${key}`, path: [key], ...(near ? { suggestion: near } : {}), fix });
  }
  for (const kind of KINDS) {
    const section = cfg[kind];
    if (section == null) continue;
    if (!isConfigMap(section)) {
      issues.push({ stage: 'decode', message: `'${kind}' expected a map, got '${Array.isArray(section) ? 'slice' : typeof section === 'number' ? 'int' : typeof section}'`, path: [kind], fix: `${kind} is a mapping of component ids (for example "debug:"), not a list` });
      continue;
    }
    const known: readonly string[] = OTELCOL_CONTRIB_COMPONENTS[kind];
    for (const [id, settings] of Object.entries(section)) {
      const bad = idError(id);
      if (bad) {
        issues.push({ stage: 'decode', message: `error decoding '${kind}': ${bad}`, path: [kind, id], fix: 'a component id is type or type/name; the type is letters, digits and _' });
        continue;
      }
      const type = typeOf(id);
      if (!known.includes(type)) {
        const message = kind === 'exporters' && type === 'logging'
          ? `error decoding '${kind}': the logging exporter has been deprecated, use the debug exporter instead`
          : `error decoding '${kind}': unknown type: "${type}" for id: "${id}" (valid values: [${known.join(' ')}])`;
        const near = type === 'logging' ? 'debug' : closest(type, known);
        issues.push({ stage: 'decode', message, path: [kind, id], ...(near ? { suggestion: near, fix: `use the type "${near}"${id.includes('/') ? ` (id "${near}/${id.split('/').slice(1).join('/')}")` : ''}` } : { fix: `otelcol-contrib ${COLLECTOR_VERSION} has no ${SINGULAR[kind]} of type "${type}"` }) });
        continue;
      }
      const model = COMPONENT_MODELS[kind]?.[type];
      if (!model) continue;
      for (const d of decodeSettings(settings, model.schema)) {
        const inner = d.key ? `'${mapstructureName(d.path)}' has invalid keys: ${d.key}` : d.message;
        issues.push({
          stage: 'decode',
          message: `error decoding '${kind}': error reading configuration for "${id}": ${inner}`,
          path: [kind, id, ...d.path, ...(d.key ? [d.key] : [])],
          ...(d.suggestion ? { suggestion: d.suggestion, fix: `rename "${d.key ?? ''}" to "${d.suggestion}"` } : {}),
        });
      }
    }
  }
  const service = cfg.service;
  if (service != null && !isConfigMap(service)) {
    issues.push({ stage: 'decode', message: `'service' expected a map, got '${Array.isArray(service) ? 'slice' : typeof service}'`, path: ['service'] });
  } else if (isConfigMap(service)) {
    const keys = ['extensions', 'pipelines', 'telemetry'];
    for (const k of Object.keys(service).filter((k) => !keys.includes(k))) {
      const near = closest(k, keys);
      issues.push({ stage: 'decode', message: `error decoding 'service': '' has invalid keys: ${k}`, path: ['service', k], ...(near ? { suggestion: near, fix: `rename "${k}" to "${near}"` } : {}) });
    }
    if (service.extensions != null && !Array.isArray(service.extensions)) {
      issues.push({ stage: 'decode', message: `error decoding 'service': 'extensions': source data must be an array or slice, got ${typeof service.extensions === 'object' ? 'map' : typeof service.extensions}`, path: ['service', 'extensions'] });
    }
    const pipelines = service.pipelines;
    if (pipelines != null && !isConfigMap(pipelines)) {
      issues.push({ stage: 'decode', message: `error decoding 'service': 'pipelines' expected a map, got '${Array.isArray(pipelines) ? 'slice' : typeof pipelines}'`, path: ['service', 'pipelines'] });
    } else if (isConfigMap(pipelines)) {
      for (const [pid, p] of Object.entries(pipelines)) {
        const signal = pid.split('/')[0]!.trim();
        if (!SIGNALS.includes(signal)) {
          const near = closest(signal, SIGNALS);
          issues.push({ stage: 'decode', message: `error decoding 'service': in "${pid}" id: unknown pipeline signal: "${signal}"`, path: ['service', 'pipelines', pid], ...(near ? { suggestion: near, fix: `rename the pipeline to "${near}${pid.slice(signal.length)}"` } : {}) });
          continue;
        }
        if (p != null && !isConfigMap(p)) {
          issues.push({ stage: 'decode', message: `error decoding 'service': 'pipelines[${pid}]' expected a map, got '${Array.isArray(p) ? 'slice' : typeof p}'`, path: ['service', 'pipelines', pid] });
          continue;
        }
        for (const k of Object.keys(p ?? {})) {
          if (['receivers', 'processors', 'exporters'].includes(k)) {
            const list = (p as ConfigMap)[k];
            if (list != null && !Array.isArray(list) && typeof list !== 'string') issues.push({ stage: 'decode', message: `error decoding 'service': 'pipelines[${pid}].${k}': source data must be an array or slice, got map`, path: ['service', 'pipelines', pid, k] });
            continue;
          }
          const near = closest(k, ['receivers', 'processors', 'exporters']);
          issues.push({ stage: 'decode', message: `error decoding 'service': 'pipelines[${pid}]' has invalid keys: ${k}`, path: ['service', 'pipelines', pid, k], ...(near ? { suggestion: near, fix: `rename "${k}" to "${near}"` } : {}) });
        }
      }
    }
  }
  return issues;
}

// ---- validate --------------------------------------------------------------------------------

const ids = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(',') : []);
const section = (cfg: ConfigMap, kind: ComponentKind): ConfigMap => (isConfigMap(cfg[kind]) ? (cfg[kind] as ConfigMap) : {});

function topLevelValidate(cfg: ConfigMap): ConfigIssue | undefined {
  const rec = section(cfg, 'receivers');
  const exp = section(cfg, 'exporters');
  const con = section(cfg, 'connectors');
  if (Object.keys(rec).length === 0) return { stage: 'validate', message: 'no receiver configuration specified in config', path: ['receivers'], fix: 'configure at least one receiver (the base config has otlp)' };
  if (Object.keys(exp).length === 0) return { stage: 'validate', message: 'no exporter configuration specified in config', path: ['exporters'], fix: 'configure at least one exporter (the base config has debug)' };
  const service = isConfigMap(cfg.service) ? cfg.service : {};
  const ext = section(cfg, 'extensions');
  for (const [i, ref] of ids(service.extensions).entries()) {
    if (!Object.hasOwn(ext, ref)) {
      const near = closest(ref, Object.keys(ext));
      return { stage: 'validate', message: `service::extensions: references extension "${ref}" which is not configured`, path: ['service', 'extensions', i], ...(near ? { suggestion: near } : {}), fix: near ? `use "${near}", or configure "${ref}" under extensions:` : `configure "${ref}" under extensions:, or remove it from service.extensions` };
    }
  }
  const pipelines = isConfigMap(service.pipelines) ? service.pipelines : {};
  for (const [pid, raw] of Object.entries(pipelines)) {
    const p = isConfigMap(raw) ? raw : {};
    const checks: [string, string, ConfigMap[]][] = [['receivers', 'receiver', [rec, con]], ['processors', 'processor', [section(cfg, 'processors')]], ['exporters', 'exporter', [exp, con]]];
    for (const [key, what, pools] of checks) {
      for (const [i, ref] of ids(p[key]).entries()) {
        if (pools.some((pool) => Object.hasOwn(pool, ref))) continue;
        const near = closest(ref, pools.flatMap((pool) => Object.keys(pool)));
        return {
          stage: 'validate', message: `service::pipelines::${pid}: references ${what} "${ref}" which is not configured`, path: ['service', 'pipelines', pid, key, i],
          ...(near ? { suggestion: near } : {}),
          fix: near ? `use "${near}", or define "${ref}" under ${key}:` : `define "${ref}" under ${key}: in the same overlay, or remove it from the pipeline`,
        };
      }
    }
  }
  return undefined;
}

function validate(cfg: ConfigMap): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const top = topLevelValidate(cfg);
  if (top) issues.push(top);
  for (const kind of KINDS) {
    for (const [id, settings] of Object.entries(section(cfg, kind))) {
      const check = COMPONENT_MODELS[kind]?.[typeOf(id)]?.validate;
      const err = check?.(isConfigMap(settings) ? settings : {});
      if (err) issues.push({ stage: 'validate', message: `${kind}::${id}: ${err}`, path: [kind, id] });
    }
  }
  const service = isConfigMap(cfg.service) ? cfg.service : {};
  const pipelines = isConfigMap(service.pipelines) ? service.pipelines : {};
  if (Object.keys(pipelines).length === 0) issues.push({ stage: 'validate', message: 'service::pipelines: service must have at least one pipeline', path: ['service', 'pipelines'], fix: 'add a pipeline under service.pipelines' });
  for (const [pid, raw] of Object.entries(pipelines)) {
    const p = isConfigMap(raw) ? raw : {};
    const at = ['service', 'pipelines', pid];
    if (ids(p.receivers).length === 0) issues.push({ stage: 'validate', message: `service::pipelines::${pid}: must have at least one receiver`, path: at, fix: `list a receiver in service.pipelines.${pid}.receivers (e.g. [otlp])` });
    else if (ids(p.exporters).length === 0) issues.push({ stage: 'validate', message: `service::pipelines::${pid}: must have at least one exporter`, path: at, fix: `list an exporter in service.pipelines.${pid}.exporters (e.g. [debug]); a list in an overlay replaces the base list` });
    const seen = new Set<string>();
    for (const [i, ref] of ids(p.processors).entries()) {
      if (seen.has(ref)) issues.push({ stage: 'validate', message: `service::pipelines::${pid}: references processor "${ref}" multiple times`, path: [...at, 'processors', i] });
      seen.add(ref);
    }
  }
  return issues;
}

function attributesFix(message: string): string {
  if (message.includes('missing required field "key"')) return 'give every action a key: (the attribute it acts on)';
  if (message.includes('Either field "value"')) return 'give the action one of value:, from_attribute: or from_context:';
  if (message.includes('multiple value sources')) return 'keep only one of value:, from_attribute: and from_context:';
  return 'each action needs key: and action:; insert, update and upsert also one of value:, from_attribute:, from_context:';
}

// ---- build -----------------------------------------------------------------------------------

function build(cfg: ConfigMap): ConfigIssue | undefined {
  const service = isConfigMap(cfg.service) ? cfg.service : {};
  const pipelines = isConfigMap(service.pipelines) ? service.pipelines : {};
  const procs = section(cfg, 'processors');
  for (const [pid, raw] of Object.entries(pipelines)) {
    const p = isConfigMap(raw) ? raw : {};
    for (const ref of ids(p.processors)) {
      const model = COMPONENT_MODELS.processors?.[typeOf(ref)];
      const settings = procs[ref];
      const err = model?.build?.(isConfigMap(settings) ? settings : {});
      if (!err) continue;
      const actionPath = err.path ?? [];
      const badAction = actionPath.at(-1) === 'action' ? String((((settings as ConfigMap).actions as ConfigMap[])[actionPath[1] as number] ?? {}).action ?? '') : undefined;
      const near = badAction !== undefined ? closest(badAction, ATTRIBUTE_ACTIONS) : undefined;
      return {
        stage: 'build', message: `failed to build pipelines: failed to create "${ref}" processor, in pipeline "${pid}": ${err.message}`, path: ['processors', ref, ...actionPath],
        ...(near ? { suggestion: near, fix: `action: ${near} (one of ${ATTRIBUTE_ACTIONS.join(', ')})` } : { fix: badAction !== undefined ? `action is one of ${ATTRIBUTE_ACTIONS.join(', ')}` : attributesFix(err.message) }),
      };
    }
  }
  return undefined;
}

// ---- entry points ----------------------------------------------------------------------------

function startupError(stage: ConfigStage, issues: ConfigIssue[]): string {
  const msgs = issues.filter((i) => i.stage === stage).map((i) => i.message);
  switch (stage) {
    case 'yaml': return msgs[0] ?? '';
    case 'decode': return `failed to get config: cannot unmarshal the configuration: decoding failed due to the following error(s):\n\n${msgs.join('\n')}`;
    case 'validate': return `invalid configuration: ${msgs.join('\n')}`;
    case 'build': return msgs[0] ?? '';
  }
}

/** Validates a decoded config; `locate` gives positions in the text the person edits. */
export function validateConfigValue(cfg: ConfigMap, locate?: Locate): ConfigVerdict {
  let issues = decode(cfg);
  if (issues.length === 0) issues = validate(cfg);
  if (issues.length === 0) {
    const b = build(cfg);
    if (b) issues = [b];
  }
  if (issues.length === 0) return { ok: true, issues: [], value: cfg };
  const placed = issues.map((i) => {
    const pos: Position | undefined = locate?.(i.path, typeof i.path.at(-1) === 'string' ? 'key' : 'value');
    return pos ? { ...i, line: pos.line, col: pos.col } : i;
  });
  const stage = placed[0]!.stage;
  return { ok: false, stage, issues: placed, startupError: startupError(stage, placed), value: cfg };
}

/** Validates a complete collector configuration file (effective.yaml). */
export function validateCollectorConfig(text: string): ConfigVerdict {
  const parsed = parseConfigText(text);
  if (parsed.issue) return { ok: false, stage: 'yaml', issues: [parsed.issue], startupError: parsed.issue.message };
  if (!isConfigMap(parsed.value) || Object.keys(parsed.value).length === 0) {
    return { ok: false, stage: 'decode', issues: [{ stage: 'decode', message: 'empty configuration file', path: [] }], startupError: 'failed to get config: cannot unmarshal the configuration: empty configuration file' };
  }
  return validateConfigValue(parsed.value, parsed.locate);
}

/**
 * Validates an overlay as the collector will see it: merged onto `base` (the agent's config without
 * a remote config) the way the supervisor merges. Positions point into the overlay; an issue in a
 * part the overlay does not touch has none.
 */
export function validateOverlayConfig(overlayText: string, base: ConfigMap): ConfigVerdict {
  const parsed = parseConfigText(overlayText);
  if (parsed.issue) return { ok: false, stage: 'yaml', issues: [parsed.issue], startupError: parsed.issue.message };
  const over = isConfigMap(parsed.value) ? parsed.value : {};
  return validateConfigValue(mergeConfig(base, over), parsed.locate);
}

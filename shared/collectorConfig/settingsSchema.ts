// Decoding a component's settings the way otelcol does (mapstructure with ErrorUnused): unknown keys,
// wrong types and bad durations give mapstructure's own error texts, with the offending path.
import { closest } from './didYouMean';
import { isConfigMap } from './merge';

export type Field =
  | 'string' | 'int' | 'uint32' | 'bool' | 'duration' | 'float64' | 'any' | 'stringList'
  | { enum: readonly string[]; caseInsensitive?: boolean; error: (v: string) => string }
  | { list: Schema }
  | Schema;

export interface Schema {
  fields: Record<string, Field>;
  /** Keys this emulation does not model are accepted (settings of sub-blocks it does not check). */
  open?: boolean;
  /** `null`/absent still enables the block (otlp receiver's `grpc:` / `http:`). */
  nullable?: boolean;
}

/** One decode problem: path segments below the component (keys and list indexes). */
export interface DecodeIssue {
  path: (string | number)[];
  message: string;
  /** The key the issue is about, when it is an unknown key (for "did you mean" and positions). */
  key?: string;
  suggestion?: string;
}

export function mapstructureName(path: readonly (string | number)[]): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

function goKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (Array.isArray(v)) return 'slice';
  if (isConfigMap(v)) return 'map';
  return 'invalid';
}

const GO_TYPE: Record<string, string> = { string: 'string', int: 'int', uint32: 'uint32', bool: 'bool', float64: 'float64', duration: 'time.Duration', stringList: '[]string' };

/** Go's time.ParseDuration, for the units the collector's configs use. */
export function parseGoDuration(s: string): number | undefined {
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let pos = 0;
  const body = s.startsWith('-') || s.startsWith('+') ? s.slice(1) : s;
  if (body === '') return undefined;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  re.lastIndex = 0;
  while ((m = re.exec(body))) {
    total += Number(m[1]) * unit[m[2]!]!;
    pos = re.lastIndex;
  }
  if (pos !== body.length) return undefined;
  return s.startsWith('-') ? -total : total;
}

export function decodeSettings(value: unknown, schema: Schema, path: (string | number)[] = []): DecodeIssue[] {
  if (value == null) return [];
  if (!isConfigMap(value)) return [{ path, message: `'${mapstructureName(path)}' expected a map, got '${goKind(value)}'` }];
  const issues: DecodeIssue[] = [];
  const unknown = Object.keys(value).filter((k) => !Object.hasOwn(schema.fields, k));
  if (unknown.length > 0 && !schema.open) {
    const known = Object.keys(schema.fields);
    for (const key of unknown.sort()) {
      const near = closest(key, known);
      issues.push({ path, key, message: `'${mapstructureName(path)}' has invalid keys: ${key}`, ...(near ? { suggestion: near } : {}) });
    }
  }
  for (const [k, field] of Object.entries(schema.fields)) {
    if (!Object.hasOwn(value, k)) continue;
    issues.push(...decodeField(value[k], field, [...path, k]));
  }
  return issues;
}

function decodeField(v: unknown, field: Field, path: (string | number)[]): DecodeIssue[] {
  const name = mapstructureName(path);
  if (v == null || field === 'any') return [];
  if (typeof field === 'string') {
    const kind = goKind(v);
    const mismatch = (): DecodeIssue[] => [{ path, message: `'${name}' expected type '${GO_TYPE[field]}', got unconvertible type '${kind === 'slice' ? '[]interface {}' : kind === 'map' ? 'map[string]interface {}' : kind}', value: '${String(v)}'` }];
    switch (field) {
      case 'string': return kind === 'string' ? [] : mismatch();
      case 'bool': return kind === 'bool' ? [] : mismatch();
      case 'int': return kind === 'int' ? [] : mismatch();
      case 'float64': return kind === 'int' || kind === 'float64' ? [] : mismatch();
      case 'uint32':
        if (kind !== 'int') return mismatch();
        return (v as number) < 0 ? [{ path, message: `cannot parse '${name}', ${String(v)} overflows uint` }] : [];
      case 'duration':
        if (kind === 'int') return [];
        if (kind !== 'string') return mismatch();
        return parseGoDuration(v as string) === undefined ? [{ path, message: `error decoding '${name}': time: invalid duration "${String(v)}"` }] : [];
      case 'stringList':
        if (kind === 'string') return [];
        if (kind !== 'slice') return [{ path, message: `'${name}': source data must be an array or slice, got ${kind}` }];
        return (v as unknown[]).flatMap((item, i) => decodeField(item, 'string', [...path, i]));
    }
  }
  if ('enum' in field) {
    if (typeof v !== 'string') return [{ path, message: `'${name}' expected type 'string', got unconvertible type '${goKind(v)}', value: '${String(v)}'` }];
    const ok = field.enum.includes(field.caseInsensitive ? v.toLowerCase() : v);
    if (ok) return [];
    const near = closest(v, field.enum);
    return [{ path, message: `error decoding '${name}': ${field.error(v)}`, ...(near ? { suggestion: near } : {}) }];
  }
  if ('list' in field) {
    if (!Array.isArray(v)) return [{ path, message: `'${name}': source data must be an array or slice, got ${goKind(v)}` }];
    return v.flatMap((item, i) => decodeSettings(item, field.list, [...path, i]));
  }
  return decodeSettings(v, field, path);
}

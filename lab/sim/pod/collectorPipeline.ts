// What the emulated collector does with data, for the components the lab's telemetry proof uses: the
// otlp receiver's OTLP/HTTP traces endpoint, the attributes processor's actions, and the debug
// exporter's output (its detailed text is the format of the real exporter's otlptext marshaler).
// Other processors pass data through unchanged.
import { isConfigMap, type ConfigMap } from '../../../shared/collectorConfig/index';
import type { ExportTraceServiceRequest, OtlpAnyValue, OtlpKeyValue } from '../../../shared/otlp/traceProto';

const typeOf = (id: string): string => id.split('/')[0]!;
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** The traces pipelines that take data from `receiver`, in config order. */
export function tracesPipelines(cfg: ConfigMap, receiver: string): { id: string; processors: string[]; exporters: string[] }[] {
  const pipes = isConfigMap(cfg.service) && isConfigMap(cfg.service.pipelines) ? cfg.service.pipelines : {};
  return Object.entries(pipes)
    .filter(([id, p]) => typeOf(id) === 'traces' && isConfigMap(p) && list(p.receivers).includes(receiver))
    .map(([id, p]) => ({ id, processors: list((p as ConfigMap).processors), exporters: list((p as ConfigMap).exporters) }));
}

/** otlp receivers with the HTTP protocol enabled and the port they listen on (default 4318). */
export function otlpHttpReceivers(cfg: ConfigMap): { id: string; port: number }[] {
  const recs = isConfigMap(cfg.receivers) ? cfg.receivers : {};
  const out: { id: string; port: number }[] = [];
  for (const [id, r] of Object.entries(recs)) {
    if (typeOf(id) !== 'otlp' || !isConfigMap(r) || !isConfigMap(r.protocols) || !Object.hasOwn(r.protocols, 'http')) continue;
    const http = r.protocols.http;
    const endpoint = isConfigMap(http) && typeof http.endpoint === 'string' ? http.endpoint : 'localhost:4318';
    const port = Number(/:(\d+)$/.exec(endpoint)?.[1] ?? 4318);
    out.push({ id, port });
  }
  return out;
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

function literal(v: unknown): OtlpAnyValue {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(literal) } };
  if (isConfigMap(v)) return { kvlistValue: { values: Object.entries(v).map(([key, x]) => ({ key, value: literal(x) })) } };
  return {};
}

/** attraction.Process for the actions that need no regex engine beyond JS's: insert, update, upsert, delete. */
function applyAttributeActions(attrs: OtlpKeyValue[], settings: ConfigMap): OtlpKeyValue[] {
  let out = attrs;
  for (const raw of Array.isArray(settings.actions) ? settings.actions : []) {
    if (!isConfigMap(raw)) continue;
    const key = String(raw.key ?? '');
    const action = String(raw.action ?? '').toLowerCase();
    const existing = out.findIndex((a) => a.key === key);
    const source = (): OtlpAnyValue | undefined => {
      if (raw.value != null) return literal(raw.value);
      if (typeof raw.from_attribute === 'string') return out.find((a) => a.key === raw.from_attribute)?.value;
      return undefined;
    };
    if (action === 'delete') out = out.filter((a) => a.key !== key);
    else if (action === 'insert' && existing < 0) { const v = source(); if (v) out = [...out, { key, value: v }]; }
    else if (action === 'update' && existing >= 0) { const v = source(); if (v) out = out.map((a, i) => (i === existing ? { key, value: v } : a)); }
    else if (action === 'upsert') { const v = source(); if (v) out = existing >= 0 ? out.map((a, i) => (i === existing ? { key, value: v } : a)) : [...out, { key, value: v }]; }
  }
  return out;
}

export function runProcessors(req: ExportTraceServiceRequest, processors: string[], cfg: ConfigMap): ExportTraceServiceRequest {
  const procs = isConfigMap(cfg.processors) ? cfg.processors : {};
  const out = clone(req);
  for (const id of processors) {
    if (typeOf(id) !== 'attributes') continue;
    const settings = isConfigMap(procs[id]) ? (procs[id] as ConfigMap) : {};
    for (const rs of out.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) for (const sp of ss.spans ?? []) sp.attributes = applyAttributeActions(sp.attributes ?? [], settings);
  }
  return out;
}

// ---- the debug exporter's text (otlptext) ----------------------------------------------------------

const KINDS = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'];
const STATUS = ['Unset', 'Ok', 'Error'];
const hex = (b?: Uint8Array): string => (b ? [...b].map((x) => x.toString(16).padStart(2, '0')).join('') : '');

/** pcommon.Timestamp.String(): Go's time.Time format with nanoseconds. */
function timestamp(ns?: string | number): string {
  const n = BigInt(ns ?? 0);
  const d = new Date(Number(n / 1_000_000n));
  const p = (x: number, w = 2) => String(x).padStart(w, '0');
  const frac = String(n % 1_000_000_000n).padStart(9, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${frac} +0000 UTC`;
}

function asJson(v?: OtlpAnyValue): unknown {
  if (!v) return null;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(asJson);
  if (v.kvlistValue) return Object.fromEntries((v.kvlistValue.values ?? []).map((kv) => [kv.key, asJson(kv.value)]));
  return null;
}

function valueToString(v?: OtlpAnyValue): string {
  if (!v) return 'Empty()';
  if (v.stringValue !== undefined) return `Str(${v.stringValue})`;
  if (v.boolValue !== undefined) return `Bool(${v.boolValue})`;
  if (v.intValue !== undefined) return `Int(${v.intValue})`;
  if (v.doubleValue !== undefined) return `Double(${v.doubleValue})`;
  if (v.bytesValue) return `Bytes(${Buffer.from(v.bytesValue).toString('base64')})`;
  if (v.arrayValue) return `Slice(${JSON.stringify(asJson(v))})`;
  if (v.kvlistValue) return `Map(${JSON.stringify(asJson(v))})`;
  return 'Empty()';
}

function attributes(header: string, attrs: OtlpKeyValue[] | undefined, out: string[]): void {
  if (!attrs || attrs.length === 0) return;
  out.push(`${header}:`);
  for (const a of attrs) out.push(`     -> ${a.key}: ${valueToString(a.value)}`);
}

export function detailedTraces(req: ExportTraceServiceRequest): string {
  const out: string[] = [];
  for (const [i, rs] of (req.resourceSpans ?? []).entries()) {
    out.push(`ResourceSpans #${i}`, `Resource SchemaURL: ${rs.schemaUrl ?? ''}`);
    attributes('Resource attributes', rs.resource?.attributes, out);
    for (const [j, ss] of (rs.scopeSpans ?? []).entries()) {
      out.push(`ScopeSpans #${j}`, `ScopeSpans SchemaURL: ${ss.schemaUrl ?? ''}`, `InstrumentationScope ${ss.scope?.name ?? ''} ${ss.scope?.version ?? ''}`);
      attributes('InstrumentationScope attributes', ss.scope?.attributes, out);
      for (const [k, sp] of (ss.spans ?? []).entries()) {
        const attr = (name: string, value: string) => out.push(`    ${name.padEnd(15)}: ${value}`);
        out.push(`Span #${k}`);
        attr('Trace ID', hex(sp.traceId));
        attr('Parent ID', hex(sp.parentSpanId));
        attr('ID', hex(sp.spanId));
        attr('Name', sp.name ?? '');
        attr('Kind', KINDS[sp.kind ?? 0] ?? 'Unspecified');
        if (sp.traceState) attr('TraceState', sp.traceState);
        attr('Start time', timestamp(sp.startTimeUnixNano));
        attr('End time', timestamp(sp.endTimeUnixNano));
        attr('Status code', STATUS[sp.status?.code ?? 0] ?? 'Unset');
        attr('Status message', sp.status?.message ?? '');
        attributes('Attributes', sp.attributes, out);
      }
    }
  }
  return `${out.join('\n')}\n`;
}

export function spanCount(req: ExportTraceServiceRequest): number {
  return (req.resourceSpans ?? []).reduce((n, rs) => n + (rs.scopeSpans ?? []).reduce((m, ss) => m + (ss.spans ?? []).length, 0), 0);
}

// The part of OTLP/HTTP traces this lab speaks (ExportTraceServiceRequest/Response), written from the
// OpenTelemetry protocol specification's trace.proto, common.proto, resource.proto and
// trace_service.proto (opentelemetry-proto v1; field numbers as published). Embedded as text so shared/
// needs no fs; protobufjs (a kept library) does the encoding on both sides: the app sending the test
// span and the embedded lab's collector receiving it.
import protobuf from 'protobufjs';

export const OTLP_TRACE_PROTO = `
syntax = "proto3";
package opentelemetry.proto;

message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }

message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  string trace_state = 3;
  bytes parent_span_id = 4;
  fixed32 flags = 16;
  string name = 5;
  enum SpanKind {
    SPAN_KIND_UNSPECIFIED = 0;
    SPAN_KIND_INTERNAL = 1;
    SPAN_KIND_SERVER = 2;
    SPAN_KIND_CLIENT = 3;
    SPAN_KIND_PRODUCER = 4;
    SPAN_KIND_CONSUMER = 5;
  }
  SpanKind kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9;
  uint32 dropped_attributes_count = 10;
  uint32 dropped_events_count = 12;
  uint32 dropped_links_count = 14;
  Status status = 15;
}
message Status {
  string message = 2;
  enum StatusCode { STATUS_CODE_UNSET = 0; STATUS_CODE_OK = 1; STATUS_CODE_ERROR = 2; }
  StatusCode code = 3;
}
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }
message ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }
`;

/** Plain forms of the decoded messages (protobufjs toObject with longs as strings, bytes as Uint8Array). */
export interface OtlpAnyValue { stringValue?: string; boolValue?: boolean; intValue?: string | number; doubleValue?: number; arrayValue?: { values?: OtlpAnyValue[] }; kvlistValue?: { values?: OtlpKeyValue[] }; bytesValue?: Uint8Array }
export interface OtlpKeyValue { key: string; value?: OtlpAnyValue }
export interface OtlpSpan {
  traceId?: Uint8Array; spanId?: Uint8Array; parentSpanId?: Uint8Array; traceState?: string; name?: string; kind?: number;
  startTimeUnixNano?: string | number; endTimeUnixNano?: string | number; attributes?: OtlpKeyValue[]; status?: { message?: string; code?: number };
}
export interface OtlpResourceSpans { resource?: { attributes?: OtlpKeyValue[] }; scopeSpans?: { scope?: { name?: string; version?: string; attributes?: OtlpKeyValue[] }; spans?: OtlpSpan[]; schemaUrl?: string }[]; schemaUrl?: string }
export interface ExportTraceServiceRequest { resourceSpans?: OtlpResourceSpans[] }

let types: { request: protobuf.Type; response: protobuf.Type } | undefined;
function load() {
  if (!types) {
    const root = protobuf.parse(OTLP_TRACE_PROTO, { keepCase: false }).root;
    types = { request: root.lookupType('opentelemetry.proto.ExportTraceServiceRequest'), response: root.lookupType('opentelemetry.proto.ExportTraceServiceResponse') };
  }
  return types;
}

export function encodeTraceRequest(req: ExportTraceServiceRequest): Uint8Array {
  const { request } = load();
  // fromObject (not verify): 64-bit nanosecond times are given as decimal strings.
  return request.encode(request.fromObject(req as Record<string, unknown>)).finish();
}

export function decodeTraceRequest(bytes: Uint8Array): ExportTraceServiceRequest {
  const { request } = load();
  return request.toObject(request.decode(bytes), { longs: String, enums: Number, defaults: false }) as ExportTraceServiceRequest;
}

/**
 * OTLP/JSON (the protobuf JSON mapping, trace and span ids in hex as OTLP specifies) to the plain form
 * decodeTraceRequest gives. protobufjs checks each field's type on the way (a string where a list
 * belongs, a list where a message belongs) and throws, so such a body is a 400, as the collector
 * answers it, instead of reaching the processors.
 */
export function traceRequestFromJson(json: unknown): ExportTraceServiceRequest {
  const { request } = load();
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new TypeError('ExportTraceServiceRequest: object expected');
  const message = request.fromObject(hexIdsToBytes(json) as Record<string, unknown>);
  return request.toObject(message, { longs: String, enums: Number, defaults: false }) as ExportTraceServiceRequest;
}

const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);

/** A copy with the id fields' hex strings as bytes; anything else as it is (fromObject judges it). */
function hexIdsToBytes(v: unknown, depth = 0): unknown {
  if (depth > 64 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => hexIdsToBytes(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    out[k] = ID_FIELDS.has(k) && typeof x === 'string' && /^(?:[0-9a-f]{2})*$/i.test(x) ? Uint8Array.from(x.match(/../g) ?? [], (h) => parseInt(h, 16)) : hexIdsToBytes(x, depth + 1);
  }
  return out;
}

export function encodeTraceResponse(rejected = 0, message = ''): Uint8Array {
  const { response } = load();
  return response.encode(response.fromObject(rejected || message ? { partialSuccess: { rejectedSpans: rejected, errorMessage: message } } : {})).finish();
}

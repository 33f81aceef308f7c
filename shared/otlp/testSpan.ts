// The telemetry proof's test span and how to find it again: one span sent over OTLP/HTTP to the agent's
// receiver, then looked for in /storage/agent.log as the debug exporter prints it (detailed verbosity),
// with the attribute the guide's overlay adds (attributes/test_opamp: opamp.ui_test = hello-from-ui).
import { encodeTraceRequest } from './traceProto';

export const TEST_ATTRIBUTE = { key: 'opamp.ui_test', value: 'hello-from-ui' } as const;
export const TEST_SPAN_NAME = 'opamp-lab telemetry proof';

const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

/** A request with one span; ids from `random` (crypto.getRandomValues on either side). */
export function testSpanRequest(random: (n: number) => Uint8Array, nowMs = Date.now()): { body: Uint8Array; traceId: string; spanId: string } {
  const traceId = random(16);
  const spanId = random(8);
  const start = BigInt(nowMs) * 1_000_000n;
  const body = encodeTraceRequest({
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'opamp-lab' } }] },
      scopeSpans: [{
        scope: { name: 'opamp-lab', version: '0.1.0' },
        spans: [{ traceId, spanId, name: TEST_SPAN_NAME, kind: 1, startTimeUnixNano: start.toString(), endTimeUnixNano: (start + 1_000_000n).toString() }],
      }],
    }],
  });
  return { body, traceId: hex(traceId), spanId: hex(spanId) };
}

export interface SpanSighting {
  /** The debug exporter printed the span (its Trace ID line). */
  printed: boolean;
  /** The span's attribute lines as printed. */
  attributes: string[];
  /** The overlay's attribute line, when present. */
  evidence?: string;
}

/**
 * Looks for the span in agent.log. The collector logs JSON (the supervisor's telemetry config), so the
 * debug exporter's text is a JSON "msg" with newlines; plain console output is read as is.
 */
export function findTestSpan(agentLog: string, traceId: string): SpanSighting {
  const texts: string[] = [];
  for (const line of agentLog.split('\n')) {
    if (!line.includes(traceId)) continue;
    if (line.startsWith('{')) {
      try {
        const msg = (JSON.parse(line) as { msg?: unknown }).msg;
        if (typeof msg === 'string') texts.push(msg);
        continue;
      } catch {
        // not JSON after all: read it as text
      }
    }
    texts.push(line);
  }
  // Console encoding spreads the block over lines: take the whole log around the Trace ID then.
  if (texts.length === 0 || texts.every((t) => !t.includes('\n'))) texts.push(agentLog);
  for (const text of texts) {
    const lines = text.split('\n');
    const at = lines.findIndex((l) => /^\s*Trace ID\s*: /.test(l) && l.trim().endsWith(traceId));
    if (at < 0) continue;
    const attributes: string[] = [];
    let i = at + 1;
    while (i < lines.length && !/^Span #\d+|^ScopeSpans #|^ResourceSpans #/.test(lines[i]!)) {
      if (/^\s+-> /.test(lines[i]!) && lines.slice(at, i).some((l) => l === 'Attributes:')) attributes.push(lines[i]!.trim());
      i++;
    }
    const want = `-> ${TEST_ATTRIBUTE.key}: Str(${TEST_ATTRIBUTE.value})`;
    const evidence = attributes.find((a) => a === want);
    return { printed: true, attributes, ...(evidence ? { evidence } : {}) };
  }
  return { printed: false, attributes: [] };
}

import { describe, expect, it } from 'vitest';
import { decodeTraceRequest, traceRequestFromJson } from './traceProto';
import { testSpanRequest } from './testSpan';

const random = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff);

describe('OTLP trace requests', () => {
  it('OTLP/JSON with hex ids reads as the same request as its protobuf encoding', () => {
    const { body, traceId, spanId } = testSpanRequest(random, 1_700_000_000_000);
    const fromProto = decodeTraceRequest(body);
    const span = fromProto.resourceSpans![0]!.scopeSpans![0]!.spans![0]!;
    // As an OTLP/JSON exporter writes it: ids in hex (the replacer sees a Buffer before its toJSON).
    const otlpJson = (v: unknown): string => JSON.stringify(v, function (this: Record<string, unknown>, k: string, x: unknown) {
      const raw = this[k];
      return raw instanceof Uint8Array ? Buffer.from(raw).toString('hex') : x;
    });
    const json = JSON.parse(otlpJson(fromProto)) as unknown;
    expect(JSON.stringify(json)).toContain(`"traceId":"${traceId}"`);
    const fromJson = traceRequestFromJson(json);
    // Ids are bytes either way (a Buffer from the protobuf decoder, a Uint8Array from JSON).
    expect(fromJson.resourceSpans![0]!.scopeSpans![0]!.spans![0]!.traceId).toBeInstanceOf(Uint8Array);
    expect(otlpJson(fromJson)).toBe(otlpJson(fromProto));
    expect(Buffer.from(span.traceId!).toString('hex')).toBe(traceId);
    expect(Buffer.from(fromJson.resourceSpans![0]!.scopeSpans![0]!.spans![0]!.spanId!).toString('hex')).toBe(spanId);
  });

  it('refuses bodies of the wrong shape with a TypeError (the receiver answers 400), never passes them on', () => {
    for (const bad of [null, [], 'x', 5, { resourceSpans: 5 }, { resourceSpans: [{ scopeSpans: 'x' }] }, { resourceSpans: [{ scopeSpans: [{ spans: [{ attributes: 'zz' }] }] }] }, { resourceSpans: [{ resource: { attributes: 5 } }] }]) {
      expect(() => traceRequestFromJson(bad), JSON.stringify(bad)).toThrow(TypeError);
    }
    expect(traceRequestFromJson({})).toEqual({});
  });
});

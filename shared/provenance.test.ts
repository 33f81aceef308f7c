import { describe, expect, it } from 'vitest';
import { TEST_OPAMP_OVERLAY } from './guideOverlays';
import { lineOrigins, originSummary } from './provenance';

// The guide's overlay, and lab/agent/collector.yaml inline: shared/ tests do no I/O.
const overlay = TEST_OPAMP_OVERLAY;
const base = `# Base collector config: OTLP in, debug out. The supervisor merges the
# server's overlay on top of this and writes the result to /storage/effective.yaml.
receivers:
  otlp:
    protocols:
      grpc:
      http:

exporters:
  debug:
    verbosity: detailed

service:
  pipelines:
    logs:
      receivers: [otlp]
      exporters: [debug]
    metrics:
      receivers: [otlp]
      exporters: [debug]
    traces:
      receivers: [otlp]
      exporters: [debug]
`;

// The shape the supervisor writes: base + its own sections + the overlay merged last,
// keys sorted, 4-space indent, comments gone, nulls spelled out.
const effective = `exporters:
    debug:
        verbosity: detailed
extensions:
    opamp:
        capabilities:
            reports_available_components: true
        instance_uid: 019a6c1e-7b7e-7c3a-9b1e-3f1d2a4b5c6d
        ppid: 1
        ppid_poll_interval: 5s
        server:
            ws:
                endpoint: ws://127.0.0.1:38411/v1/opamp
                tls:
                    insecure: true
processors:
    attributes/test_opamp:
        actions:
            - action: insert
              key: opamp.ui_test
              value: hello-from-ui
receivers:
    otlp:
        protocols:
            grpc: null
            http: null
service:
    extensions:
        - opamp
    pipelines:
        logs:
            exporters:
                - debug
            receivers:
                - otlp
        traces:
            exporters:
                - debug
            processors:
                - attributes/test_opamp
            receivers:
                - otlp
    telemetry:
        logs:
            encoding: json
`;

describe('effective.yaml provenance', () => {
  const origins = lineOrigins(effective, { overlay, base });
  const lines = effective.replace(/\n$/, '').split('\n');
  const at = (text: string, nth = 0): string | undefined => {
    const idxs = lines.map((l, i) => (l.trim() === text ? i : -1)).filter((i) => i >= 0);
    const i = idxs[nth];
    return i === undefined ? undefined : origins[i];
  };

  it('gives one origin per line', () => {
    expect(origins).toHaveLength(lines.length);
  });

  it('marks the overlay lines, including list items and their keys', () => {
    expect(at('processors:')).toBe('overlay');
    expect(at('attributes/test_opamp:')).toBe('overlay');
    expect(at('- action: insert')).toBe('overlay');
    expect(at('key: opamp.ui_test')).toBe('overlay');
    expect(at('value: hello-from-ui')).toBe('overlay');
    expect(at('- attributes/test_opamp')).toBe('overlay');
    // service.pipelines.traces.processors is the overlay's; its siblings are the base's.
    expect(at('processors:', 1)).toBe('overlay');
  });

  it('marks the base collector.yaml lines', () => {
    expect(at('exporters:')).toBe('base');
    expect(at('verbosity: detailed')).toBe('base');
    expect(at('grpc: null')).toBe('base');
    expect(at('service:')).toBe('base');
    expect(at('traces:')).toBe('base');
    expect(at('- otlp')).toBe('base');
  });

  it('marks what the supervisor added', () => {
    expect(at('extensions:')).toBe('supervisor');
    expect(at('endpoint: ws://127.0.0.1:38411/v1/opamp')).toBe('supervisor');
    expect(at('- opamp')).toBe('supervisor');
    expect(at('encoding: json')).toBe('supervisor');
    expect(originSummary(origins).overlay).toBe(8);
  });

  it('without an overlay nothing is attributed to it; unparsable text is all supervisor', () => {
    expect(lineOrigins(effective, { base }).includes('overlay')).toBe(false);
    expect(lineOrigins('a: [\n', { base })).toEqual(['supervisor']);
    expect(lineOrigins('', {})).toEqual([]);
  });

  it('a base value the overlay overrides belongs to the overlay', () => {
    const eff = 'exporters:\n    debug:\n        verbosity: basic\n';
    expect(lineOrigins(eff, { base, overlay: 'exporters:\n  debug:\n    verbosity: basic\n' })).toEqual(['base', 'base', 'overlay']);
  });
});

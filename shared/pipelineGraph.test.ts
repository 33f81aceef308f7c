import { describe, expect, it } from 'vitest';
import { extractPipelineGraph, overlayComponentPaths } from './pipelineGraph';
import { lineOrigins } from './provenance';

const config = `
receivers:
  otlp: {}
processors:
  batch: {}
  attributes/test_opamp: {}
exporters:
  debug: {}
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch, attributes/test_opamp]
      exporters: [debug]
    metrics:
      receivers: [otlp]
      exporters: [debug]
`;

describe('extractPipelineGraph', () => {
  it('chains receivers → processors in order → exporters per pipeline', () => {
    const g = extractPipelineGraph(config);
    expect(g.pipelines).toEqual(['traces', 'metrics']);
    expect(g.edges).toEqual([
      { from: 'traces/receiver/otlp', to: 'traces/processor/batch' },
      { from: 'traces/processor/batch', to: 'traces/processor/attributes/test_opamp' },
      { from: 'traces/processor/attributes/test_opamp', to: 'traces/exporter/debug' },
      { from: 'metrics/receiver/otlp', to: 'metrics/exporter/debug' },
    ]);
  });

  it('flags the components the overlay set', () => {
    const g = extractPipelineGraph(config, [['processors', 'attributes/test_opamp', 'actions'], ['service', 'pipelines', 'traces', 'processors']]);
    const flagged = g.nodes.filter((n) => n.fromOverlay).map((n) => n.id);
    expect(flagged).toEqual(['traces/processor/attributes/test_opamp']);
  });

  it('marks overlay components by the line provenance of effective.yaml, whoever sent the overlay', () => {
    const origins = lineOrigins(config, { overlay: 'processors:\n  attributes/test_opamp:\n    actions: []\n' });
    const paths = overlayComponentPaths(config, origins);
    expect(paths).toEqual([['processors', 'attributes/test_opamp']]);
    expect(extractPipelineGraph(config, paths).nodes.filter((n) => n.fromOverlay).map((n) => n.id)).toEqual(['traces/processor/attributes/test_opamp']);
    expect(overlayComponentPaths(config, [])).toEqual([]);
  });

  it('reports a parse error instead of throwing, and an empty graph without pipelines', () => {
    expect(extractPipelineGraph('a: [').error).toMatch(/does not parse/);
    expect(extractPipelineGraph('receivers: {}\n')).toEqual({ pipelines: [], nodes: [], edges: [] });
  });
});

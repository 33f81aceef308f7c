import { describe, expect, it } from 'vitest';
import { extractPipelineGraph } from './pipelineGraph';

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

  it('reports a parse error instead of throwing, and an empty graph without pipelines', () => {
    expect(extractPipelineGraph('a: [').error).toMatch(/does not parse/);
    expect(extractPipelineGraph('receivers: {}\n')).toEqual({ pipelines: [], nodes: [], edges: [] });
  });
});

// The current effective config as a graph: receivers → processors → exporters
// per pipeline, laid out by dagre; components the overlay added are highlighted.
import { useMemo } from 'react';
import dagre from '@dagrejs/dagre';
import { extractPipelineGraph, overlayComponentPaths } from '../../shared/pipelineGraph';
import { useLab } from './store';

const W = 170;
const H = 34;

export function PipelineGraphView() {
  const agents = useLab((s) => s.agents);
  const current = agents[0]?.effectiveConfig.at(-1);
  const content = current?.content;
  const origins = current?.origins;
  const layout = useMemo(() => {
    if (!content) return undefined;
    // Provenance of effective.yaml's lines (against the overlay the server keeps), not of what this app sent.
    const graph = extractPipelineGraph(content, overlayComponentPaths(content, origins ?? []));
    const g = new dagre.graphlib.Graph();
    g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 50, marginx: 10, marginy: 10 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const n of graph.nodes) g.setNode(n.id, { width: W, height: H });
    for (const e of graph.edges) g.setEdge(e.from, e.to);
    dagre.layout(g);
    return { graph, g };
  }, [content, origins]);

  if (!layout) return <div className="empty">No effective config yet: the graph appears once effective.yaml exists.</div>;
  const { graph, g } = layout;
  if (graph.error) return <div className="empty error">{graph.error}</div>;
  if (graph.nodes.length === 0) return <div className="empty">The effective config has no pipelines.</div>;
  const size = g.graph();
  return (
    <div className="pipeline">
      <div className="legend muted">
        <span className="swatch kind-receiver">receiver</span> <span className="swatch kind-processor">processor</span>{' '}
        <span className="swatch kind-exporter">exporter</span> <span className="swatch from-overlay">added by the overlay</span>
      </div>
      <svg
        role="img"
        aria-label={`Pipelines: ${graph.pipelines.join(', ')}`}
        width={size.width ?? 0}
        height={size.height ?? 0}
        viewBox={`0 0 ${size.width ?? 0} ${size.height ?? 0}`}
      >
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto">
            <path d="M0,0 L10,5 L0,10 z" className="arrow" />
          </marker>
        </defs>
        {g.edges().map((e) => {
          const pts = g.edge(e).points ?? [];
          return <polyline key={`${e.v}-${e.w}`} className="edge" points={pts.map((p: { x: number; y: number }) => `${p.x},${p.y}`).join(' ')} markerEnd="url(#arrow)" />;
        })}
        {graph.nodes.map((n) => {
          const p = g.node(n.id);
          return (
            <g key={n.id} transform={`translate(${p.x - W / 2},${p.y - H / 2})`} className={`node kind-${n.kind}${n.fromOverlay ? ' from-overlay' : ''}`} data-node={n.id}>
              <rect width={W} height={H} rx={6} />
              <text x={8} y={14} className="node-pipeline">{n.pipeline} · {n.kind}</text>
              <text x={8} y={28}>{n.name.length > 24 ? n.name.slice(0, 23) + '…' : n.name}</text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}

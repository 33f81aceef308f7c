// The pipeline graph of a collector config: for each pipeline under
// service.pipelines, receivers → processors (in order) → exporters. Pure; the
// renderer lays it out. Components the overlay sets are flagged so they can be
// highlighted.
import { tryParseYaml } from './yamlSafe';
import { keyLines } from './provenance';
import type { LineOrigin } from './state';

export type ComponentKind = 'receiver' | 'processor' | 'exporter';

export interface GraphNode {
  /** Unique per pipeline: "traces/processor/batch". */
  id: string;
  pipeline: string;
  kind: ComponentKind;
  name: string;
  fromOverlay: boolean;
}

export interface GraphEdge {
  from: string;
  to: string;
}

export interface PipelineGraph {
  pipelines: string[];
  nodes: GraphNode[];
  edges: GraphEdge[];
  error?: string;
}

function names(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Key paths of the components whose definition line effective.yaml attributes to the overlay (its line
 * provenance), so the graph marks them whoever sent the overlay: the app, the server UI or the CLI.
 */
export function overlayComponentPaths(yamlText: string, origins: readonly LineOrigin[]): string[][] {
  const parsed = tryParseYaml(yamlText);
  if (!parsed.ok) return [];
  const doc = parsed.value;
  const components: string[][] = [];
  for (const kind of ['receivers', 'processors', 'exporters', 'connectors']) {
    const section = (doc as Record<string, unknown> | null)?.[kind];
    if (!section || typeof section !== 'object') continue;
    for (const name of Object.keys(section)) components.push([kind, name]);
  }
  const lines = keyLines(yamlText, components);
  return components.filter((_, i) => lines[i] !== undefined && origins[lines[i]! - 1] === 'overlay');
}

/** overlayKeyPaths: key paths the overlay sets, e.g. ["processors", "attributes/test_opamp", "actions"]. */
export function extractPipelineGraph(yamlText: string, overlayKeyPaths: readonly (readonly string[])[] = []): PipelineGraph {
  const parsed = tryParseYaml(yamlText);
  if (!parsed.ok) return { pipelines: [], nodes: [], edges: [], error: `effective config does not parse: ${parsed.error}` };
  const doc = parsed.value;
  const service = (doc as { service?: { pipelines?: Record<string, unknown> } } | null)?.service;
  const pipelinesObj = service?.pipelines;
  if (!pipelinesObj || typeof pipelinesObj !== 'object') return { pipelines: [], nodes: [], edges: [] };
  const overlay = new Set(overlayKeyPaths.filter((p) => p.length >= 2).map((p) => `${p[0]}.${p[1]}`));
  const graph: PipelineGraph = { pipelines: [], nodes: [], edges: [] };
  for (const [pipeline, raw] of Object.entries(pipelinesObj)) {
    const spec = (raw ?? {}) as Record<string, unknown>;
    graph.pipelines.push(pipeline);
    const node = (kind: ComponentKind, name: string): GraphNode => {
      const n: GraphNode = {
        id: `${pipeline}/${kind}/${name}`,
        pipeline,
        kind,
        name,
        fromOverlay: overlay.has(`${kind}s.${name}`),
      };
      graph.nodes.push(n);
      return n;
    };
    const receivers = names(spec.receivers).map((n) => node('receiver', n));
    const processors = names(spec.processors).map((n) => node('processor', n));
    const exporters = names(spec.exporters).map((n) => node('exporter', n));
    const link = (from: GraphNode[], to: GraphNode[]) => {
      for (const a of from) for (const b of to) graph.edges.push({ from: a.id, to: b.id });
    };
    if (processors.length > 0) {
      link(receivers, processors.slice(0, 1));
      for (let i = 1; i < processors.length; i++) link([processors[i - 1]!], [processors[i]!]);
      link(processors.slice(-1), exporters);
    } else {
      link(receivers, exporters);
    }
  }
  return graph;
}

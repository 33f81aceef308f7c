// The one way this project parses YAML that a person or a peer can influence (overlays, collector
// and supervisor configs, files read from pods). The `yaml` library expands aliases lazily, so a
// few KB of nested aliases ("billion laughs") can make a tree walk or toJS run for minutes, and an
// alias inside its own anchor makes a cycle that overflows the stack. Both are refused here, in
// one linear pass, before anyone walks the document.
import { isAlias, isCollection, isPair, isScalar, parseDocument, type Document, type DocumentOptions, type Node, type ParseOptions, type SchemaOptions } from 'yaml';

export const YAML_LIMITS = {
  /** Characters of source text. Overlays and collector configs are a few KB; 2 MiB is generous. */
  maxChars: 2 * 1024 * 1024,
  /** Nodes the document would have with every alias expanded (Go's yaml.v3 refuses excessive aliasing too). */
  maxExpandedNodes: 200_000,
  /** Nesting depth of collections. */
  maxDepth: 256,
} as const;

/** A document that is refused for its size or shape, not for its syntax. */
export class YamlLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'YamlLimitError';
  }
}

export type SafeParseOptions = ParseOptions & DocumentOptions & SchemaOptions & { limits?: Partial<typeof YAML_LIMITS> };

/**
 * Parses one YAML document. Syntax errors stay in `doc.errors` as the library reports them;
 * budget violations (size, depth, alias expansion, self-referencing alias) throw YamlLimitError.
 */
export function parseYamlDocument(text: string, options: SafeParseOptions = {}): Document.Parsed {
  const { limits: given, ...parseOptions } = options;
  const limits = { ...YAML_LIMITS, ...given };
  if (text.length > limits.maxChars) {
    throw new YamlLimitError(`YAML document too large: ${text.length} characters (limit ${limits.maxChars})`);
  }
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, parseOptions);
  } catch (err) {
    // Deep flow nesting can exhaust the parser's own stack.
    if (err instanceof RangeError) throw new YamlLimitError(`YAML document nested too deeply to parse`);
    throw err;
  }
  if (doc.errors.length === 0) checkExpansion(doc, limits);
  return doc;
}

/**
 * Parses YAML to plain values, within the same budget. Throws the first syntax error (as an Error
 * whose message is the library's) or a YamlLimitError.
 */
export function parseYaml(text: string, options: SafeParseOptions = {}): unknown {
  const doc = parseYamlDocument(text, options);
  const first = doc.errors[0];
  if (first) throw first;
  return doc.toJS({ maxAliasCount: -1 });
}

/** Counts the nodes of the fully expanded document, memoised per node, refusing cycles and deep nesting. */
function checkExpansion(doc: Document.Parsed, limits: typeof YAML_LIMITS): void {
  const sizes = new Map<Node, number>();
  const onStack = new Set<Node>();
  const size = (node: unknown, depth: number): number => {
    if (node === null || node === undefined || isScalar(node)) return 1;
    if (depth > limits.maxDepth) throw new YamlLimitError(`YAML document nested deeper than ${limits.maxDepth} levels`);
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) return 1;
      if (onStack.has(target)) throw new YamlLimitError(`YAML alias *${node.source} refers to its own anchor (a cycle)`);
      return size(target, depth + 1);
    }
    if (!isCollection(node)) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    onStack.add(node);
    let total = 1;
    for (const item of node.items) {
      total += isPair(item) ? size(item.key, depth + 1) + size(item.value, depth + 1) : size(item, depth + 1);
      if (total > limits.maxExpandedNodes) break;
    }
    onStack.delete(node);
    if (total > limits.maxExpandedNodes) {
      throw new YamlLimitError(`YAML aliases expand to more than ${limits.maxExpandedNodes} nodes (an alias bomb?)`);
    }
    sizes.set(node, total);
    return total;
  };
  size(doc.contents, 0);
}

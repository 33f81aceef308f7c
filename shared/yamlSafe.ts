// The one way this project parses YAML that a person or a peer can influence (overlays, collector
// and supervisor configs, files read from pods). The `yaml` library expands aliases lazily, so a
// few KB of nested aliases ("billion laughs") can make a tree walk or toJS run for minutes, and an
// alias inside its own anchor makes a cycle that overflows the stack. Both are refused here, in
// one linear pass, before anyone walks the document.
import { isAlias, isCollection, isNode, isPair, isScalar, LineCounter, parseAllDocuments, parseDocument, type Alias, type Document, type DocumentOptions, type Node, type ParseOptions, type SchemaOptions } from 'yaml';

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
  const doc = Object.keys(options).length === 0 ? linedYamlDocument(text).doc : parseYamlDocument(text, options);
  const first = doc.errors[0];
  if (first) throw first;
  return doc.toJS({ maxAliasCount: -1 });
}

/** A parsed document with the line positions of its source. */
export interface LinedDocument {
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

const LINED_KEPT = 4;
/** Longer texts (a pasted manifest, a test's bomb) are parsed each time rather than kept. */
const LINED_KEPT_CHARS = 256 * 1024;
const linedKept = new Map<string, LinedDocument | YamlLimitError>();

/**
 * One file's document with line positions (default options), parsed once for every reader of the same
 * text: the collector-config validator, provenance, the criteria and the instance uid all read each new
 * effective.yaml, and parseYaml without options reads through it too. The last few texts are kept
 * (effective.yaml, the overlay and the base config alternate). Callers must not change the document. Syntax errors stay in `doc.errors`; a text over
 * the budget throws YamlLimitError, every time it is asked for.
 */
export function linedYamlDocument(text: string): LinedDocument {
  let entry = linedKept.get(text);
  if (entry === undefined) {
    const lineCounter = new LineCounter();
    try {
      entry = { doc: parseYamlDocument(text, { lineCounter }), lineCounter };
    } catch (err) {
      if (!(err instanceof YamlLimitError)) throw err;
      entry = err;
    }
    if (text.length <= LINED_KEPT_CHARS) {
      if (linedKept.size >= LINED_KEPT) linedKept.delete(linedKept.keys().next().value as string);
      linedKept.set(text, entry);
    }
  }
  if (entry instanceof YamlLimitError) throw entry;
  return entry;
}

/** parseYaml that never throws: the value, or the first line of the syntax or budget error. */
export function tryParseYaml(text: string, options: SafeParseOptions = {}): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: parseYaml(text, options) };
  } catch (err) {
    return { ok: false, error: (err as Error).message.split('\n')[0] ?? String(err) };
  }
}

/**
 * Every document of a multi-document stream (manifests), each within the budget (the size limit
 * applies to the whole text). Syntax errors stay in each document's `errors`.
 */
export function parseAllYamlDocuments(text: string, options: SafeParseOptions = {}): Document.Parsed[] {
  const { limits: given, ...parseOptions } = options;
  const limits = { ...YAML_LIMITS, ...given };
  if (text.length > limits.maxChars) {
    throw new YamlLimitError(`YAML stream too large: ${text.length} characters (limit ${limits.maxChars})`);
  }
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, parseOptions);
  } catch (err) {
    if (err instanceof RangeError) throw new YamlLimitError(`YAML document nested too deeply to parse`);
    throw err;
  }
  // An empty stream is an empty array with extra fields: return a plain one.
  const list = [...(docs as Document.Parsed[])];
  for (const doc of list) if (doc.errors.length === 0) checkExpansion(doc, limits);
  return list;
}

/**
 * What each alias refers to, found in one pass in document order: the last anchor of that name
 * before the alias, as YAML defines it. (The library's Alias.resolve walks the whole document for
 * every alias, which alone takes a second for a 12 KB bomb of 2,000 aliases.) An anchor is known
 * from the start of its node, so an alias inside its own anchored node refers to that node.
 */
function aliasTargets(doc: Document.Parsed, limits: typeof YAML_LIMITS): Map<Alias, Node> {
  const anchors = new Map<string, Node>();
  const targets = new Map<Alias, Node>();
  const walk = (node: unknown, depth: number): void => {
    if (depth > limits.maxDepth) throw new YamlLimitError(`YAML document nested deeper than ${limits.maxDepth} levels`);
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target) targets.set(node, target);
      return;
    }
    if (!isNode(node)) return;
    if (node.anchor) anchors.set(node.anchor, node);
    if (!isCollection(node)) return;
    for (const item of node.items) {
      if (isPair(item)) {
        walk(item.key, depth + 1);
        walk(item.value, depth + 1);
      } else walk(item, depth + 1);
    }
  };
  walk(doc.contents, 0);
  return targets;
}

/** Counts the nodes of the fully expanded document, memoised per node, refusing cycles and deep nesting. */
function checkExpansion(doc: Document.Parsed, limits: typeof YAML_LIMITS): void {
  const targets = aliasTargets(doc, limits);
  const sizes = new Map<Node, number>();
  const onStack = new Set<Node>();
  const size = (node: unknown, depth: number): number => {
    if (node === null || node === undefined || isScalar(node)) return 1;
    if (depth > limits.maxDepth) throw new YamlLimitError(`YAML document nested deeper than ${limits.maxDepth} levels`);
    if (isAlias(node)) {
      const target = targets.get(node);
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

// Where each line of effective.yaml came from: the overlay the server sent, the
// base collector.yaml, or the supervisor itself (opamp extension, telemetry,
// …). Works on the yaml package's AST with source ranges, so any layout the
// supervisor prints (keys sorted, 4-space indent, flow or block lists) maps
// back to lines exactly.
import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import { linedYamlDocument, tryParseYaml, type LinedDocument } from './yamlSafe';
import type { LineOrigin } from './state';
import { isPlainObject } from './overlay';

type Segment = string | number;

export interface ProvenanceSources {
  /** The overlay text (remote config) last sent; absent when none. */
  overlay?: string;
  /** The base collector config (collector.yaml). */
  base?: string;
}

/** The document with its line positions, or undefined when it does not parse or is over the YAML budget. */
function linedDocument(text: string): LinedDocument | undefined {
  try {
    const lined = linedYamlDocument(text);
    return lined.doc.errors.length > 0 ? undefined : lined;
  } catch {
    return undefined;
  }
}

function parseLoose(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return undefined;
  const parsed = tryParseYaml(text);
  return parsed.ok ? parsed.value : undefined;
}

function lookup(root: unknown, path: Segment[]): { found: boolean; value?: unknown } {
  let cur: unknown = root;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!Array.isArray(cur) || seg >= cur.length) return { found: false };
      cur = cur[seg];
    } else {
      if (!isPlainObject(cur) || !Object.hasOwn(cur, seg)) return { found: false };
      cur = cur[seg];
    }
  }
  return { found: true, value: cur };
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

/**
 * Origins of every line (index = line - 1). Maps that exist in the base belong to
 * the base (the overlay only adds inside them); leaves (scalars, lists) belong to
 * the last source that set them — the overlay, merged last, wins.
 */
export function lineOrigins(effective: string, sources: ProvenanceSources): LineOrigin[] {
  const lineCount = effective === '' ? 0 : effective.replace(/\n$/, '').split('\n').length;
  const result: (LineOrigin | undefined)[] = new Array<LineOrigin | undefined>(lineCount).fill(undefined);
  const lined = linedDocument(effective);
  if (!lined) return new Array<LineOrigin>(lineCount).fill('supervisor');
  const { doc, lineCounter } = lined;
  const overlay = parseLoose(sources.overlay);
  const base = parseLoose(sources.base);

  const mark = (offset: number | undefined, origin: LineOrigin): void => {
    if (offset === undefined) return;
    const line = lineCounter.linePos(offset).line - 1;
    if (line >= 0 && line < result.length && result[line] === undefined) result[line] = origin;
  };

  const originOf = (path: Segment[], value: unknown, container: boolean): LineOrigin => {
    const inBase = lookup(base, path);
    const inOverlay = lookup(overlay, path);
    if (container) return inBase.found ? 'base' : inOverlay.found ? 'overlay' : 'supervisor';
    if (inOverlay.found && deepEqual(inOverlay.value, value)) return 'overlay';
    if (inBase.found && deepEqual(inBase.value, value)) return 'base';
    if (inOverlay.found) return 'overlay';
    return inBase.found ? 'base' : 'supervisor';
  };

  // `fixed` is set once inside a leaf (a list or a scalar): everything below shares its origin.
  const walk = (node: unknown, path: Segment[], fixed: LineOrigin | undefined): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const childPath = [...path, keyText(pair.key)];
        const value = pair.value as Node | null;
        const plain = value && typeof (value as { toJSON?: unknown }).toJSON === 'function' ? (value as Node).toJSON() : (value as unknown);
        const container = isMap(value) && value.items.length > 0;
        const origin = fixed ?? originOf(childPath, plain ?? null, container);
        mark((pair.key as Node | null)?.range?.[0], origin);
        if (value) {
          // A block map's range starts at its first child's line: let the child mark it.
          if (!isMap(value)) mark(value.range?.[0], origin);
          walk(value, childPath, container ? fixed : origin);
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const origin = fixed ?? 'supervisor';
        mark((item as Node | null)?.range?.[0], origin);
        walk(item, [...path, i], origin);
      });
    }
  };
  walk(doc.contents, [], undefined);

  // Lines that start no node (block scalar bodies, blank lines) take the origin above them.
  let previous: LineOrigin = 'supervisor';
  return result.map((o) => (previous = o ?? previous));
}

/** Counts per origin, for a one-line summary next to the file. */
export function originSummary(origins: LineOrigin[]): Record<LineOrigin, number> {
  const counts: Record<LineOrigin, number> = { overlay: 0, base: 0, supervisor: 0 };
  for (const o of origins) counts[o] += 1;
  return counts;
}

/** 1-based line of the key at `path` in a YAML text, for evidence that quotes the file like grep -n. */
export function keyLine(text: string, path: readonly string[]): number | undefined {
  return keyLines(text, [path])[0];
}

/** keyLine for several paths of one text, parsing it once (callers look up every component or key path). */
export function keyLines(text: string, paths: readonly (readonly string[])[]): (number | undefined)[] {
  const lined = linedDocument(text);
  if (!lined) return paths.map(() => undefined);
  const { doc, lineCounter } = lined;
  return paths.map((path) => {
    let node: unknown = doc.contents;
    let line: number | undefined;
    for (const seg of path) {
      if (!isMap(node)) return undefined;
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === seg);
      if (!pair) return undefined;
      const start = (pair.key as Node | null)?.range?.[0];
      line = start === undefined ? undefined : lineCounter.linePos(start).line;
      node = pair.value;
    }
    return line;
  });
}

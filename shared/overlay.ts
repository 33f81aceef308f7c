// Overlay checks before anything is sent: it must parse and be a YAML mapping.
// Key paths are what `overlay-visible` later looks for in effective.yaml.
import { isMap, isScalar, isSeq, type Document } from 'yaml';
import { parseYamlDocument, YamlLimitError } from './yamlSafe';
import type { OverlayValidation } from './api';
import { labBaseConfig } from './collectorConfig/labBase';
import { validateOverlayConfig } from './collectorConfig/validate';

/** A key path as segments; keys may contain dots ("attributes/test_opamp" does not, but "a.b" could). */
export type KeyPath = string[];

export function formatKeyPath(path: KeyPath): string {
  return path.join('.');
}

/** Leaf key paths of a plain value: maps recurse, anything else (scalar, list, null, empty map) is a leaf. */
export function leafKeyPaths(value: unknown, prefix: KeyPath = []): KeyPath[] {
  if (!isPlainObject(value)) return prefix.length > 0 ? [prefix] : [];
  const keys = Object.keys(value);
  if (keys.length === 0) return prefix.length > 0 ? [prefix] : [];
  return keys.flatMap((k) => leafKeyPaths(value[k], [...prefix, k]));
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows a key path through nested maps; `found` is false when a segment is missing. */
export function getPath(root: unknown, path: KeyPath): { found: boolean; value?: unknown } {
  let cur: unknown = root;
  for (const seg of path) {
    if (!isPlainObject(cur) || !Object.hasOwn(cur, seg)) return { found: false };
    cur = cur[seg];
  }
  return { found: true, value: cur };
}

function describeNode(doc: Document): string {
  const c = doc.contents;
  if (isSeq(c)) return 'a list';
  if (isScalar(c)) return typeof c.value === 'string' ? 'a plain string' : `a ${typeof c.value}`;
  return 'not a mapping';
}

export interface ParsedOverlay extends OverlayValidation {
  value?: Record<string, unknown>;
}

/** The overlay checked and parsed as the supervisor takes it, with the collector's verdict on the merge. */
export function validateOverlay(text: string): ParsedOverlay {
  const parsed = parseOverlay(text);
  return parsed.ok ? { ...parsed, collector: collectorVerdict(text) } : parsed;
}

/**
 * The supervisor's side only: YAML, a mapping, usable top-level keys. Key paths need no more; the
 * collector's verdict (the whole merged config validated) is what makes validateOverlay costly.
 */
function parseOverlay(text: string): ParsedOverlay {
  if (text.trim() === '' || /^(\s*#.*\n?)*\s*$/.test(text)) {
    return { ok: false, errors: [{ message: 'The overlay is empty: write a YAML mapping such as "processors: …" first.' }], keyPaths: [] };
  }
  let doc: Document.Parsed;
  try {
    doc = parseYamlDocument(text, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    // An alias bomb, a self-referencing alias, an oversized or too deeply nested document.
    if (err instanceof YamlLimitError) return { ok: false, errors: [{ message: `The overlay is refused: ${err.message}.` }], keyPaths: [] };
    throw err;
  }
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const message = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
        return pos ? { message, line: pos.line, col: pos.col } : { message };
      }),
      keyPaths: [],
    };
  }
  if (!isMap(doc.contents)) {
    return { ok: false, errors: [{ message: `The overlay must be a YAML mapping (key: value at the top), but it is ${describeNode(doc)}.`, line: 1, col: 1 }], keyPaths: [] };
  }
  // The alias budget was checked while parsing (shared/yamlSafe.ts).
  const value = doc.toJS({ maxAliasCount: -1 }) as unknown;
  if (!isPlainObject(value)) {
    return { ok: false, errors: [{ message: 'The overlay must be a YAML mapping.', line: 1, col: 1 }], keyPaths: [] };
  }
  const badKey = Object.keys(value).find((k) => k === '' || k === 'null' || k === '[object Object]');
  if (badKey !== undefined) return { ok: false, errors: [{ message: `The overlay has an unusable top-level key "${badKey}".` }], keyPaths: [] };
  return { ok: true, errors: [], keyPaths: leafKeyPaths(value).map(formatKeyPath), value };
}

/** The one collector-config validator on the overlay merged onto the lab's base, as the editor shows it. */
export function collectorVerdict(text: string): NonNullable<OverlayValidation['collector']> {
  const v = validateOverlayConfig(text, labBaseConfig());
  return {
    ok: v.ok,
    ...(v.stage ? { stage: v.stage } : {}),
    errors: v.issues.map((i) => ({
      message: i.message,
      ...(i.line !== undefined ? { line: i.line, col: i.col ?? 1 } : {}),
      ...(i.suggestion ? { suggestion: i.suggestion } : {}),
      ...(i.fix ? { fix: i.fix } : {}),
    })),
  };
}

/** Key paths as segments, for checks; undefined when the overlay is not valid. */
export function overlayKeyPaths(text: string): KeyPath[] | undefined {
  const parsed = parseOverlay(text);
  return parsed.ok && parsed.value ? leafKeyPaths(parsed.value) : undefined;
}

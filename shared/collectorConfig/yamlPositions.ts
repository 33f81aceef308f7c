// Line and column of a key path in YAML source, so an error found in the decoded value points at the
// text the person wrote.
import { isMap, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';

export interface Position { line: number; col: number }
export type Locate = (path: readonly (string | number)[], at?: 'key' | 'value') => Position | undefined;

/** A locator for one parsed document; the deepest node found along the path when it is partly present. */
export function locator(doc: Document.Parsed, lineCounter: LineCounter): Locate {
  return (path, at = 'value') => {
    let node: unknown = doc.contents;
    let best: Node | undefined;
    for (const [i, seg] of path.entries()) {
      const last = i === path.length - 1;
      if (typeof seg === 'number' && isSeq(node)) {
        const item = node.items[seg] as Node | undefined;
        if (!item) break;
        node = item;
        best = item;
        continue;
      }
      if (!isMap(node)) break;
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const key = pair.key as Node;
      if (last && at === 'key') { best = key; break; }
      node = pair.value;
      best = (pair.value as Node | null) ?? key;
      if (!pair.value) { best = key; if (!last) break; }
    }
    const offset = best?.range?.[0];
    if (offset === undefined || best === undefined) return undefined;
    const p = lineCounter.linePos(offset);
    return { line: p.line, col: p.col };
  };
}

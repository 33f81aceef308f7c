import { describe, expect, it } from 'vitest';
import { parseAllYamlDocuments, parseYaml, parseYamlDocument, tryParseYaml, YamlLimitError } from './yamlSafe';

function aliasBomb(levels: number, fan: number): string {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i <= levels; i += 1) lines.push(`a${i}: &a${i} [${Array.from({ length: fan }, () => `*a${i - 1}`).join(', ')}]`);
  return lines.join('\n');
}

describe('parseYamlDocument', () => {
  it('parses an ordinary document and keeps syntax errors as the library reports them', () => {
    expect(parseYaml('processors:\n  batch: {}\nlist: &l [1, 2]\nagain: *l\n')).toEqual({ processors: { batch: {} }, list: [1, 2], again: [1, 2] });
    expect(parseYamlDocument('a: [1, 2').errors.length).toBeGreaterThan(0);
  });

  it('refuses an alias bomb in milliseconds', () => {
    const started = Date.now();
    expect(() => parseYamlDocument(aliasBomb(9, 10))).toThrow(YamlLimitError);
    expect(() => parseYamlDocument(aliasBomb(9, 10))).toThrow(/alias/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses an alias inside its own anchor', () => {
    expect(() => parseYamlDocument('a: &a [*a]')).toThrow(/refers to its own anchor/);
    expect(() => parseYaml('x: &x {y: *x}')).toThrow(YamlLimitError);
  });

  it('refuses documents over the size and depth limits', () => {
    expect(() => parseYamlDocument('a: 1\n', { limits: { maxChars: 3 } })).toThrow(/too large/);
    expect(() => parseYamlDocument(`${'['.repeat(300)}${']'.repeat(300)}`)).toThrow(YamlLimitError);
  });
});

describe('tryParseYaml and parseAllYamlDocuments', () => {
  it('tryParseYaml answers the value or the first line of the error, never throws', () => {
    expect(tryParseYaml('a: 1')).toEqual({ ok: true, value: { a: 1 } });
    expect(tryParseYaml('a: &a [*a]\n')).toEqual({ ok: false, error: 'YAML alias *a refers to its own anchor (a cycle)' });
    const bad = tryParseYaml('a: [1, 2');
    expect(bad.ok).toBe(false);
  });

  it('parses every document of a stream within the budget', () => {
    const docs = parseAllYamlDocuments('a: 1\n---\nb: 2\n');
    expect(docs.map((d) => d.toJS())).toEqual([{ a: 1 }, { b: 2 }]);
    expect(parseAllYamlDocuments('')).toEqual([]);
    expect(() => parseAllYamlDocuments(`a: 1\n---\n${aliasBomb(9, 10)}`)).toThrow(YamlLimitError);
  });
});

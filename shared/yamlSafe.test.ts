import { describe, expect, it } from 'vitest';
import { linedYamlDocument, parseAllYamlDocuments, parseYaml, parseYamlDocument, tryParseYaml, YamlLimitError } from './yamlSafe';

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

describe('linedYamlDocument', () => {
  it('parses a text once for every reader, with its line positions, and keeps only the last few texts', () => {
    const text = 'receivers:\n  otlp: {}\nexporters:\n  debug: {}\n';
    const first = linedYamlDocument(text);
    expect(linedYamlDocument(text)).toBe(first);
    expect(first.lineCounter.linePos(text.indexOf('debug')).line).toBe(4);
    // Readers without options share it and still get values of their own to change.
    const a = parseYaml(text) as Record<string, unknown>;
    a.receivers = 'changed';
    expect(parseYaml(text)).toEqual({ receivers: { otlp: {} }, exporters: { debug: {} } });
    for (let i = 0; i < 4; i += 1) linedYamlDocument(`k${i}: v\n`);
    expect(linedYamlDocument(text)).not.toBe(first);
  });

  it('keeps refusing a text over the budget, and reports syntax errors in the document', () => {
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`).join('\n')}\n`;
    expect(() => linedYamlDocument(bomb)).toThrow(YamlLimitError);
    expect(() => linedYamlDocument(bomb)).toThrow(YamlLimitError);
    expect(linedYamlDocument('a: [1\n').doc.errors.length).toBeGreaterThan(0);
  });
});

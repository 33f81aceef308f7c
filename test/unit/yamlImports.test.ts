// YAML that people or pods can influence is parsed only through shared/yamlSafe.ts; lint keeps it so.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function yamlViolations(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').length;
}

describe('yaml import lint rule', () => {
  it("refuses the library's parsers outside shared/yamlSafe.ts, in every layer", async () => {
    expect(await yamlViolations('lab/sim/pod/probe.ts', "import YAML from 'yaml';\nYAML.parse('a: 1');")).toBe(1);
    expect(await yamlViolations('shared/probe.ts', "import { parseDocument } from 'yaml';\nparseDocument('a');")).toBe(1);
    expect(await yamlViolations('electron/engine/probe.ts', "import * as Y from 'yaml';\nY.parse('a');")).toBe(1);
    expect(await yamlViolations('renderer/src/Probe.tsx', "import { parseAllDocuments } from 'yaml';\nparseAllDocuments('a');")).toBe(1);
  });

  it('allows stringify, guards and types, and the guarded parser itself', async () => {
    expect(await yamlViolations('lab/sim/probe.ts', "import { stringify, isMap, type Document } from 'yaml';\nexport const f = (d: Document) => isMap(d.contents) && stringify(1);")).toBe(0);
    expect(await yamlViolations('shared/yamlSafe.ts', "import { parseDocument } from 'yaml';\nparseDocument('a');")).toBe(0);
  });
});

// The import direction of DESIGN.md is enforced by lint; these cases prove the rule bites.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'local/layering').map((m) => m.message);
}

describe('layering lint rule', () => {
  it('fails renderer code that imports from electron/ or Node', async () => {
    expect(await violations('renderer/Probe.tsx', "import { x } from '../electron/main';")).toHaveLength(1);
    expect(await violations('renderer/Probe.tsx', "import { readFile } from 'node:fs';")).toHaveLength(1);
    expect(await violations('renderer/Probe.tsx', "import { ipcRenderer } from 'electron';")).toHaveLength(1);
    expect(await violations('renderer/Probe.tsx', "import { x } from '../lab/server/index';")).toHaveLength(1);
  });

  it('lets renderer code import renderer/lab and shared', async () => {
    expect(await violations('renderer/Probe.tsx', "import { getLab } from './lab/getLab';\nimport type { LabState } from '../shared/state';")).toEqual([]);
  });

  it('keeps shared pure and the engine free of the electron package', async () => {
    expect(await violations('shared/probe.ts', "import { createHash } from 'node:crypto';")).toHaveLength(1);
    expect(await violations('shared/probe.ts', "import React from 'react';")).toHaveLength(1);
    expect(await violations('shared/probe.ts', "import { parse } from 'yaml';")).toEqual([]);
    expect(await violations('electron/engine/probe.ts', "import { app } from 'electron';")).toHaveLength(1);
    expect(await violations('electron/main.ts', "import { app } from 'electron';")).toEqual([]);
    expect(await violations('lab/probe.ts', "import { x } from '../renderer/lab/getLab';")).toHaveLength(1);
  });
});

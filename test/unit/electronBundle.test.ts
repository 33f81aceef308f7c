// The Electron main bundle is one CommonJS file; modules that find their files
// through import.meta.url (lab/k8s, lab files for guide actions) must still point
// at the real folders from inside it.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

describe('electron main bundle', () => {
  it('keeps each module’s own location for import.meta.url, relative to the bundle', () => {
    execFileSync(process.execPath, ['scripts/build-electron.mjs'], { cwd: root });
    const bundle = readFileSync(resolve(root, 'dist/electron/main.cjs'), 'utf8');
    expect(bundle).not.toContain('import.meta');
    const targets = [...bundle.matchAll(/resolve\(__dirname, "([^"]+)"\)/g)].map((m) => m[1]!);
    expect(targets).toEqual(expect.arrayContaining(['../../lab/sim/boot.ts', '../../electron/engine/guide/labFiles.ts']));
    for (const t of targets) expect(existsSync(resolve(root, 'dist/electron', t)), t).toBe(true);
  });
});

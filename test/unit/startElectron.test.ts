// `npm start` where Electron's binary was not fetched (ELECTRON_SKIP_BINARY_DOWNLOAD, a blocked network):
// one line saying how to get it and pointing to `npm run web`, exit 1, no stack trace.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

describe('npm start without the Electron binary', () => {
  it('says in one line how to get it and points to npm run web', async () => {
    // ELECTRON_OVERRIDE_DIST_PATH (read by the electron package) pointed at an empty folder: no binary there,
    // whatever this machine has installed.
    const env = { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: mkdtempSync(join(tmpdir(), 'no-electron-')) };
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      const child = execFile(process.execPath, ['scripts/start-electron.mjs'], { cwd: root, env }, (_err, stdout, stderr) => done({ code: child.exitCode, stdout, stderr }));
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Electron binary is not installed/);
    expect(lines[0]).toContain('`npm rebuild electron`');
    expect(lines[0]).toContain('`npm run web`');
  });
});

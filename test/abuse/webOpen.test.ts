// Issue 10: `web --open` put the token on xdg-open's command line, where every local user can read
// it (`ps`). The browser now gets a one-time code that the web shell exchanges for a redirect to
// the tokened page; the argv holds no token and a used or stolen-late code is worthless.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabService } from '../../electron/engine/labService';
import { browserCommand, DEFAULT_RENDERER_DIR } from '../../electron/web/cli';
import { eventually } from '../conformance/eventually';
import { startWebShell, type WebShell } from '../../electron/web/server';

let shell: WebShell;

beforeAll(async () => {
  const rendererDir = join(mkdtempSync(join(tmpdir(), 'web-open-')), 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>OpAMP Lab</title>');
  shell = await startWebShell({ service: createLabService({ shell: 'web', version: 'test' }), rendererDir });
});

afterAll(async () => {
  await shell?.close();
});

/** A GET that does not follow redirects. */
function get(url: string): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, ...(res.headers.location ? { location: res.headers.location } : {}) });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('web --open', () => {
  it('puts no token on the browser command line, on any platform', () => {
    const url = shell.openUrl();
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const [, argv] = browserCommand(url, platform);
      expect(argv.join(' ')).not.toContain(shell.token);
      expect(argv).toEqual([url]);
    }
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/open\?code=[\w-]{24}$/);
  });

  it('exchanges the code once for a redirect to the page with the token', async () => {
    const url = shell.openUrl();
    const first = await get(url);
    expect(first).toEqual({ status: 303, location: shell.url });
    expect((await get(shell.url)).status).toBe(200);
    // Used: whoever reads it from `ps` afterwards gets nothing.
    expect(await get(url)).toEqual({ status: 403 });
    expect((await get(`http://127.0.0.1:${shell.port}/open?code=guess`)).status).toBe(403);
    expect((await get(`http://127.0.0.1:${shell.port}/open`)).status).toBe(403);
  });
});

describe.runIf(process.platform === 'linux')('opamp-lab web --open, as a process', () => {
  it('runs xdg-open with the one-time URL, which leads to the page; the token is only on stdout', async () => {
    // The user's command: the built CLI bundle serving the built renderer (`npm test` builds both).
    expect(existsSync(join(DEFAULT_RENDERER_DIR, 'index.html')) && existsSync('dist/cli/opamp-lab.mjs'), 'run `npm run build` first').toBe(true);
    // An xdg-open first on PATH that records its argv, as `ps` would show it.
    const bin = mkdtempSync(join(tmpdir(), 'web-open-bin-'));
    const argvFile = join(bin, 'argv');
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${argvFile}'\n`);
    chmodSync(join(bin, 'xdg-open'), 0o755);
    const child = spawn(process.execPath, ['bin/opamp-lab.cjs', 'web', '--open'], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'web-open-cfg-')) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    try {
      const page = await eventually('the printed URL', () => /opamp-lab web: (http:\/\/127\.0\.0\.1:\d+\/\?token=([\w-]+))/.exec(stdout) ?? undefined, 30_000);
      const argv = await eventually('xdg-open run', () => existsSync(argvFile) && readFileSync(argvFile, 'utf8').trim(), 10_000);
      expect(argv).not.toContain(page[2]!);
      expect(argv).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/open\?code=[\w-]+$/);
      expect(await get(argv)).toEqual({ status: 303, location: page[1] });
      expect((await get(argv)).status).toBe(403);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 60_000);
});

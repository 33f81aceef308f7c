// Issue 10: `web --open` put the token on xdg-open's command line, where every local user can read
// it (`ps`). The browser now gets a one-time code that the web shell exchanges for a redirect to
// the tokened page; the argv holds no token and a used or stolen-late code is worthless.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabService } from '../../electron/engine/labService';
import { browserCommand } from '../../electron/web/cli';
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

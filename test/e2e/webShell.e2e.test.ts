// The web shell end to end: the built renderer in Chromium calls the LabApi,
// the call crosses the WebSocket into Node and the answer comes back.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createEngineService } from '../../electron/engine/index';
import type { LabService } from '../../electron/engine/labService';
import { DEFAULT_RENDERER_DIR } from '../../electron/web/cli';
import { startWebShell, type WebShell } from '../../electron/web/server';
import type { LabApi } from '../../shared/api';
import { artifactPath, launchChromium } from './browser';

// The Node-side tsconfig has no DOM lib; this names what the page exposes.
// Functions passed to page.evaluate run in the page, so each one spells out the cast.
type PageGlobals = { lab?: LabApi };

let browser: Browser;
let shell: WebShell;
let service: LabService;

beforeAll(async () => {
  service = createEngineService({ shell: 'web', version: 'test', dataDir: '/tmp/opamp-lab-e2e' });
  shell = await startWebShell({ service, rendererDir: DEFAULT_RENDERER_DIR });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await shell?.close();
  await service?.close();
});

function dial(url: string, origin?: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(0));
  });
}

describe('web shell', () => {
  it('serves the renderer, which round-trips a LabApi call to Node and connects the embedded lab', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(shell.url);
    await page.waitForFunction(() => Boolean((globalThis as unknown as PageGlobals).lab));
    const info = await page.evaluate(() => (globalThis as unknown as PageGlobals).lab!.getInfo({}));
    expect(info).toMatchObject({ name: 'OpAMP Lab', shell: 'web' });
    const snapshot = await page.evaluate(() => (globalThis as unknown as PageGlobals).lab!.getSnapshot({}));
    expect(snapshot.state.connection.status).toBe('disconnected');
    // A bad request is refused in Node with a specific message, and the page keeps working.
    const refused = await page.evaluate(() =>
      (globalThis as unknown as PageGlobals).lab!.readFile({ pod: 'x', path: 'relative' } as never).then(
        () => 'accepted',
        (err: Error) => err.message,
      ),
    );
    expect(refused).toMatch(/^readFile: invalid request at path/);
    // The same bridge carries a real connect and the state events that follow it.
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByTestId('connection').filter({ hasText: 'Embedded lab / opamp' }).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: await artifactPath('web-shell.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('refuses the LabApi socket without the token, from another origin, or under another host name', async () => {
    const base = `ws://127.0.0.1:${shell.port}/lab`;
    const origin = `http://127.0.0.1:${shell.port}`;
    expect(await dial(`${base}?token=${shell.token}`, origin)).toBe(101);
    expect(await dial(`${base}?token=wrong`, origin)).toBe(403);
    expect(await dial(`${base}`, origin)).toBe(403);
    expect(await dial(`${base}?token=${shell.token}`, 'http://evil.example')).toBe(403);
    expect(await dial(`${base}?token=${shell.token}`)).toBe(403);
    const res = await fetch(`http://127.0.0.1:${shell.port}/`, { headers: { host: 'attacker.example' } }).catch(() => undefined);
    // fetch may refuse to send a Host override; when it does send it, the shell answers 421.
    if (res) expect([200, 421]).toContain(res.status);
  });

  it('serves only files inside the renderer folder, with the CSP', async () => {
    const res = await fetch(`http://127.0.0.1:${shell.port}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const escape = await fetch(`http://127.0.0.1:${shell.port}/..%2f..%2fpackage.json`);
    expect(escape.status).toBe(404);
  });
});

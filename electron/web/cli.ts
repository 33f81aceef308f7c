// `opamp-lab web`: the app in a browser. Serves the built renderer and the
// LabApi on 127.0.0.1 and prints the URL with its per-launch token.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createEngineService } from '../engine/index';
import { isSafeExternalUrl } from '../security';
import { startWebShell } from './server';
import { WEB_USAGE } from '../cliUsage';

export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

export function dataDir(): string {
  const base = process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
  return join(base, 'opamp-lab');
}

/** The argv that opens a URL in the desktop browser. Every local user can read it (`ps`): never pass a secret. */
export function browserCommand(url: string, platform: NodeJS.Platform = process.platform): [string, string[]] {
  return platform === 'darwin' ? ['open', [url]] : platform === 'win32' ? ['explorer.exe', [url]] : ['xdg-open', [url]];
}

/** Opens a URL in the desktop browser; argv arrays only, never a shell string. */
export function openInBrowser(url: string): void {
  if (!isSafeExternalUrl(url)) return;
  const [cmd, args] = browserCommand(url);
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
  child.on('error', () => console.error(`opamp-lab web: could not start ${cmd}; open ${url} yourself`));
  child.unref();
}

export async function runWebCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { port: { type: 'string' }, embedded: { type: 'boolean' }, open: { type: 'boolean' }, help: { type: 'boolean' } },
      strict: true,
    }));
  } catch (err) {
    console.error(`opamp-lab web: ${(err as Error).message}\n\n${WEB_USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(WEB_USAGE);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`opamp-lab web: --port must be a port number, got "${values.port}"`);
    return 2;
  }
  if (!existsSync(join(DEFAULT_RENDERER_DIR, 'index.html'))) {
    console.error('opamp-lab web: the renderer is not built; run `npm run build` (or `npm run web`, which builds it)');
    return 1;
  }

  const service = createEngineService({
    shell: 'web',
    version: process.env.npm_package_version ?? '0.1.0',
    dataDir: dataDir(),
    log: (line) => console.error(line),
    openExternal: async (url) => openInBrowser(url),
  });
  const shell = await startWebShell({ service, rendererDir: DEFAULT_RENDERER_DIR, port, log: (line) => console.error(line) });
  console.log(`opamp-lab web: ${shell.url}`);
  // The browser gets a one-time code, not the token: its command line is visible to `ps`.
  if (values.open) openInBrowser(shell.openUrl());
  if (values.embedded) {
    const result = await service.call('connect', { target: { kind: 'embedded' } });
    if (!result.ok) console.error(`opamp-lab web: embedded lab: ${result.error.message}`);
  }

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await shell.close();
  await service.close();
  return 0;
}

// `npm start`: launches the built app in Electron on the embedded lab. `npm ci` fetches Electron's binary
// (package.json allowScripts lets its install script run); where that was skipped
// (ELECTRON_SKIP_BINARY_DOWNLOAD, as in CI) or blocked, this says in one line how to get it and points to the
// browser version. It never downloads on demand (README, "Run the app", says why).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

let electronPath;
try {
  // The electron package's main throws when its install script never fetched the binary.
  electronPath = createRequire(import.meta.url)('electron');
} catch {
  electronPath = undefined;
}
if (typeof electronPath !== 'string' || !existsSync(electronPath)) {
  console.error(
    'OpAMP Lab: the Electron binary is not installed (its download was skipped or blocked); get it with `npm rebuild electron` where github.com is reachable and ELECTRON_SKIP_BINARY_DOWNLOAD is unset, or run `npm run web` to use OpAMP Lab in your browser.',
  );
  process.exit(1);
}
const child = spawn(electronPath, ['.', '--embedded', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

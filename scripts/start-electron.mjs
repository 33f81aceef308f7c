// `npm start`: launches the built app in Electron on the embedded lab. Where
// the Electron binary is absent (its download is blocked on some machines) it
// says so in one line and points to the browser version.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let electronPath;
try {
  electronPath = require('electron');
} catch {
  electronPath = undefined;
}
if (typeof electronPath !== 'string') {
  console.error('OpAMP Lab: the Electron binary is not installed here; run `npm run web` to use OpAMP Lab in your browser instead.');
  process.exit(1);
}
const child = spawn(electronPath, ['.', '--embedded', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

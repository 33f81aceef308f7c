#!/usr/bin/env node
// `opamp-lab`: runs the command line bundled ahead of time by `npm run build` (scripts/build-cli.mjs),
// so starting it compiles nothing.
import module from 'node:module';

// Node 22.1+ keeps V8's compiled code of the bundle on disk between runs; older Node has no such API.
module.enableCompileCache?.();
let cli;
try {
  cli = await import('../dist/cli/opamp-lab.mjs');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/cli/opamp-lab.mjs')) throw err;
  console.error('opamp-lab: the command line is not built yet; run `npm run build` in the OpAMP Lab folder first.');
  process.exit(2);
}
await cli.main(process.argv.slice(2));

#!/usr/bin/env node
// `opamp-lab`: runs the command line bundled ahead of time by `npm run build` (scripts/build-cli.mjs),
// so starting it compiles nothing. CommonJS on purpose: a plain help request is answered from the small
// CommonJS build of the help texts (dist/cli/help.cjs) before Node's ES module loader starts; every
// other request loads the command bundle (ES modules, one chunk per command).
'use strict';
const module_ = require('node:module');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const argv = process.argv.slice(2);
const dist = join(__dirname, '..', 'dist', 'cli');
const notBuilt = () => {
  console.error('opamp-lab: the command line is not built yet; run `npm run build` in the OpAMP Lab folder first.');
  process.exit(2);
};

let help;
try {
  help = require(join(dist, 'help.cjs')).quickHelp(argv);
} catch (err) {
  if (err?.code !== 'MODULE_NOT_FOUND' || !String(err.message).includes('help.cjs')) throw err;
  notBuilt();
}
if (help) {
  // A reader that goes away (`opamp-lab --help | head -1`) is a normal end.
  process.stdout.on('error', () => process.exit(0));
  process.exitCode = help.code;
  process.stdout.write(`${help.text}\n`);
} else {
  // Node 22.1+ keeps V8's compiled code of the bundle on disk between runs; older Node has no such API.
  module_.enableCompileCache?.();
  import(pathToFileURL(join(dist, 'opamp-lab.mjs')).href).then(
    (cli) => cli.main(argv),
    (err) => {
      if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('opamp-lab.mjs')) notBuilt();
      throw err;
    },
  );
}

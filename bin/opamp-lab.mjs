#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `opamp-lab` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../electron/cli.ts');
process.exitCode = await runCli(process.argv.slice(2));

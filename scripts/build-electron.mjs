// Bundles the Electron main process and preload. The preload runs sandboxed,
// so it must be one self-contained CommonJS file.
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const outdir = resolve('dist/electron');

// Modules find their files (lab/k8s, the server's demo certificate, dist/renderer) relative to
// import.meta.url. In one CommonJS bundle each module keeps its own source location, expressed
// relative to the bundle so the app still finds them when the repository moves.
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const rel = relative(outdir, args.path).split('\\').join('/');
      const expr = `require('node:url').pathToFileURL(require('node:path').resolve(__dirname, ${JSON.stringify(rel)})).href`;
      return { contents: text.replaceAll('import.meta.url', `(${expr})`), loader: 'ts', resolveDir: dirname(args.path) };
    });
  },
};

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

await build({
  ...common,
  entryPoints: ['electron/main.ts'],
  outfile: 'dist/electron/main.cjs',
  format: 'cjs',
  external: ['electron'],
  packages: 'external',
  plugins: [sourceUrls],
});

await build({
  ...common,
  entryPoints: ['electron/preload.ts'],
  outfile: 'dist/electron/preload.cjs',
  format: 'cjs',
  external: ['electron'],
});

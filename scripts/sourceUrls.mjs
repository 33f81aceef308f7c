// esbuild plugin shared by the Electron main and CLI bundles. Modules find their files
// (lab/k8s, lab files for guide actions, dist/renderer, kubectl's layer) relative to
// import.meta.url. In a bundle each module keeps its own source location, expressed
// relative to the bundle's folder, so the bundle still finds them when the repository moves.
import { readFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';

/** `format` is the bundle's: 'cjs' resolves from __dirname, 'esm' from the chunk's own import.meta.url
 *  (every chunk is written straight into `outdir`, so one relative path serves them all). */
export function sourceUrls(outdir, format) {
  return {
    name: 'source-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const rel = relative(outdir, args.path).split('\\').join('/');
        const expr =
          format === 'cjs'
            ? `require('node:url').pathToFileURL(require('node:path').resolve(__dirname, ${JSON.stringify(rel)})).href`
            : `new URL(${JSON.stringify(rel)}, import.meta.url).href`;
        return { contents: text.replaceAll('import.meta.url', `(${expr})`), loader: 'ts', resolveDir: dirname(args.path) };
      });
    },
  };
}

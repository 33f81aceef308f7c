// `npm run bench [name…]`: runs each test/bench/<name>.bench.ts (its default
// export returns the figures), writes test/bench/results/<name>.json and prints
// a summary. Machines here are noisy: benches report medians and ratios.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const resultsDir = join(here, 'results');

async function main(): Promise<number> {
  const wanted = process.argv.slice(2);
  const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts')).sort();
  const selected = wanted.length === 0 ? files : files.filter((f) => wanted.includes(basename(f, '.bench.ts')));
  if (selected.length === 0) {
    console.error(`no benchmark matches ${wanted.join(', ')}; have: ${files.map((f) => basename(f, '.bench.ts')).join(', ')}`);
    return 2;
  }
  await mkdir(resultsDir, { recursive: true });
  let failed = 0;
  for (const file of selected) {
    const name = basename(file, '.bench.ts');
    const started = Date.now();
    process.stdout.write(`bench ${name} … `);
    try {
      const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: () => Promise<Record<string, unknown>> };
      const figures = await mod.default();
      const record = { name, measuredAt: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length, figures };
      await writeFile(join(resultsDir, `${name}.json`), JSON.stringify(record, null, 2) + '\n');
      console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      for (const [key, value] of Object.entries(figures)) console.log(`  ${key}: ${String(value)}`);
    } catch (err) {
      failed += 1;
      console.log('FAILED');
      console.error(err);
    }
  }
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();

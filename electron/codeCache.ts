// Loads a CommonJS bundle through V8's code cache, for the Node releases that lack
// module.enableCompileCache (before 22.1; it caches every module itself on newer ones).
// The command line's heaviest dependency, the Kubernetes client (two bundles, 2 MB of JavaScript
// together), is otherwise parsed and compiled anew on every start. The cache lives in the user's
// cache folder (0700), keyed by the bundle's name, size and mtime and by Node's version, and a
// bundle's caches for earlier builds are removed; V8 itself refuses a cache made for other source
// or flags, and any failure falls back to a plain require.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import nodeModule, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

/** The end of every cache name this Node writes: a cache is only good for the Node that made it. */
const NODE_SUFFIX = `-${process.version}-${process.arch}.v8`;

type Wrapped = (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;

export function requireWithCodeCache(url: string): unknown {
  const file = fileURLToPath(url);
  const require = createRequire(file);
  if ('enableCompileCache' in nodeModule || process.env.OPAMP_LAB_CODE_CACHE === 'off') return require(file);
  let cacheFile: string | undefined;
  let cached: Buffer | undefined;
  try {
    const st = statSync(file);
    cacheFile = join(cacheRoot(), `${basename(file)}-${st.size}-${Math.floor(st.mtimeMs)}${NODE_SUFFIX}`);
    cached = readFileSync(cacheFile);
  } catch {
    // No cache yet (or no cache folder): compile from source and write one at exit.
  }
  const script = new Script(nodeModule.wrap(readFileSync(file, 'utf8')), { filename: file, ...(cached ? { cachedData: cached } : {}) });
  const m = { exports: {} as unknown };
  (script.runInThisContext() as Wrapped)(m.exports, require, m, file, dirname(file));
  if (cacheFile && (!cached || script.cachedDataRejected)) {
    const target = cacheFile;
    // At exit the cache also holds the functions this run compiled, not only the top level.
    process.once('exit', () => writeCache(target, basename(file), script));
  }
  return m.exports;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes this bundle's caches for earlier builds (another size or mtime, same Node): each rebuild or
 * update would otherwise leave a megabyte behind. Caches made by other Node versions are left alone.
 */
function pruneStale(current: string, bundle: string): void {
  const earlierBuild = new RegExp(`^${escapeRegExp(bundle)}-\\d+-\\d+${escapeRegExp(NODE_SUFFIX)}$`);
  for (const name of readdirSync(dirname(current))) {
    if (name !== basename(current) && earlierBuild.test(name)) rmSync(join(dirname(current), name), { force: true });
  }
}

function cacheRoot(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'opamp-lab', 'v8');
}

function writeCache(file: string, bundle: string, script: Script): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
    renameSync(tmp, file);
    pruneStale(file, bundle);
  } catch {
    // A read-only home or a full disk only costs the next start its compile time.
  }
}

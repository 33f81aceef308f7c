// hostPath volumes of the emulated node. The node's disk is a real folder under the sim's data dir, so what
// a pod writes there outlives the pod — as on a one-node cluster, where a replacement pod lands on the same
// node and finds the same files (the lab server keeps its saved overlays this way).
import { mkdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';

/**
 * The real folder behind hostPath `path` with `type` as the kubelet checks it: DirectoryOrCreate (and
 * the unchecked "") create it, Directory requires it. Throws the kubelet's message otherwise.
 */
export function mountHostPath(root: string, path: string, type: string | undefined): string {
  if (!posix.isAbsolute(path)) throw new Error(`hostPath path "${path}" must be absolute`);
  // normalize resolves "..", so the folder always stays under the node's root.
  const dir = join(root, 'node', posix.normalize(path));
  const kind = type ?? '';
  if (kind === 'DirectoryOrCreate' || kind === '') {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    return dir;
  }
  if (kind === 'Directory') {
    let isDir = false;
    try {
      isDir = statSync(dir).isDirectory();
    } catch { /* missing */ }
    if (!isDir) throw new Error(`hostPath type check failed: ${path} is not a directory`);
    return dir;
  }
  throw new Error(`hostPath type ${kind} is not supported by the lab emulator (use Directory or DirectoryOrCreate)`);
}

// The server image's container: the real lab server, started with the container's own flags (the same
// parser as `opamp-lab server`), on free local ports that the pod maps to 4320/4321/4322. Its --data-dir
// lands in the real folder behind a hostPath mount when one covers it (so saved overlays outlive the pod,
// as on a real node); anywhere else it is the container's own layer, which is gone when the container is.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { parseServerArgs } from '../../server/cli';
import { startLabServer, type LabServer } from '../../server/index';
import type { ContainerIo, VolumeMountSpec } from './types';

export interface ServerContainer {
  /** Settles once the server listens, with the real local port behind each container port. */
  listening: Promise<Map<number, number>>;
  /** Settles with the exit code when the server cannot start. */
  failed: Promise<number>;
  stop(): Promise<void>;
}

/** Where a data dir inside the container really is, when a hostPath mount holds it. */
export function hostFolderFor(dataDir: string, mounts: readonly VolumeMountSpec[]): string | undefined {
  for (const m of mounts) {
    if (m.source.kind !== 'hostPath') continue;
    const rel = posix.relative(m.mountPath, posix.normalize(dataDir));
    if (rel === '' || (!rel.startsWith('..') && !posix.isAbsolute(rel))) return join(m.source.hostDir, rel);
  }
  return undefined;
}

export function startServerContainer(argv: readonly string[], mounts: readonly VolumeMountSpec[], io: ContainerIo): ServerContainer {
  let server: LabServer | undefined;
  let layer: string | undefined;
  let stopped = false;
  let fail!: (code: number) => void;
  const failed = new Promise<number>((resolve) => (fail = resolve));
  let listen!: (ports: Map<number, number>) => void;
  const listening = new Promise<Map<number, number>>((resolve) => (listen = resolve));
  const at = argv.indexOf('server');
  void (async () => {
    let opts: ReturnType<typeof parseServerArgs>;
    try {
      opts = parseServerArgs(at < 0 ? [] : argv.slice(at + 1));
    } catch (err) {
      io.log('stderr', `opamp-lab server: ${(err as Error).message}`);
      return fail(2);
    }
    let dataDir: string | undefined;
    if (opts.dataDir) dataDir = hostFolderFor(opts.dataDir, mounts) ?? (layer = await mkdtemp(join(tmpdir(), 'opamp-lab-layer-')));
    // The server's log names its data folder as the container sees it, not the host folder behind it.
    const shown = (line: string) => (dataDir && opts.dataDir ? line.split(dataDir).join(opts.dataDir) : line);
    try {
      const { dataDir: _inContainer, help: _help, ...rest } = opts;
      server = await startLabServer({
        ...rest, ...(dataDir ? { dataDir } : {}),
        host: '127.0.0.1', opampPort: 0, uiPort: 0, restPort: opts.restPort === false ? false : 0,
        log: (l) => io.log('stdout', shown(l)),
      });
    } catch (err) {
      io.log('stderr', `opamp-lab server: ${shown((err as Error).message)}`);
      return fail(1);
    }
    if (stopped) return void (await server.close());
    listen(new Map([[4320, server.opampPort], [4321, server.uiPort], ...(server.restPort ? [[4322, server.restPort] as [number, number]] : [])]));
  })();
  return {
    listening,
    failed,
    async stop() {
      stopped = true;
      await server?.close();
      if (layer) await rm(layer, { recursive: true, force: true });
    },
  };
}

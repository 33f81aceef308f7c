// Saved overlays, per agent instance and per agent group, kept across server restarts in
// <dataDir>/overlays.json when a data folder is given (in memory only otherwise). Both maps are bounded
// (oldest save dropped first); each distinct text is stored once. Writes are atomic (temp file + rename)
// and private (0600; a folder the store creates is 0700). A corrupt file is kept aside, never silently overwritten; a folder
// that cannot be written leaves the server running in memory, with the reason shown in its UI.
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { makeOverlay, type Overlay } from './overlay';

export const OVERLAY_FILE = 'overlays.json';

const entry = z.object({ hash: z.string(), savedAt: z.string() });
const fileSchema = z.object({
  version: z.literal(1),
  overlays: z.record(z.string(), z.string()),
  groups: z.record(z.string(), entry),
  agents: z.record(z.string(), entry.extend({ group: z.string() })),
});
type OverlayFile = z.infer<typeof fileSchema>;

interface Saved {
  overlay: Overlay;
  savedAt: string;
}

export interface OverlayStoreOptions {
  dataDir?: string;
  maxAgents: number;
  maxGroups: number;
  log: (line: string) => void;
}

export class OverlayStore {
  private readonly agents = new Map<string, Saved & { group: string }>();
  private readonly groups = new Map<string, Saved>();
  private writing: Promise<void> = Promise.resolve();
  /** Why overlays are not being persisted, when they are not (shown in the UI). */
  problem: string | undefined;

  constructor(private readonly o: OverlayStoreOptions) {}

  get path(): string | undefined {
    return this.o.dataDir ? join(this.o.dataDir, OVERLAY_FILE) : undefined;
  }

  /** Reads the file if there is one. Never throws: problems are logged and kept in `problem`. */
  async load(): Promise<void> {
    const path = this.path;
    if (!path) return;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      this.fail(`cannot read ${path}: ${(err as Error).message}`);
      return;
    }
    let parsed: OverlayFile;
    try {
      parsed = fileSchema.parse(JSON.parse(text));
    } catch (err) {
      const aside = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await rename(path, aside).catch(() => undefined);
      const why = err instanceof z.ZodError ? `unexpected content at ${err.issues[0]?.path.join('.') || 'top level'}` : 'not JSON';
      this.o.log(`[STORE] ${path} could not be read (${why}); kept it as ${aside} and started with no saved overlays`);
      return;
    }
    const overlays = new Map<string, Overlay>();
    const overlayOf = (hash: string): Overlay | undefined => {
      const body = parsed.overlays[hash];
      if (body === undefined) return undefined;
      let o = overlays.get(hash);
      if (!o) overlays.set(hash, (o = makeOverlay(body)));
      return o;
    };
    for (const [group, e] of Object.entries(parsed.groups)) {
      const overlay = overlayOf(e.hash);
      if (overlay) this.groups.set(group, { overlay, savedAt: e.savedAt });
    }
    for (const [uid, e] of Object.entries(parsed.agents)) {
      const overlay = overlayOf(e.hash);
      if (overlay) this.agents.set(uid, { overlay, savedAt: e.savedAt, group: e.group });
    }
    this.trim();
    this.o.log(`[STORE] loaded ${this.groups.size} group and ${this.agents.size} agent overlays from ${path}`);
  }

  forAgent(uid: string): Overlay | undefined {
    return this.agents.get(uid)?.overlay;
  }

  forGroup(group: string): Overlay | undefined {
    return this.groups.get(group)?.overlay;
  }

  /** Records an overlay saved for an agent (and as its group's latest), then persists. */
  save(uid: string, group: string, overlay: Overlay): Promise<void> {
    const savedAt = new Date().toISOString();
    // Re-inserting moves the entry to the end, so Map order is oldest save first.
    this.agents.delete(uid);
    this.agents.set(uid, { overlay, savedAt, group });
    this.groups.delete(group);
    this.groups.set(group, { overlay, savedAt });
    this.trim();
    return this.persist();
  }

  private trim(): void {
    for (const [map, max] of [[this.agents, this.o.maxAgents], [this.groups, this.o.maxGroups]] as const) {
      for (const key of map.keys()) {
        if (map.size <= max) break;
        map.delete(key);
      }
    }
  }

  private snapshot(): OverlayFile {
    const file: OverlayFile = { version: 1, overlays: {}, groups: {}, agents: {} };
    for (const [group, s] of this.groups) {
      file.overlays[s.overlay.hash] = s.overlay.text;
      file.groups[group] = { hash: s.overlay.hash, savedAt: s.savedAt };
    }
    for (const [uid, s] of this.agents) {
      file.overlays[s.overlay.hash] = s.overlay.text;
      file.agents[uid] = { hash: s.overlay.hash, savedAt: s.savedAt, group: s.group };
    }
    return file;
  }

  /** Writes are chained, so the file always ends with the latest state. */
  private persist(): Promise<void> {
    const dir = this.o.dataDir;
    const path = this.path;
    if (!dir || !path) return Promise.resolve();
    this.writing = this.writing.then(async () => {
      const tmp = `${path}.tmp-${process.pid}`;
      try {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        await writeFile(tmp, `${JSON.stringify(this.snapshot(), null, 2)}\n`, { mode: 0o600 });
        await chmod(tmp, 0o600);
        await rename(tmp, path);
        if (this.problem) this.o.log(`[STORE] saving overlays to ${path} works again`);
        this.problem = undefined;
      } catch (err) {
        this.fail(`cannot save overlays to ${path}: ${(err as Error).message}`);
      }
    });
    return this.writing;
  }

  private fail(problem: string): void {
    if (this.problem !== problem) this.o.log(`[STORE] ${problem}; saved overlays are kept in memory only`);
    this.problem = problem;
  }

  /** Resolves once pending writes are done. */
  flush(): Promise<void> {
    return this.writing;
  }
}

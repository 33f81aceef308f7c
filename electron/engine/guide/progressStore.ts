// Saved guide progress per cluster + namespace, in one JSON file (atomic write).
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SavedMark, SavedProgress } from '../../../shared/guide/progress';

type File = Record<string, SavedProgress>;

export class GuideProgressStore {
  private readonly path: string;
  private cache?: File;
  private writing: Promise<void> = Promise.resolve();

  constructor(dataDir: string) {
    this.path = join(dataDir, 'guide-progress.json');
  }

  static key(cluster: string, namespace: string): string {
    return `${cluster}/${namespace}`;
  }

  private async load(): Promise<File> {
    if (this.cache) return this.cache;
    try {
      const parsed: unknown = JSON.parse(await readFile(this.path, 'utf8'));
      this.cache = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as File) : {};
    } catch {
      // Missing or corrupt: start over rather than fail the app.
      this.cache = {};
    }
    return this.cache;
  }

  async get(key: string): Promise<SavedProgress> {
    return { ...((await this.load())[key] ?? {}) };
  }

  async set(key: string, stepId: string, status: SavedMark | 'todo'): Promise<SavedProgress> {
    const all = await this.load();
    const entry = { ...(all[key] ?? {}) };
    if (status === 'todo') delete entry[stepId];
    else entry[stepId] = status;
    all[key] = entry;
    const text = JSON.stringify(all, null, 2);
    this.writing = this.writing.then(async () => {
      await mkdir(join(this.path, '..'), { recursive: true });
      const tmp = `${this.path}.${process.pid}.tmp`;
      await writeFile(tmp, text, 'utf8');
      await rename(tmp, this.path);
    });
    await this.writing;
    return { ...entry };
  }
}

// Saved Lab mode progress (the credit ledger) per cluster + namespace, in one
// JSON file: 0600 in a 0700 folder, written atomically. A file that does not
// parse is kept aside under a new name and reported, never silently reset.
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { GuideLedger } from '../../../shared/guide/credit';

interface ProgressFile {
  version: 2;
  sessions: Record<string, GuideLedger>;
}

function isLedger(v: unknown): v is GuideLedger {
  const l = v as GuideLedger | null;
  return !!l && typeof l === 'object' && l.version === 2 && typeof l.startedAt === 'number' && !!l.steps && typeof l.steps === 'object' && !!l.faults && typeof l.faults === 'object';
}

export class GuideProgressStore {
  readonly path: string;
  private cache?: ProgressFile;
  private writing: Promise<void> = Promise.resolve();
  /** Set when a corrupt file was kept aside; the UI shows it. */
  notice?: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'guide-progress.json');
  }

  static key(cluster: string, namespace: string): string {
    return `${cluster}/${namespace}`;
  }

  private async load(): Promise<ProgressFile> {
    if (this.cache) return this.cache;
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch {
      this.cache = { version: 2, sessions: {} };
      return this.cache;
    }
    try {
      const parsed = JSON.parse(text) as Partial<ProgressFile> | null;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
      // Files of the first format (marks only, no credits) hold nothing to carry over.
      const sessions = parsed.version === 2 && parsed.sessions && typeof parsed.sessions === 'object' ? parsed.sessions : {};
      this.cache = { version: 2, sessions: Object.fromEntries(Object.entries(sessions).filter(([, l]) => isLedger(l))) };
    } catch (err) {
      const aside = join(dirname(this.path), `${basename(this.path, '.json')}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
      try {
        await rename(this.path, aside);
        this.notice = `Saved Lab mode progress could not be read (${(err as Error).message.split('\n')[0]}); the file was kept as ${aside} and Lab mode starts afresh.`;
      } catch (renameErr) {
        this.notice = `Saved Lab mode progress in ${this.path} could not be read, nor kept aside (${(renameErr as Error).message}); progress will not be saved until it is moved away.`;
        this.cache = { version: 2, sessions: {} };
        this.readOnly = true;
        return this.cache;
      }
      this.cache = { version: 2, sessions: {} };
    }
    return this.cache;
  }

  private readOnly = false;

  async get(key: string): Promise<GuideLedger | undefined> {
    return (await this.load()).sessions[key];
  }

  async set(key: string, ledger: GuideLedger): Promise<void> {
    const file = await this.load();
    file.sessions[key] = ledger;
    if (this.readOnly) return;
    const text = JSON.stringify(file);
    this.writing = this.writing.then(async () => {
      const dir = dirname(this.path);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await chmod(dir, 0o700);
      const tmp = `${this.path}.${process.pid}.tmp`;
      await writeFile(tmp, text, { encoding: 'utf8', mode: 0o600 });
      await chmod(tmp, 0o600);
      await rename(tmp, this.path);
    });
    await this.writing;
  }
}

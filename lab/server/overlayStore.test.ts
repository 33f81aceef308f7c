import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeOverlay } from './overlay';
import { OVERLAY_FILE, OverlayStore } from './overlayStore';

const UID = '01936f2a-0000-7000-8000-000000000001';

function store(dataDir: string | undefined, lines: string[] = [], max = { maxAgents: 8, maxGroups: 8 }): OverlayStore {
  return new OverlayStore({ ...(dataDir ? { dataDir } : {}), ...max, log: (l) => lines.push(l) });
}

describe('overlay store', () => {
  it('keeps saved overlays across a restart, each text once, in a private file', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'overlay-store-')), 'data');
    const first = store(dir);
    const overlay = makeOverlay('processors:\n  batch: {}\n');
    await first.save(UID, 'host:opamp-agent', overlay);
    await first.save('01936f2a-0000-7000-8000-000000000002', 'host:opamp-agent', overlay);

    const file = join(dir, OVERLAY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(json.overlays)).toEqual([overlay.hash]);

    const second = store(dir);
    await second.load();
    expect(second.forAgent(UID)?.text).toBe(overlay.text);
    expect(second.forAgent(UID)?.hash).toBe(overlay.hash);
    expect(second.forGroup('host:opamp-agent')?.offer.configHash).toEqual(overlay.offer.configHash);
    expect(second.forGroup('host:other')).toBeUndefined();
    expect(second.problem).toBeUndefined();
  });

  it('drops the oldest saves beyond its limits', async () => {
    const s = store(undefined, [], { maxAgents: 2, maxGroups: 1 });
    for (const n of [1, 2, 3]) await s.save(`01936f2a-0000-7000-8000-00000000000${n}`, `host:w${n}`, makeOverlay(`a: ${n}\n`));
    expect(s.forAgent('01936f2a-0000-7000-8000-000000000001')).toBeUndefined();
    expect(s.forAgent('01936f2a-0000-7000-8000-000000000003')?.text).toBe('a: 3\n');
    expect(s.forGroup('host:w2')).toBeUndefined();
    expect(s.forGroup('host:w3')?.text).toBe('a: 3\n');
  });

  it('keeps a corrupt file aside instead of overwriting it, and starts empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'overlay-store-'));
    writeFileSync(join(dir, OVERLAY_FILE), '{"version": 1, "overlays": [');
    const lines: string[] = [];
    const s = store(dir, lines);
    await s.load();
    expect(s.forGroup('host:opamp-agent')).toBeUndefined();
    expect(readdirSync(dir).some((f) => f.startsWith(`${OVERLAY_FILE}.corrupt-`))).toBe(true);
    expect(lines.join('\n')).toMatch(/could not be read \(not JSON\); kept it as .*corrupt-/);
    writeFileSync(join(dir, OVERLAY_FILE), JSON.stringify({ version: 2 }));
    await store(dir, lines).load();
    expect(lines.at(-1)).toMatch(/unexpected content at version/);
  });

  it('runs in memory with the reason when the folder cannot be written', async () => {
    // A file where the folder should be fails for every user, root included.
    const blocker = join(mkdtempSync(join(tmpdir(), 'overlay-store-')), 'not-a-folder');
    writeFileSync(blocker, '');
    const lines: string[] = [];
    const s = store(join(blocker, 'data'), lines);
    await s.save(UID, 'host:opamp-agent', makeOverlay('a: 1\n'));
    expect(s.problem).toMatch(/cannot save overlays to .*overlays\.json: ENOTDIR/);
    expect(s.forAgent(UID)?.text).toBe('a: 1\n');
    expect(lines.join('\n')).toContain('kept in memory only');
  });
});

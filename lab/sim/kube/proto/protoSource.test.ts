import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KUBE_PROTOS } from './protoSource';

describe('lab/sim/kube/proto/protoSource.ts', () => {
  it('matches the .proto files beside it (run `node lab/sim/kube/proto/gen.mjs` after editing them)', () => {
    const dir = dirname(fileURLToPath(import.meta.url));
    const files = readdirSync(dir).filter((f) => f.endsWith('.proto')).sort();
    expect(Object.keys(KUBE_PROTOS)).toEqual(files);
    for (const f of files) expect(KUBE_PROTOS[f], f).toBe(readFileSync(join(dir, f), 'utf8'));
  });
});

// The embedded proto text (shared/ cannot read files) must equal the .proto files it was generated from,
// and the pure SHA-256 must agree with node:crypto on arbitrary input.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ANYVALUE_PROTO, OPAMP_PROTO } from '../../shared/opamp/protoSource';
import { bytesToHex, sha256, utf8Encode } from '../../shared/opamp/index';

describe('shared/opamp/protoSource.ts', () => {
  it('matches opamp.proto and anyvalue.proto (run scripts/gen-opamp-proto.mjs after editing them)', () => {
    expect(OPAMP_PROTO).toBe(readFileSync(new URL('../../shared/opamp/opamp.proto', import.meta.url), 'utf8'));
    expect(ANYVALUE_PROTO).toBe(readFileSync(new URL('../../shared/opamp/anyvalue.proto', import.meta.url), 'utf8'));
  });

  it('sha256 and utf8Encode agree with node for many lengths', () => {
    for (let n = 0; n < 200; n += 7) {
      const text = 'aé🚀'.repeat(n);
      expect(bytesToHex(sha256(utf8Encode(text)))).toBe(createHash('sha256').update(text).digest('hex'));
    }
  });
});

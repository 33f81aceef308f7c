// pod-template-hash: a 32-bit FNV-1a hash of the pod template (and the
// collision count), written with the API server's "safe" alphabet, as
// the deployment controller names ReplicaSets <deployment>-<hash>.
import { stableStringify } from './podUtil';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** rand.SafeEncodeString over the decimal digits, as the real controller does. */
export function safeEncode(text: string): string {
  let out = '';
  for (const ch of text) out += SAFE_ALPHABET[ch.charCodeAt(0) % SAFE_ALPHABET.length];
  return out;
}

export function podTemplateHash(template: unknown, collisionCount = 0): string {
  const base = stableStringify(template) + (collisionCount ? `#${collisionCount}` : '');
  return safeEncode(String(fnv1a32(base)));
}

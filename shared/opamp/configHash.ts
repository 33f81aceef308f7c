// config_hash as the opamp-go example server computes it: SHA-256 over key + body + content type of
// every config_map entry, in sorted key order. For the single "" entry this is SHA-256 of the body.
import { sha256 } from './sha256';
import type { AgentConfigMap } from './types';
import { utf8Encode } from './utf8';

export function configMapHash(map: AgentConfigMap): Uint8Array {
  const entries = Object.entries(map.configMap ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const parts: Uint8Array[] = [];
  for (const [key, file] of entries) {
    parts.push(utf8Encode(key), file.body ?? new Uint8Array(), utf8Encode(file.contentType ?? ''));
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return sha256(all);
}

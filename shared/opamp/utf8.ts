// UTF-8 for the OpAMP codec. shared/ compiles with no DOM and no Node types, so the platform's
// TextEncoder/TextDecoder (present in Node and every browser) are looked up, typed locally; the plain
// loops below are the fallback. The native ones matter for large configs: the loops took ~0.5 s per MiB.

interface NativeEncoder { encode(text: string): Uint8Array }
interface NativeDecoder { decode(bytes: Uint8Array): string }

const platform = globalThis as {
  TextEncoder?: new () => NativeEncoder;
  TextDecoder?: new (label: string, options: { fatal: boolean; ignoreBOM: boolean }) => NativeDecoder;
};
const encoder = platform.TextEncoder ? new platform.TextEncoder() : undefined;
// As the fallback: invalid sequences become U+FFFD (fatal: false), a leading BOM is kept (ignoreBOM).
const decoder = platform.TextDecoder ? new platform.TextDecoder('utf-8', { fatal: false, ignoreBOM: true }) : undefined;

export function utf8Encode(text: string): Uint8Array {
  if (encoder) return encoder.encode(text);
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** Lenient decode: invalid sequences become U+FFFD rather than throwing. */
export function utf8Decode(bytes: Uint8Array): string {
  if (decoder) return decoder.decode(bytes);
  let s = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xf0 && b < 0xf8 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : -1;
    if (need < 0 || i + need >= bytes.length) {
      s += '\ufffd';
      i++;
      continue;
    }
    let c = need === 0 ? b : b & (0x3f >> need);
    let ok = true;
    for (let k = 1; k <= need; k++) {
      const nb = bytes[i + k]!;
      if ((nb & 0xc0) !== 0x80) { ok = false; break; }
      c = (c << 6) | (nb & 0x3f);
    }
    if (!ok) { s += '\ufffd'; i++; continue; }
    s += String.fromCodePoint(c);
    i += need + 1;
  }
  return s;
}

// Text from a pod (log lines, marker details) is data, not terminal input: a raw ESC or BEL
// written to xterm would be executed (move the cursor, change colours, retitle the window,
// ring the bell). Before such text reaches xterm every control character is replaced by a
// visible stand-in, so the reader sees that it was there and nothing acts on it. Terminals
// that ARE a shell (exec, lab shell) must stay raw and never go through this.

/**
 * Replaces C0 controls except \n and \t with their Unicode Control Pictures (ESC → ␛,
 * BEL → ␇, CR → ␍), DEL with ␡, and 8-bit C1 controls (which xterm also executes, e.g.
 * U+009B = CSI) with ␛ and their 7-bit equivalent (U+009B → "␛[").
 */
export function visibleControls(text: string): string {
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (ch) => {
    const code = ch.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return '\u241b' + String.fromCharCode(code - 0x40);
  });
}

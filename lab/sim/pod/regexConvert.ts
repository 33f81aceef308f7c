// POSIX regular expressions (busybox uses the C library's regcomp) as
// JavaScript RegExp sources: basic (grep, sed) and extended (egrep, sed -E, awk).
const CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z', digit: '0-9', alnum: 'a-zA-Z0-9', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t', punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9A-Fa-f', cntrl: '\\x00-\\x1f\\x7f', print: ' -~', graph: '!-~',
};

/** Copies a bracket expression starting at `i` (the '['); returns [JS text, index after ']']. */
function bracket(src: string, i: number): [string, number] {
  let out = '[';
  let k = i + 1;
  if (src[k] === '^') { out += '^'; k++; }
  if (src[k] === ']') { out += '\\]'; k++; }
  while (k < src.length && src[k] !== ']') {
    const cls = /^\[:([a-z]+):\]/.exec(src.slice(k));
    if (cls && CLASSES[cls[1]!]) { out += CLASSES[cls[1]!]; k += cls[0].length; continue; }
    const c = src[k]!;
    // Inside brackets a backslash is literal in POSIX.
    out += c === '\\' || c === '[' ? `\\${c}` : c;
    k++;
  }
  if (k >= src.length) throw new Error('unterminated [');
  return [`${out}]`, k + 1];
}

export function posixToJs(src: string, extended: boolean): string {
  let out = '';
  for (let i = 0; i < src.length;) {
    const c = src[i]!;
    if (c === '[') { const [b, next] = bracket(src, i); out += b; i = next; continue; }
    if (c === '\\' && i + 1 < src.length) {
      const n = src[i + 1]!;
      i += 2;
      if (!extended && '(){}|+?'.includes(n)) out += n; // \( \) \{ \} \| \+ \? are the operators in BRE
      else if (n === '<' || n === '>') out += '\\b';
      else if (/[1-9]/.test(n)) out += `\\${n}`;
      else if (n === 'n') out += '\\n';
      else if (n === 't') out += '\\t';
      else if ('wWsSb'.includes(n)) out += `\\${n}`;
      else out += /[A-Za-z0-9]/.test(n) ? n : `\\${n}`;
      continue;
    }
    if (!extended && '(){}|+?'.includes(c)) { out += `\\${c}`; i++; continue; }
    // A leading * (or one after an opening group) is literal.
    if (c === '*' && (out === '' || out === '^' || out.endsWith('(') || out.endsWith('|'))) { out += '\\*'; i++; continue; }
    if (c === '/' ) { out += '\\/'; i++; continue; }
    out += c;
    i++;
  }
  return out;
}

export function posixRegExp(src: string, extended: boolean, flags = ''): RegExp {
  return new RegExp(posixToJs(src, extended), flags);
}

// Word expansion for the emulated shell, in POSIX order: parameters, $(...),
// $((...)), then field splitting and pathname globbing of the unquoted parts.
// Each character remembers whether it was quoted, so "$x" stays one field and
// a quoted '*' never globs.
import { ShellSyntaxError, skipDollar } from './shellParse';

export interface ExpandCtx {
  vars: Record<string, string>;
  params: string[];
  pid: number;
  status: number;
  /** Runs a command substitution; returns its stdout and records its status. */
  subst(script: string): Promise<string>;
  /** Names in a directory, or undefined when it is not one. */
  listDir(dir: string): string[] | undefined;
  cwd: string;
}

interface Ch { c: string; quoted: boolean; expanded: boolean }

const lit = (s: string, quoted: boolean, expanded = false): Ch[] => [...s].map((c) => ({ c, quoted, expanded }));

function param(name: string, ctx: ExpandCtx): string {
  if (name === '$') return String(ctx.pid);
  if (name === '?') return String(ctx.status);
  if (name === '#') return String(ctx.params.length);
  if (name === '@' || name === '*') return ctx.params.join(' ');
  if (name === '0') return 'sh';
  if (/^\d+$/.test(name)) return ctx.params[Number(name) - 1] ?? '';
  return ctx.vars[name] ?? '';
}

function isSet(name: string, ctx: ExpandCtx): boolean {
  if (/^\d+$/.test(name)) return Number(name) <= ctx.params.length;
  return /^[$?#@*]$/.test(name) || name in ctx.vars;
}

/** A shell pattern (quoted characters literal) as an anchored regex source. */
function patternSource(chars: Ch[]): string {
  let re = '';
  for (let i = 0; i < chars.length; i++) {
    const { c, quoted } = chars[i]!;
    if (!quoted && c === '*') re += '[\\s\\S]*';
    else if (!quoted && c === '?') re += '[\\s\\S]';
    else if (!quoted && c === '[') {
      const end = chars.findIndex((x, k) => k > i + 1 && x.c === ']' && !x.quoted);
      if (end < 0) { re += '\\['; continue; }
      let cls = chars.slice(i + 1, end).map((x) => x.c).join('');
      if (cls.startsWith('!')) cls = `^${cls.slice(1)}`;
      re += `[${cls.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return re;
}

const hasGlob = (chars: Ch[]): boolean => chars.some((x) => !x.quoted && '*?['.includes(x.c));

async function braceParam(body: string, ctx: ExpandCtx): Promise<string> {
  if (body.startsWith('#') && body.length > 1) return String(param(body.slice(1), ctx).length);
  const m = /^([A-Za-z_]\w*|\d+|[$?#@*])(.*)$/s.exec(body);
  if (!m) throw new ShellSyntaxError(`\${${body}}: bad substitution`);
  const name = m[1]!;
  const rest = m[2]!;
  const value = param(name, ctx);
  if (!rest) return value;
  const op = /^(%%|%|##|#|:-|:=|:\+|:\?|-|=|\+)/.exec(rest)?.[1];
  if (!op) throw new ShellSyntaxError(`\${${body}}: bad substitution`);
  const word = await expandChars(rest.slice(op.length), ctx, false);
  const wordText = word.map((x) => x.c).join('');
  const empty = op.startsWith(':') ? !value : !isSet(name, ctx);
  switch (op) {
    case ':-': case '-': return empty ? wordText : value;
    case ':=': case '=': if (empty) { ctx.vars[name] = wordText; return wordText; } return value;
    case ':+': case '+': return empty ? '' : wordText;
    case ':?': if (empty) throw new ShellSyntaxError(`${name}: ${wordText || 'parameter not set'}`); return value;
  }
  const re = new RegExp(`^${patternSource(word)}$`);
  const n = value.length;
  if (op === '#') { for (let k = 0; k <= n; k++) if (re.test(value.slice(0, k))) return value.slice(k); }
  if (op === '##') { for (let k = n; k >= 0; k--) if (re.test(value.slice(0, k))) return value.slice(k); }
  if (op === '%') { for (let k = n; k >= 0; k--) if (re.test(value.slice(k))) return value.slice(0, k); }
  if (op === '%%') { for (let k = 0; k <= n; k++) if (re.test(value.slice(k))) return value.slice(0, k); }
  return value;
}

/** Expands one raw word into characters marked quoted/expanded. */
async function expandChars(raw: string, ctx: ExpandCtx, inDouble: boolean): Promise<Ch[]> {
  const out: Ch[] = [];
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === '\\') {
      const next = raw[i + 1] ?? '';
      // Inside double quotes a backslash only escapes $ ` " \ and newline.
      if (inDouble && !'$`"\\\n'.includes(next)) out.push(...lit(`\\${next}`, true));
      else if (next !== '\n') out.push(...lit(next, true));
      i += 2;
    } else if (c === "'" && !inDouble) {
      const j = raw.indexOf("'", i + 1);
      out.push(...lit(raw.slice(i + 1, j), true));
      i = j + 1;
    } else if (c === '"' && !inDouble) {
      let j = i + 1;
      let depthEnd = j;
      while (depthEnd < raw.length && raw[depthEnd] !== '"') {
        if (raw[depthEnd] === '\\') depthEnd += 2;
        else if (raw[depthEnd] === '$' && '({'.includes(raw[depthEnd + 1] ?? '')) depthEnd = skipDollar(raw, depthEnd);
        else depthEnd++;
      }
      const inner = await expandChars(raw.slice(j, depthEnd), ctx, true);
      // An empty "" still makes a field; mark it with a zero-width quoted char.
      out.push(...(inner.length ? inner.map((x) => ({ ...x, quoted: true })) : [{ c: '', quoted: true, expanded: false }]));
      i = depthEnd + 1;
    } else if (c === '$') {
      const q = inDouble;
      if (raw.startsWith('$((', i)) {
        const end = skipDollar(raw, i);
        const expr = (await expandChars(raw.slice(i + 3, end - 2), ctx, true)).map((x) => x.c).join('');
        out.push(...lit(String(arith(expr, ctx.vars)), q, true));
        i = end;
      } else if (raw[i + 1] === '(') {
        const end = skipDollar(raw, i);
        const text = (await ctx.subst(raw.slice(i + 2, end - 1))).replace(/\n+$/, '');
        out.push(...lit(text, q, true));
        i = end;
      } else if (raw[i + 1] === '{') {
        const end = skipDollar(raw, i);
        out.push(...lit(await braceParam(raw.slice(i + 2, end - 1), ctx), q, true));
        i = end;
      } else {
        const m = /^(\d|[A-Za-z_]\w*|[$?#@*])/.exec(raw.slice(i + 1));
        if (m) { out.push(...lit(param(m[1]!, ctx), q, true)); i += 1 + m[0].length; }
        else { out.push(...lit('$', q)); i++; }
      }
    } else {
      out.push(...lit(c, inDouble));
      i++;
    }
  }
  return out;
}

function splitFields(chars: Ch[]): Ch[][] {
  const fields: Ch[][] = [];
  let cur: Ch[] | undefined;
  for (const ch of chars) {
    if (ch.expanded && !ch.quoted && /[ \t\n]/.test(ch.c)) { if (cur) fields.push(cur); cur = undefined; continue; }
    (cur ??= []).push(ch);
  }
  if (cur) fields.push(cur);
  return fields;
}

function glob(chars: Ch[], ctx: ExpandCtx): string[] {
  const text = chars.map((x) => x.c).join('');
  // Split the pattern into path segments, keeping each character's quoting.
  const segs: Ch[][] = [[]];
  for (const ch of chars) { if (ch.c === '/') segs.push([]); else segs[segs.length - 1]!.push(ch); }
  const absolute = text.startsWith('/');
  let paths = [absolute ? '/' : ''];
  for (const seg of absolute ? segs.slice(1) : segs) {
    const next: string[] = [];
    const name = seg.map((x) => x.c).join('');
    for (const base of paths) {
      const join = (n: string): string => (base === '/' ? `/${n}` : base ? `${base}/${n}` : n);
      if (!hasGlob(seg)) { next.push(join(name)); continue; }
      const dir = base === '' ? ctx.cwd : base;
      const re = new RegExp(`^${patternSource(seg)}$`);
      for (const n of ctx.listDir(dir) ?? []) if (!n.startsWith('.') && re.test(n)) next.push(join(n));
    }
    paths = next;
  }
  const found = paths.filter((p) => ctx.listDir(p) !== undefined || ctx.listDir(p.slice(0, p.lastIndexOf('/')) || '/')?.includes(p.slice(p.lastIndexOf('/') + 1)));
  return found.length ? found.sort() : [text];
}

/** Expands command words: fields split on unquoted expansions, then globbed. */
export async function expandWords(raws: string[], ctx: ExpandCtx): Promise<string[]> {
  const out: string[] = [];
  for (const raw of raws) {
    for (const field of splitFields(await expandChars(raw, ctx, false))) {
      if (hasGlob(field)) out.push(...glob(field, ctx));
      else out.push(field.map((x) => x.c).join(''));
    }
  }
  return out;
}

/** Expands an assignment value or redirection target: no splitting, no globbing. */
export async function expandString(raw: string, ctx: ExpandCtx): Promise<string> {
  return (await expandChars(raw, ctx, false)).map((x) => x.c).join('');
}

/** $((...)): integers, + - * / % comparisons, && || !, parentheses, bare variable names. */
export function arith(expr: string, vars: Record<string, string>): number {
  const toks = expr.match(/\d+|[A-Za-z_]\w*|<=|>=|==|!=|&&|\|\||[-+*/%()<>!]/g) ?? [];
  if (toks.join('').replace(/\s/g, '') !== expr.replace(/\s/g, '')) throw new ShellSyntaxError(`arithmetic syntax error: ${expr}`);
  let p = 0;
  const num = (t: string): number => (/^\d+$/.test(t) ? Number(t) : Number(vars[t] ?? 0) || 0);
  const prec: Record<string, number> = { '||': 1, '&&': 2, '==': 3, '!=': 3, '<': 4, '>': 4, '<=': 4, '>=': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6 };
  function unary(): number {
    const t = toks[p++];
    if (t === undefined) throw new ShellSyntaxError(`arithmetic syntax error: ${expr}`);
    if (t === '-') return -unary();
    if (t === '+') return unary();
    if (t === '!') return unary() ? 0 : 1;
    if (t === '(') { const v = binary(0); if (toks[p++] !== ')') throw new ShellSyntaxError(`arithmetic syntax error: ${expr}`); return v; }
    return num(t);
  }
  function binary(min: number): number {
    let left = unary();
    for (;;) {
      const op = toks[p];
      const pr = op ? prec[op] : undefined;
      if (pr === undefined || pr <= min) return left;
      p++;
      const right = binary(pr);
      if ((op === '/' || op === '%') && right === 0) throw new ShellSyntaxError('arithmetic: divide by zero');
      left = op === '+' ? left + right : op === '-' ? left - right : op === '*' ? left * right : op === '/' ? Math.trunc(left / right) : op === '%' ? left % right
        : op === '<' ? +(left < right) : op === '>' ? +(left > right) : op === '<=' ? +(left <= right) : op === '>=' ? +(left >= right)
        : op === '==' ? +(left === right) : op === '!=' ? +(left !== right) : op === '&&' ? +(!!left && !!right) : +(!!left || !!right);
    }
  }
  if (!toks.length) return 0;
  const v = binary(0);
  if (p < toks.length) throw new ShellSyntaxError(`arithmetic syntax error: ${expr}`);
  return v;
}

// busybox awk for the emulated pod: the POSIX language an attendee types on a
// command line — BEGIN/END, patterns (regex, expressions, ranges), fields and
// NF/NR/FS/OFS, -F and -v, print/printf, if/while/for/for-in, arrays, next,
// exit, and the string and math built-ins. Tokens → AST → tree-walking evaluator.
import type { AppletIo } from './applets';
import { readInputs } from './appletsText';
import { posixRegExp } from './regexConvert';

type Val = string | number;
type Node =
  | { k: 'num'; v: number } | { k: 'str'; v: string } | { k: 're'; v: string }
  | { k: 'var'; name: string } | { k: 'field'; e: Node } | { k: 'idx'; name: string; subs: Node[] }
  | { k: 'assign'; op: string; target: Node; e: Node } | { k: 'cond'; c: Node; a: Node; b: Node }
  | { k: 'bin'; op: string; a: Node; b: Node } | { k: 'un'; op: string; e: Node }
  | { k: 'incdec'; op: '++' | '--'; prefix: boolean; target: Node } | { k: 'in'; subs: Node[]; name: string }
  | { k: 'match'; neg: boolean; a: Node; re: Node } | { k: 'call'; name: string; args: Node[] } | { k: 'group'; e: Node }
  | { k: 'getline' };
type Stmt =
  | { k: 'print'; args: Node[]; printf: boolean } | { k: 'expr'; e: Node } | { k: 'block'; body: Stmt[] }
  | { k: 'if'; c: Node; a: Stmt; b?: Stmt } | { k: 'while'; c: Node; body: Stmt } | { k: 'do'; c: Node; body: Stmt }
  | { k: 'for'; init?: Stmt; c?: Node; step?: Stmt; body: Stmt } | { k: 'forin'; v: string; arr: string; body: Stmt }
  | { k: 'next' } | { k: 'exit'; e?: Node } | { k: 'break' } | { k: 'continue' } | { k: 'delete'; name: string; subs?: Node[] };
interface Rule { kind: 'begin' | 'end' | 'main'; pat?: Node; pat2?: Node; body?: Stmt[]; inRange?: boolean }

class AwkError extends Error {}
class Next {}
class Exit { constructor(readonly code: number) {} }
class Brk {}
class Cont {}

type Tok = { t: 'num' | 'str' | 're' | 'name' | 'func' | 'op' | 'nl' | 'eof'; v: string };
const KEYWORDS = new Set(['BEGIN', 'END', 'if', 'else', 'while', 'do', 'for', 'in', 'next', 'exit', 'print', 'printf', 'break', 'continue', 'delete', 'getline', 'function', 'return']);
const BUILTINS = new Set(['length', 'substr', 'index', 'split', 'sub', 'gsub', 'match', 'sprintf', 'tolower', 'toupper', 'int', 'sqrt', 'exp', 'log', 'sin', 'cos', 'atan2', 'rand', 'srand', 'system']);

function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  // A '/' starts a regex where an operand is expected (not after a value).
  const regexOk = (): boolean => { const l = toks[toks.length - 1]; return !l || (l.t === 'op' && !/^[)\]]$/.test(l.v) && l.v !== '++' && l.v !== '--') || l.t === 'nl' || (l.t === 'name' && KEYWORDS.has(l.v)); };
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\r') { i++; continue; }
    if (c === '\\' && src[i + 1] === '\n') { i += 2; continue; }
    if (c === '#') { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (c === '\n' || c === ';') { toks.push({ t: 'nl', v: c }); i++; continue; }
    if (/[0-9.]/.test(c) && /^(\d+\.?\d*(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?)/i.test(src.slice(i))) {
      const m = /^(0x[0-9a-f]+|\d+\.?\d*(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?)/i.exec(src.slice(i))!;
      toks.push({ t: 'num', v: m[0] }); i += m[0].length; continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_]\w*/.exec(src.slice(i))!;
      i += m[0].length;
      toks.push({ t: BUILTINS.has(m[0]) || (src[i] === '(' && !KEYWORDS.has(m[0])) ? 'func' : 'name', v: m[0] });
      continue;
    }
    if (c === '"') {
      let s = '';
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\\') {
          const e = src[++i]!;
          const oct = /^[0-7]{1,3}/.exec(src.slice(i));
          if (oct) { s += String.fromCharCode(parseInt(oct[0], 8)); i += oct[0].length; continue; }
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e === '\\' ? '\\' : e === '"' ? '"' : e === '/' ? '/' : `\\${e}`;
          i++;
        } else s += src[i++]!;
      }
      if (i >= src.length) throw new AwkError('unterminated string');
      i++;
      toks.push({ t: 'str', v: s });
      continue;
    }
    if (c === '/' && regexOk()) {
      let s = '';
      i++;
      while (i < src.length && src[i] !== '/') {
        if (src[i] === '\\' && src[i + 1] === '/') { s += '/'; i += 2; continue; }
        if (src[i] === '\\') { s += src[i]! + (src[i + 1] ?? ''); i += 2; continue; }
        if (src[i] === '\n') throw new AwkError('unterminated regexp');
        s += src[i++]!;
      }
      i++;
      toks.push({ t: 're', v: s });
      continue;
    }
    const op = ['+=', '-=', '*=', '/=', '%=', '^=', '==', '<=', '>=', '!=', '++', '--', '&&', '||', '!~', '>>', '**'].find((o) => src.startsWith(o, i));
    if (op) { toks.push({ t: 'op', v: op === '**' ? '^' : op }); i += op.length; continue; }
    if ('{}()[],+-*/%^!<>=?:~$|'.includes(c)) { toks.push({ t: 'op', v: c }); i++; continue; }
    throw new AwkError(`unexpected character '${c}'`);
  }
  toks.push({ t: 'eof', v: '' });
  return toks;
}

function parse(src: string): Rule[] {
  const toks = lex(src);
  let p = 0;
  const peek = (): Tok => toks[p]!;
  const is = (v: string, t: Tok['t'] = 'op'): boolean => peek().t === t && peek().v === v;
  const eat = (v: string, t: Tok['t'] = 'op'): void => { if (!is(v, t)) throw new AwkError(`syntax error near '${peek().v || 'end of program'}' (expected '${v}')`); p++; };
  const nls = (): void => { while (peek().t === 'nl') p++; };
  const optNl = (): void => { while (peek().t === 'nl' && peek().v === '\n') p++; };

  // Expressions, lowest precedence first. `noIn` is for `for (x in a)` heads; `noGt` keeps `>` for print redirection.
  const expr = (noGt = false): Node => ternary(noGt);
  const ternary = (noGt: boolean): Node => {
    const c = or(noGt);
    if (is('?')) { p++; optNl(); const a = ternary(noGt); optNl(); eat(':'); optNl(); const b = ternary(noGt); return { k: 'cond', c, a, b }; }
    if (peek().t === 'op' && ['=', '+=', '-=', '*=', '/=', '%=', '^='].includes(peek().v) && (c.k === 'var' || c.k === 'field' || c.k === 'idx')) {
      const op = toks[p++]!.v; optNl();
      return { k: 'assign', op, target: c, e: ternary(noGt) };
    }
    return c;
  };
  const or = (noGt: boolean): Node => { let a = and(noGt); while (is('||')) { p++; optNl(); a = { k: 'bin', op: '||', a, b: and(noGt) }; } return a; };
  const and = (noGt: boolean): Node => { let a = inExpr(noGt); while (is('&&')) { p++; optNl(); a = { k: 'bin', op: '&&', a, b: inExpr(noGt) }; } return a; };
  const inExpr = (noGt: boolean): Node => {
    let a = matchE(noGt);
    while (is('in', 'name')) { p++; const name = peek().v; p++; a = { k: 'in', subs: a.k === 'group' && a.e.k === 'bin' && a.e.op === ',' ? flattenComma(a.e) : [a], name }; }
    return a;
  };
  const matchE = (noGt: boolean): Node => {
    let a = rel(noGt);
    while (is('~') || is('!~')) { const neg = toks[p++]!.v === '!~'; a = { k: 'match', neg, a, re: rel(noGt) }; }
    return a;
  };
  const rel = (noGt: boolean): Node => {
    const a = concat(noGt);
    const v = peek().v;
    if (peek().t === 'op' && ['<', '<=', '==', '!=', '>=', ...(noGt ? [] : ['>'])].includes(v)) { p++; return { k: 'bin', op: v, a, b: concat(noGt) }; }
    return a;
  };
  const startsOperand = (): boolean => {
    const t = peek();
    if (t.t === 'num' || t.t === 'str' || t.t === 're' || t.t === 'func') return true;
    if (t.t === 'name') return !KEYWORDS.has(t.v) || t.v === 'getline';
    return t.t === 'op' && ['$', '!', '(', '-', '+', '++', '--'].includes(t.v);
  };
  const concat = (noGt: boolean): Node => {
    let a = additive();
    while (startsOperand() && !is('in', 'name')) a = { k: 'bin', op: 'cat', a, b: additive() };
    void noGt;
    return a;
  };
  const additive = (): Node => { let a = mult(); while ((is('+') || is('-'))) { const op = toks[p++]!.v; a = { k: 'bin', op, a, b: mult() }; } return a; };
  const mult = (): Node => { let a = unary(); while (is('*') || is('/') || is('%')) { const op = toks[p++]!.v; a = { k: 'bin', op, a, b: unary() }; } return a; };
  const unary = (): Node => {
    if (is('!')) { p++; return { k: 'un', op: '!', e: unary() }; }
    if (is('-') || is('+')) { const op = toks[p++]!.v; return { k: 'un', op, e: unary() }; }
    return pow();
  };
  const pow = (): Node => { const a = postfix(); if (is('^')) { p++; return { k: 'bin', op: '^', a, b: unary() }; } return a; };
  const postfix = (): Node => {
    if (is('++') || is('--')) { const op = toks[p++]!.v as '++' | '--'; return { k: 'incdec', op, prefix: true, target: primary() }; }
    const e = primary();
    if ((is('++') || is('--')) && (e.k === 'var' || e.k === 'field' || e.k === 'idx')) { const op = toks[p++]!.v as '++' | '--'; return { k: 'incdec', op, prefix: false, target: e }; }
    return e;
  };
  const flattenComma = (n: Node): Node[] => (n.k === 'bin' && n.op === ',' ? [...flattenComma(n.a), ...flattenComma(n.b)] : [n]);
  const primary = (): Node => {
    const t = peek();
    if (t.t === 'num') { p++; return { k: 'num', v: Number(t.v) }; }
    if (t.t === 'str') { p++; return { k: 'str', v: t.v }; }
    if (t.t === 're') { p++; return { k: 're', v: t.v }; }
    if (is('$')) { p++; return { k: 'field', e: postfixNoInc() }; }
    if (is('(')) {
      p++;
      const items = [expr()];
      while (is(',')) { p++; optNl(); items.push(expr()); }
      eat(')');
      return items.length > 1 ? { k: 'group', e: items.reduce((a, b) => ({ k: 'bin', op: ',', a, b })) } : { k: 'group', e: items[0]! };
    }
    if (t.t === 'func') {
      p++;
      const args: Node[] = [];
      if (is('(')) {
        p++; optNl();
        if (!is(')')) { args.push(expr()); while (is(',')) { p++; optNl(); args.push(expr()); } }
        optNl();
        eat(')');
      }
      if (!BUILTINS.has(t.v)) throw new AwkError(`function '${t.v}' not defined`);
      return { k: 'call', name: t.v, args };
    }
    if (t.t === 'name' && t.v === 'getline') { p++; return { k: 'getline' }; }
    if (t.t === 'name' && !KEYWORDS.has(t.v)) {
      p++;
      if (is('[')) { p++; const subs = [expr()]; while (is(',')) { p++; subs.push(expr()); } eat(']'); return { k: 'idx', name: t.v, subs }; }
      return { k: 'var', name: t.v };
    }
    throw new AwkError(`syntax error near '${t.v || 'end of program'}'`);
  };
  // $ binds tighter than ++ on what follows: $i++ is ($i)++, $NF-1 is ($NF)-1.
  const postfixNoInc = (): Node => {
    if (is('-')) { p++; return { k: 'un', op: '-', e: primary() }; }
    if (is('++') || is('--')) { const op = toks[p++]!.v as '++' | '--'; return { k: 'incdec', op, prefix: true, target: primary() }; }
    return primary();
  };

  const simple = (): Stmt => {
    if (is('print', 'name') || is('printf', 'name')) {
      const printf = toks[p++]!.v === 'printf';
      const args: Node[] = [];
      const parenList = is('(');
      if (!(peek().t === 'nl' || is('}') || peek().t === 'eof')) {
        args.push(expr(true));
        while (is(',')) { p++; optNl(); args.push(expr(true)); }
      }
      if (is('>') || is('>>') || is('|')) throw new AwkError('output redirection is not supported in the embedded lab');
      const flat = parenList && args.length === 1 && args[0]!.k === 'group' && args[0]!.e.k === 'bin' && args[0]!.e.op === ',' ? flattenComma(args[0]!.e) : args;
      return { k: 'print', args: flat, printf };
    }
    if (is('next', 'name')) { p++; return { k: 'next' }; }
    if (is('break', 'name')) { p++; return { k: 'break' }; }
    if (is('continue', 'name')) { p++; return { k: 'continue' }; }
    if (is('exit', 'name')) { p++; return peek().t === 'nl' || is('}') || peek().t === 'eof' ? { k: 'exit' } : { k: 'exit', e: expr() }; }
    if (is('delete', 'name')) {
      p++;
      const name = peek().v; p++;
      if (is('[')) { p++; const subs = [expr()]; while (is(',')) { p++; subs.push(expr()); } eat(']'); return { k: 'delete', name, subs }; }
      return { k: 'delete', name };
    }
    return { k: 'expr', e: expr() };
  };
  const stmt = (): Stmt => {
    nls();
    if (is('{')) { p++; const body = stmts(); eat('}'); return { k: 'block', body }; }
    if (is('if', 'name')) {
      p++; eat('('); const c = expr(); eat(')'); optNl();
      const a = stmt();
      const save = p;
      nls();
      if (is('else', 'name')) { p++; optNl(); return { k: 'if', c, a, b: stmt() }; }
      p = save;
      return { k: 'if', c, a };
    }
    if (is('while', 'name')) { p++; eat('('); const c = expr(); eat(')'); if (peek().t === 'nl' && peek().v === ';') { p++; return { k: 'while', c, body: { k: 'block', body: [] } }; } optNl(); return { k: 'while', c, body: stmt() }; }
    if (is('do', 'name')) { p++; optNl(); const body = stmt(); nls(); eat('while', 'name'); eat('('); const c = expr(); eat(')'); return { k: 'do', c, body }; }
    if (is('for', 'name')) {
      p++; eat('(');
      if (peek().t === 'name' && toks[p + 1]?.v === 'in' && toks[p + 2]?.t === 'name' && toks[p + 3]?.v === ')') {
        const v = peek().v; p += 2; const arr = peek().v; p += 2; optNl();
        return { k: 'forin', v, arr, body: stmt() };
      }
      const init = is(';', 'nl') ? undefined : simple(); eat(';', 'nl'); optNl();
      const c = is(';', 'nl') ? undefined : expr(); eat(';', 'nl'); optNl();
      const step = is(')') ? undefined : simple(); eat(')'); optNl();
      return { k: 'for', ...(init ? { init } : {}), ...(c ? { c } : {}), ...(step ? { step } : {}), body: stmt() };
    }
    if (is(';', 'nl')) { p++; return { k: 'block', body: [] }; }
    const s = simple();
    if (peek().t === 'nl') p++;
    else if (!is('}') && peek().t !== 'eof') throw new AwkError(`syntax error near '${peek().v}'`);
    return s;
  };
  const stmts = (): Stmt[] => { const out: Stmt[] = []; nls(); while (!is('}') && peek().t !== 'eof') { out.push(stmt()); nls(); } return out; };

  const rules: Rule[] = [];
  nls();
  while (peek().t !== 'eof') {
    if (is('function', 'name')) throw new AwkError('user functions are not supported in the embedded lab');
    let rule: Rule;
    if (is('BEGIN', 'name') || is('END', 'name')) {
      const kind = toks[p++]!.v === 'BEGIN' ? 'begin' : 'end';
      optNl();
      eat('{');
      rule = { kind, body: stmts() };
      eat('}');
    } else {
      rule = { kind: 'main' };
      if (!is('{')) { rule.pat = expr(); if (is(',')) { p++; optNl(); rule.pat2 = expr(); } }
      if (is('{')) { p++; rule.body = stmts(); eat('}'); }
    }
    rules.push(rule);
    nls();
  }
  return rules;
}

// ---- evaluation ----

const NUMERIC = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i;
function toNum(v: Val): number { if (typeof v === 'number') return v; const m = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?/i.exec(v); return m ? Number(m[0]) : 0; }

/** printf/sprintf with awk's conversions: %d %i %o %x %X %u %c %s %e %f %g %%, flags, width, precision, `*`. */
export function awkFormat(fmt: string, args: Val[]): string {
  let k = 0;
  const next = (): Val => args[k++] ?? '';
  return fmt.replace(/%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([diouxXcseEfgG%])/g, (_m, flags: string, w: string | undefined, pr: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    let width = w === '*' ? toNum(next()) : w ? Number(w) : 0;
    const prec = pr === '*' ? toNum(next()) : pr !== undefined ? Number(pr) : undefined;
    let left = flags.includes('-');
    if (width < 0) { left = true; width = -width; }
    const v = next();
    let s: string;
    switch (conv) {
      case 'd': case 'i': case 'u': { const n = Math.trunc(toNum(v)); s = String(Math.abs(n)); if (prec !== undefined) s = s.padStart(prec, '0'); s = (n < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '') + s; break; }
      case 'o': s = Math.trunc(toNum(v)).toString(8); break;
      case 'x': s = Math.trunc(toNum(v)).toString(16); break;
      case 'X': s = Math.trunc(toNum(v)).toString(16).toUpperCase(); break;
      case 'c': s = typeof v === 'number' ? String.fromCharCode(v) : v.slice(0, 1); break;
      case 's': s = typeof v === 'number' ? numToStr(v) : v; if (prec !== undefined) s = s.slice(0, prec); break;
      case 'e': case 'E': { const n = toNum(v); s = n.toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2'); if (conv === 'E') s = s.toUpperCase(); if (flags.includes('+') && n >= 0) s = `+${s}`; break; }
      case 'f': { const n = toNum(v); s = n.toFixed(prec ?? 6); if (flags.includes('+') && n >= 0) s = `+${s}`; break; }
      default: s = gFormat(toNum(v), prec ?? 6); if (conv === 'G') s = s.toUpperCase();
    }
    if (s.length >= width) return s;
    if (left) return s.padEnd(width);
    if (flags.includes('0') && /[diouxXeEfgG]/.test(conv)) { const sign = /^[-+ ]/.test(s) ? s[0]! : ''; return sign + s.slice(sign.length).padStart(width - sign.length, '0'); }
    return s.padStart(width);
  });
}

function gFormat(n: number, prec: number): string {
  if (n === 0) return '0';
  const p = prec === 0 ? 1 : prec;
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= p) return n.toExponential(p - 1).replace(/\.?0+e/, 'e').replace(/e([+-])(\d)$/, 'e$10$2');
  return n.toFixed(Math.max(0, p - 1 - exp)).replace(/\.?0+$/, '');
}

/** A number as awk prints it: integers whole, others with CONVFMT/OFMT %.6g. */
function numToStr(n: number): string {
  if (Number.isInteger(n)) return String(n);
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : n < 0 ? '-inf' : 'nan';
  return gFormat(n, 6);
}
const toStr = (v: Val): string => (typeof v === 'number' ? numToStr(v) : v);

export async function awk(args: string[], io: AppletIo): Promise<number> {
  let fs: string | undefined;
  const assigns: [string, string][] = [];
  let program: string | undefined;
  let k = 0;
  for (; k < args.length; k++) {
    const a = args[k]!;
    if (a === '--') { k++; break; }
    if (a === '-F') fs = args[++k];
    else if (a.startsWith('-F')) fs = a.slice(2);
    else if (a === '-v') { const m = /^([A-Za-z_]\w*)=(.*)$/s.exec(args[++k] ?? ''); if (!m) { io.err(`awk: invalid -v argument\n`); return 1; } assigns.push([m[1]!, m[2]!]); }
    else if (a === '-f') { const n = io.env.fs.get(args[++k] ?? ''); if (n?.kind !== 'file') { io.err(`awk: can't open '${args[k]}'\n`); return 1; } program = n.data; }
    else if (a.startsWith('-') && a !== '-') { io.err(`awk: invalid option -- '${a.slice(1, 2)}'\n`); return 1; }
    else break;
  }
  if (program === undefined) program = args[k++];
  if (program === undefined) { io.err('Usage: awk [OPTIONS] [AWK_PROGRAM] [FILE]...\n'); return 1; }
  let rules: Rule[];
  try {
    rules = parse(program);
  } catch (err) {
    io.err(`awk: cmd. line:1: ${(err as Error).message}\n`);
    return 2;
  }
  const vars = new Map<string, Val>([['FS', ' '], ['OFS', ' '], ['ORS', '\n'], ['NR', 0], ['NF', 0], ['FNR', 0], ['SUBSEP', '\u001c'], ['RSTART', 0], ['RLENGTH', -1], ['FILENAME', ''], ['CONVFMT', '%.6g'], ['OFMT', '%.6g']]);
  const unescape = (s: string): string => s.replace(/\\(.)/g, (_m, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c === '\\' ? '\\' : c));
  if (fs !== undefined) vars.set('FS', fs === 't' ? '\t' : unescape(fs));
  for (const [n, v] of assigns) vars.set(n, unescape(v));
  const arrays = new Map<string, Map<string, Val>>();
  const arr = (name: string): Map<string, Val> => { let a = arrays.get(name); if (!a) { a = new Map(); arrays.set(name, a); } return a; };
  let fields: string[] = [''];
  const splitFields = (rec: string, sep: string): string[] => {
    if (sep === ' ') return rec.trim() === '' ? [] : rec.trim().split(/[ \t\n]+/);
    if (rec === '') return [];
    if (sep.length === 1 && sep !== '\\') return rec.split(sep);
    return rec.split(posixRegExp(sep, true));
  };
  const setRecord = (rec: string): void => { fields = [rec, ...splitFields(rec, toStr(vars.get('FS')!))]; vars.set('NF', fields.length - 1); };
  const rebuild = (): void => { fields[0] = fields.slice(1).join(toStr(vars.get('OFS')!)); };
  const regexCache = new Map<string, RegExp>();
  const toRe = (v: Val, node?: Node): RegExp => {
    const src = node?.k === 're' ? node.v : toStr(v);
    let re = regexCache.get(src);
    if (!re) {
      try { re = posixRegExp(src, true); } catch { throw new AwkError(`bad regex '${src}'`); }
      regexCache.set(src, re);
    }
    return re;
  };

  const getLv = (n: Node): Val => {
    if (n.k === 'var') return vars.get(n.name) ?? '';
    if (n.k === 'field') { const i = Math.trunc(toNum(ev(n.e))); if (i < 0) throw new AwkError(`trying to access out of range field ${i}`); return fields[i] ?? ''; }
    if (n.k === 'idx') return arr(n.name).get(n.subs.map((s) => toStr(ev(s))).join(toStr(vars.get('SUBSEP')!))) ?? '';
    throw new AwkError('assignment to non-lvalue');
  };
  const setLv = (n: Node, v: Val): void => {
    if (n.k === 'var') {
      vars.set(n.name, v);
      if (n.name === 'NF') { const nf = Math.trunc(toNum(v)); fields = fields.slice(0, nf + 1); while (fields.length < nf + 1) fields.push(''); rebuild(); }
    } else if (n.k === 'field') {
      const i = Math.trunc(toNum(ev(n.e)));
      if (i === 0) setRecord(toStr(v));
      else { while (fields.length <= i) fields.push(''); fields[i] = toStr(v); vars.set('NF', Math.max(toNum(vars.get('NF')!), i)); rebuild(); }
    } else if (n.k === 'idx') arr(n.name).set(n.subs.map((s) => toStr(ev(s))).join(toStr(vars.get('SUBSEP')!)), v);
  };
  const truthy = (v: Val, strnum: boolean): boolean => (typeof v === 'number' ? v !== 0 : strnum && NUMERIC.test(v) ? toNum(v) !== 0 : v !== '');
  /** Values from input (fields, getline) that look numeric compare as numbers. */
  const isStrnum = (n: Node): boolean => n.k === 'field' || (n.k === 'var' && assigns.some(([a]) => a === n.name)) || n.k === 'idx';
  const cond = (n: Node): boolean => (n.k === 're' ? toRe('', n).test(fields[0]!) : truthy(ev(n), isStrnum(n)));

  const sub = (n: Node, global: boolean): number => {
    const re = toRe(ev(n.k === 'call' ? n.args[0]! : n), n.k === 'call' ? n.args[0] : undefined);
    const call = n as Extract<Node, { k: 'call' }>;
    const repl = toStr(ev(call.args[1]!));
    const target = call.args[2] ?? { k: 'field', e: { k: 'num', v: 0 } } as Node;
    const text = toStr(getLv(target));
    let count = 0;
    const g = new RegExp(re.source, 'g');
    const out = text.replace(g, (m) => {
      if (!global && count > 0) return m;
      count++;
      return repl.replace(/\\\\|\\&|&/g, (r) => (r === '&' ? m : r === '\\&' ? '&' : '\\'));
    });
    if (count) setLv(target, out);
    return count;
  };

  const ev = (n: Node): Val => {
    switch (n.k) {
      case 'num': return n.v;
      case 'str': return n.v;
      case 're': return toRe('', n).test(fields[0]!) ? 1 : 0;
      case 'group': return ev(n.e);
      case 'var': case 'field': case 'idx': return getLv(n);
      case 'assign': {
        let v = ev(n.e);
        if (n.op !== '=') {
          const a = toNum(getLv(n.target)); const b = toNum(v);
          v = n.op === '+=' ? a + b : n.op === '-=' ? a - b : n.op === '*=' ? a * b : n.op === '/=' ? div(a, b) : n.op === '%=' ? a % b : a ** b;
        }
        setLv(n.target, v);
        return v;
      }
      case 'cond': return cond(n.c) ? ev(n.a) : ev(n.b);
      case 'incdec': { const old = toNum(getLv(n.target)); const nv = old + (n.op === '++' ? 1 : -1); setLv(n.target, nv); return n.prefix ? nv : old; }
      case 'un': { if (n.op === '!') return cond(n.e) ? 0 : 1; const v = toNum(ev(n.e)); return n.op === '-' ? -v : v; }
      case 'in': return arr(n.name).has(n.subs.map((s) => toStr(ev(s))).join(toStr(vars.get('SUBSEP')!))) ? 1 : 0;
      case 'match': { const re = toRe(ev(n.re), n.re); return re.test(toStr(ev(n.a))) !== n.neg ? 1 : 0; }
      case 'getline': return 0;
      case 'bin': {
        if (n.op === '&&') return cond(n.a) && cond(n.b) ? 1 : 0;
        if (n.op === '||') return cond(n.a) || cond(n.b) ? 1 : 0;
        if (n.op === ',') return `${toStr(ev(n.a))}${toStr(vars.get('SUBSEP')!)}${toStr(ev(n.b))}`;
        const a = ev(n.a);
        const b = ev(n.b);
        if (n.op === 'cat') return toStr(a) + toStr(b);
        if (['<', '<=', '>', '>=', '==', '!='].includes(n.op)) {
          const numA = typeof a === 'number' || (isStrnum(n.a) && NUMERIC.test(a));
          const numB = typeof b === 'number' || (isStrnum(n.b) && NUMERIC.test(b));
          const c = numA && numB ? toNum(a) - toNum(b) : toStr(a) < toStr(b) ? -1 : toStr(a) > toStr(b) ? 1 : 0;
          return (n.op === '<' ? c < 0 : n.op === '<=' ? c <= 0 : n.op === '>' ? c > 0 : n.op === '>=' ? c >= 0 : n.op === '==' ? c === 0 : c !== 0) ? 1 : 0;
        }
        const x = toNum(a); const y = toNum(b);
        switch (n.op) {
          case '+': return x + y;
          case '-': return x - y;
          case '*': return x * y;
          case '/': return div(x, y);
          case '%': if (y === 0) throw new AwkError('division by zero in %'); return x % y;
          case '^': return x ** y;
        }
        throw new AwkError(`unknown operator ${n.op}`);
      }
      case 'call': return call(n);
    }
  };
  const div = (a: number, b: number): number => { if (b === 0) throw new AwkError('division by zero'); return a / b; };
  const call = (n: Extract<Node, { k: 'call' }>): Val => {
    const a = n.args;
    const s = (i: number): string => toStr(ev(a[i]!));
    switch (n.name) {
      case 'length': return a.length ? (a[0]!.k === 'var' && arrays.has(a[0]!.name) ? arrays.get(a[0]!.name)!.size : [...s(0)].length) : [...fields[0]!].length;
      case 'substr': {
        const str = [...s(0)];
        const start = Math.round(toNum(ev(a[1]!)));
        const len = a[2] ? Math.round(toNum(ev(a[2]!))) : Infinity;
        const from = Math.max(1, start);
        const to = Math.min(str.length + 1, start + len);
        return to > from ? str.slice(from - 1, to - 1).join('') : '';
      }
      case 'index': return s(0).indexOf(s(1)) + 1;
      case 'split': {
        const target = a[1]!;
        if (target.k !== 'var') throw new AwkError('split: second argument must be an array');
        const parts = splitFields(s(0), a[2] ? (a[2].k === 're' ? a[2].v : s(2)) : toStr(vars.get('FS')!));
        const m = arr(target.name);
        m.clear();
        parts.forEach((p, i) => m.set(String(i + 1), p));
        return parts.length;
      }
      case 'sub': return sub(n, false);
      case 'gsub': return sub(n, true);
      case 'match': {
        const m = toRe(ev(a[1]!), a[1]).exec(s(0));
        vars.set('RSTART', m ? m.index + 1 : 0);
        vars.set('RLENGTH', m ? m[0].length : -1);
        return m ? m.index + 1 : 0;
      }
      case 'sprintf': return awkFormat(s(0), a.slice(1).map(ev));
      case 'tolower': return s(0).toLowerCase();
      case 'toupper': return s(0).toUpperCase();
      case 'int': return Math.trunc(toNum(ev(a[0]!)));
      case 'sqrt': return Math.sqrt(toNum(ev(a[0]!)));
      case 'exp': return Math.exp(toNum(ev(a[0]!)));
      case 'log': return Math.log(toNum(ev(a[0]!)));
      case 'sin': return Math.sin(toNum(ev(a[0]!)));
      case 'cos': return Math.cos(toNum(ev(a[0]!)));
      case 'atan2': return Math.atan2(toNum(ev(a[0]!)), toNum(ev(a[1]!)));
      case 'rand': return Math.random();
      case 'srand': return 0;
      case 'system': throw new AwkError('system() is not supported in the embedded lab');
    }
    throw new AwkError(`function '${n.name}' not defined`);
  };

  const exec = (st: Stmt): void => {
    switch (st.k) {
      case 'print': {
        if (st.printf) { if (!st.args.length) throw new AwkError('printf: no format'); io.out(awkFormat(toStr(ev(st.args[0]!)), st.args.slice(1).map(ev))); return; }
        const vals = st.args.length ? st.args.map((x) => { const v = ev(x); return typeof v === 'number' && !Number.isInteger(v) ? awkFormat(toStr(vars.get('OFMT')!), [v]) : toStr(v); }) : [fields[0]!];
        io.out(vals.join(toStr(vars.get('OFS')!)) + toStr(vars.get('ORS')!));
        return;
      }
      case 'expr': ev(st.e); return;
      case 'block': for (const s of st.body) exec(s); return;
      case 'if': if (cond(st.c)) exec(st.a); else if (st.b) exec(st.b); return;
      case 'while': case 'do': {
        let guard = 0;
        if (st.k === 'do') { try { exec(st.body); } catch (e) { if (e instanceof Brk) return; if (!(e instanceof Cont)) throw e; } }
        while (cond(st.c)) {
          if (++guard > 10_000_000) throw new AwkError('loop runs away');
          try { exec(st.body); } catch (e) { if (e instanceof Brk) break; if (!(e instanceof Cont)) throw e; }
        }
        return;
      }
      case 'for': {
        if (st.init) exec(st.init);
        let guard = 0;
        while (!st.c || cond(st.c)) {
          if (++guard > 10_000_000) throw new AwkError('loop runs away');
          try { exec(st.body); } catch (e) { if (e instanceof Brk) break; if (!(e instanceof Cont)) throw e; }
          if (st.step) exec(st.step);
        }
        return;
      }
      case 'forin': {
        for (const key of [...arr(st.arr).keys()]) {
          vars.set(st.v, key);
          try { exec(st.body); } catch (e) { if (e instanceof Brk) break; if (!(e instanceof Cont)) throw e; }
        }
        return;
      }
      case 'next': throw new Next();
      case 'exit': throw new Exit(st.e ? Math.trunc(toNum(ev(st.e))) : 0);
      case 'break': throw new Brk();
      case 'continue': throw new Cont();
      case 'delete': if (st.subs) arr(st.name).delete(st.subs.map((s) => toStr(ev(s))).join(toStr(vars.get('SUBSEP')!))); else arr(st.name).clear(); return;
    }
  };

  const files = args.slice(k);
  let exitCode = 0;
  try {
    try {
      for (const r of rules) if (r.kind === 'begin') for (const s of r.body!) exec(s);
      const mains = rules.filter((r) => r.kind === 'main');
      if (mains.length || rules.some((r) => r.kind === 'end')) {
        const operands = files.filter((f) => { const m = /^([A-Za-z_]\w*)=(.*)$/s.exec(f); return !m; });
        const { text, code } = readInputs('awk', operands, io);
        if (code) exitCode = 2;
        const records = text.split('\n');
        if (records[records.length - 1] === '') records.pop();
        for (const rec of records) {
          vars.set('NR', toNum(vars.get('NR')!) + 1);
          vars.set('FNR', toNum(vars.get('FNR')!) + 1);
          setRecord(rec);
          try {
            for (const r of mains) {
              let hit: boolean;
              if (r.pat2) {
                if (r.inRange) { hit = true; if (cond(r.pat2)) r.inRange = false; }
                else if (cond(r.pat!)) { hit = true; r.inRange = !cond(r.pat2); }
                else hit = false;
              } else hit = !r.pat || cond(r.pat);
              if (!hit) continue;
              if (r.body) for (const s of r.body) exec(s);
              else io.out(fields[0]! + toStr(vars.get('ORS')!));
            }
          } catch (e) {
            if (!(e instanceof Next)) throw e;
          }
        }
      }
    } catch (e) {
      if (!(e instanceof Exit)) throw e;
      exitCode = e.code;
    }
    try {
      for (const r of rules) if (r.kind === 'end') for (const s of r.body!) exec(s);
    } catch (e) {
      if (!(e instanceof Exit)) throw e;
      exitCode = e.code;
    }
  } catch (e) {
    if (e instanceof AwkError) { io.err(`awk: cmd. line:1: ${e.message}\n`); return 2; }
    if (e instanceof Brk || e instanceof Cont || e instanceof Next) return exitCode;
    throw e;
  }
  return exitCode;
}

// Parser for the emulated pod's shell: the part of POSIX sh that busybox ash
// scripts in the lab use (lists, && ||, pipelines, while/until/for/if, { },
// assignments, redirections). Words stay raw here; expansion happens when they run,
// because $(...) and $((...)) must see variables as they are at that moment.

export type Redir =
  | { fd: number; op: '>' | '>>' | '<'; target: string }
  | { fd: number; op: '>&'; toFd: number };

export type Node =
  | { t: 'simple'; assigns: { name: string; raw: string }[]; words: string[]; redirs: Redir[] }
  | { t: 'pipeline'; cmds: Node[]; negate: boolean }
  | { t: 'andor'; first: Node; rest: { op: '&&' | '||'; node: Node }[] }
  | { t: 'list'; items: Node[] }
  | { t: 'while'; until: boolean; cond: Node; body: Node; redirs: Redir[] }
  | { t: 'for'; name: string; words: string[] | undefined; body: Node; redirs: Redir[] }
  | { t: 'if'; clauses: { cond: Node; body: Node }[]; otherwise: Node | undefined; redirs: Redir[] }
  | { t: 'group'; body: Node; subshell: boolean; redirs: Redir[] };

type Tok = { k: 'word'; v: string } | { k: 'op'; v: string };

export class ShellSyntaxError extends Error {}

const OPS = ['&&', '||', ';;', '>>', '>&', '<&', ';', '&', '|', '(', ')', '<', '>', '\n'];

/** Finds where a $(...), ${...} or $((...)) that starts at `i` ends (index just past it). */
export function skipDollar(s: string, i: number): number {
  const open = s[i + 1];
  if (open === '{') return skipBalanced(s, i + 2, '{', '}');
  if (open === '(') return skipBalanced(s, i + 2, '(', ')');
  return i + 1;
}

function skipBalanced(s: string, i: number, open: string, close: string): number {
  let depth = 1;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\\') i += 2;
    else if (c === "'") i = s.indexOf("'", i + 1) < 0 ? s.length : s.indexOf("'", i + 1) + 1;
    else if (c === '"') i = skipDouble(s, i + 1);
    else if (c === '$' && (s[i + 1] === '(' || s[i + 1] === '{')) i = skipDollar(s, i);
    else {
      if (c === open) depth++;
      else if (c === close && --depth === 0) return i + 1;
      i++;
    }
  }
  throw new ShellSyntaxError(`syntax error: unterminated ${open === '{' ? '${' : '$('}`);
}

function skipDouble(s: string, i: number): number {
  while (i < s.length && s[i] !== '"') {
    if (s[i] === '\\') i += 2;
    else if (s[i] === '$' && (s[i + 1] === '(' || s[i + 1] === '{')) i = skipDollar(s, i);
    else i++;
  }
  if (i >= s.length) throw new ShellSyntaxError('syntax error: unterminated quoted string');
  return i + 1;
}

export function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t') { i++; continue; }
    if (c === '\\' && src[i + 1] === '\n') { i += 2; continue; }
    if (c === '#') { while (i < src.length && src[i] !== '\n') i++; continue; }
    // An fd number glued to a redirection (2>, 2>&1) belongs to the operator.
    const fd = /^(\d)(>>|>&|<&|>|<)/.exec(src.slice(i, i + 3));
    if (fd) { toks.push({ k: 'op', v: `${fd[1]}${fd[2]}` }); i += fd[0].length; continue; }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) { toks.push({ k: 'op', v: op }); i += op.length; continue; }
    const start = i;
    while (i < src.length && !' \t\n;&|()<>'.includes(src[i]!)) {
      const ch = src[i]!;
      if (ch === '\\') i += 2;
      else if (ch === "'") { const j = src.indexOf("'", i + 1); if (j < 0) throw new ShellSyntaxError('syntax error: unterminated quoted string'); i = j + 1; }
      else if (ch === '"') i = skipDouble(src, i + 1);
      else if (ch === '$' && (src[i + 1] === '(' || src[i + 1] === '{')) i = skipDollar(src, i);
      else i++;
    }
    toks.push({ k: 'word', v: src.slice(start, Math.min(i, src.length)) });
  }
  return toks;
}

const RESERVED = new Set(['then', 'do', 'done', 'fi', 'elif', 'else', '}', 'in']);

export function parse(src: string): Node {
  const toks = lex(src);
  let p = 0;
  const peek = (): Tok | undefined => toks[p];
  const isWord = (v: string): boolean => peek()?.k === 'word' && peek()!.v === v;
  const isOp = (v: string): boolean => peek()?.k === 'op' && peek()!.v === v;
  const skipNewlines = (): void => { while (isOp('\n') || isOp(';')) p++; };
  const expectWord = (v: string): void => {
    skipNewlines();
    if (!isWord(v)) throw new ShellSyntaxError(`syntax error: unexpected ${peek() ? `"${peek()!.v.replace('\n', 'newline')}"` : 'end of file'} (expecting "${v}")`);
    p++;
  };

  function list(stop: string[]): Node {
    const items: Node[] = [];
    for (;;) {
      while (isOp('\n') || isOp(';') || isOp('&')) p++;
      const t = peek();
      if (!t || (t.k === 'word' && stop.includes(t.v)) || (t.k === 'op' && t.v === ')')) break;
      items.push(andOr());
    }
    return { t: 'list', items };
  }

  function andOr(): Node {
    const first = pipeline();
    const rest: { op: '&&' | '||'; node: Node }[] = [];
    while (isOp('&&') || isOp('||')) {
      const op = toks[p++]!.v as '&&' | '||';
      while (isOp('\n')) p++;
      rest.push({ op, node: pipeline() });
    }
    return rest.length ? { t: 'andor', first, rest } : first;
  }

  function pipeline(): Node {
    let negate = false;
    if (isWord('!')) { negate = true; p++; }
    const cmds = [command()];
    while (isOp('|')) { p++; while (isOp('\n')) p++; cmds.push(command()); }
    return cmds.length === 1 && !negate ? cmds[0]! : { t: 'pipeline', cmds, negate };
  }

  function redirs(): Redir[] {
    const out: Redir[] = [];
    for (;;) {
      const t = peek();
      const m = t?.k === 'op' ? /^(\d?)(>>|>&|<&|>|<)$/.exec(t.v) : null;
      if (!m) return out;
      p++;
      const target = toks[p++];
      if (target?.k !== 'word') throw new ShellSyntaxError(`syntax error: unexpected ${target ? `"${target.v}"` : 'end of file'} after ${m[0]}`);
      const op = m[2]!;
      const fd = m[1] ? Number(m[1]) : op.startsWith('<') ? 0 : 1;
      if (op === '>&' || op === '<&') {
        if (!/^\d$/.test(target.v)) throw new ShellSyntaxError(`syntax error: bad fd "${target.v}"`);
        out.push({ fd, op: '>&', toFd: Number(target.v) });
      } else out.push({ fd, op: op as '>' | '>>' | '<', target: target.v });
    }
  }

  function command(): Node {
    const t = peek();
    if (!t) throw new ShellSyntaxError('syntax error: unexpected end of file');
    if (t.k === 'word' && (t.v === 'while' || t.v === 'until')) {
      p++;
      const cond = list(['do']);
      expectWord('do');
      const body = list(['done']);
      expectWord('done');
      return { t: 'while', until: t.v === 'until', cond, body, redirs: redirs() };
    }
    if (t.k === 'word' && t.v === 'for') {
      p++;
      const name = toks[p++];
      if (name?.k !== 'word' || !/^[A-Za-z_]\w*$/.test(name.v)) throw new ShellSyntaxError('syntax error: bad for loop variable');
      while (isOp('\n')) p++;
      let words: string[] | undefined;
      if (isWord('in')) {
        p++;
        words = [];
        while (peek()?.k === 'word') words.push(toks[p++]!.v);
      }
      expectWord('do');
      const body = list(['done']);
      expectWord('done');
      return { t: 'for', name: name.v, words, body, redirs: redirs() };
    }
    if (t.k === 'word' && t.v === 'if') {
      p++;
      const clauses: { cond: Node; body: Node }[] = [];
      let otherwise: Node | undefined;
      for (;;) {
        const cond = list(['then']);
        expectWord('then');
        const body = list(['elif', 'else', 'fi']);
        clauses.push({ cond, body });
        skipNewlines();
        if (isWord('elif')) { p++; continue; }
        if (isWord('else')) { p++; otherwise = list(['fi']); }
        expectWord('fi');
        break;
      }
      return { t: 'if', clauses, otherwise, redirs: redirs() };
    }
    if (t.k === 'word' && t.v === '{') {
      p++;
      const body = list(['}']);
      expectWord('}');
      return { t: 'group', body, subshell: false, redirs: redirs() };
    }
    if (t.k === 'op' && t.v === '(') {
      p++;
      const body = list([]);
      if (!isOp(')')) throw new ShellSyntaxError('syntax error: missing ")"');
      p++;
      return { t: 'group', body, subshell: true, redirs: redirs() };
    }
    if (t.k === 'word' && RESERVED.has(t.v)) throw new ShellSyntaxError(`syntax error: unexpected "${t.v}"`);
    const node: Extract<Node, { t: 'simple' }> = { t: 'simple', assigns: [], words: [], redirs: [] };
    for (;;) {
      const r = redirs();
      node.redirs.push(...r);
      const w = peek();
      if (w?.k !== 'word') break;
      const a = /^([A-Za-z_]\w*)=/.exec(w.v);
      if (a && node.words.length === 0) node.assigns.push({ name: a[1]!, raw: w.v.slice(a[0].length) });
      else node.words.push(w.v);
      p++;
    }
    if (!node.words.length && !node.assigns.length && !node.redirs.length) {
      throw new ShellSyntaxError(`syntax error: unexpected "${(peek()?.v ?? 'end of file').replace('\n', 'newline')}"`);
    }
    return node;
  }

  const root = list([]);
  if (p < toks.length) throw new ShellSyntaxError(`syntax error: unexpected "${toks[p]!.v.replace('\n', 'newline')}"`);
  return root;
}

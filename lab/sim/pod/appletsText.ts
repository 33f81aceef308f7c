// busybox's text and file-walking applets: sort, uniq, cut, sed, find, xargs
// (awk has its own file). Inputs are whole strings; outputs follow busybox 1.36.
import type { AppletIo } from './applets';
import type { Applet } from './appletsSystem';
import { posixRegExp } from './regexConvert';
import { Vfs } from './vfs';

/** Reads the named files (or stdin for none or '-'); busybox's "can't open" for missing ones. */
export function readInputs(name: string, files: string[], io: AppletIo): { text: string; code: number } {
  if (!files.length) return { text: io.stdin, code: 0 };
  let text = '';
  let code = 0;
  for (const f of files) {
    if (f === '-') { text += io.stdin; continue; }
    const n = io.env.fs.get(Vfs.norm(f, io.env.cwd));
    if (n?.kind === 'dir') { io.err(`${name}: read error: Is a directory\n`); code = 1; continue; }
    if (n?.kind !== 'file') { io.err(`${name}: can't open '${f}': No such file or directory\n`); code = 1; continue; }
    text += n.data;
  }
  return { text, code };
}

export const linesOf = (text: string): string[] => {
  const ls = text.split('\n');
  if (ls[ls.length - 1] === '') ls.pop();
  return ls;
};

/** Splits getopt-style: flags with values (per `valued`), bundled flags, operands. */
function options(args: string[], valued: string): { flags: Map<string, string[]>; operands: string[] } {
  const flags = new Map<string, string[]>();
  const operands: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k]!;
    if (a === '--') { operands.push(...args.slice(k + 1)); break; }
    if (!a.startsWith('-') || a === '-') { operands.push(a); continue; }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (valued.includes(c)) {
        const v = j + 1 < a.length ? a.slice(j + 1) : args[++k] ?? '';
        flags.set(c, [...(flags.get(c) ?? []), v]);
        break;
      }
      flags.set(c, [...(flags.get(c) ?? []), '']);
    }
  }
  return { flags, operands };
}

function sort(args: string[], io: AppletIo): number {
  const { flags, operands } = options(args, 'ktoT');
  const { text, code } = readInputs('sort', operands, io);
  const sep = flags.get('t')?.[0];
  const numeric = flags.has('n');
  const keys = (flags.get('k') ?? []).map((k) => { const [a, b] = k.split(','); return { from: parseInt(a ?? '1', 10), to: b ? parseInt(b, 10) : undefined, n: /n/.test(k) || numeric, r: /r/.test(k) }; });
  const fields = (l: string): string[] => (sep !== undefined ? l.split(sep) : l.trimStart().split(/\s+/));
  const keyOf = (l: string, k: { from: number; to: number | undefined }): string => fields(l).slice(k.from - 1, k.to ?? undefined).join(sep ?? ' ');
  const num = (s: string): number => { const m = /^\s*-?\d*\.?\d+/.exec(s); return m ? Number(m[0]) : 0; };
  const cmpStr = (a: string, b: string): number => { const x = flags.has('f') ? a.toUpperCase() : a; const y = flags.has('f') ? b.toUpperCase() : b; return x < y ? -1 : x > y ? 1 : 0; };
  const cmp = (a: string, b: string): number => {
    for (const k of keys) {
      const x = keyOf(a, k); const y = keyOf(b, k);
      const c = k.n ? num(x) - num(y) : cmpStr(x, y);
      if (c) return k.r ? -c : c;
    }
    if (!keys.length && numeric) { const c = num(a) - num(b); if (c) return c; }
    if (flags.has('s') && keys.length) return 0;
    // Last resort, as busybox: the whole lines byte by byte (-f folded first, then as they are).
    return cmpStr(a, b) || (a < b ? -1 : a > b ? 1 : 0);
  };
  let ls = linesOf(text).sort(cmp);
  if (flags.has('r')) ls.reverse();
  if (flags.has('u')) ls = ls.filter((l, k) => k === 0 || cmp(ls[k - 1]!, l) !== 0);
  io.out(ls.map((l) => `${l}\n`).join(''));
  return code;
}

function uniq(args: string[], io: AppletIo): number {
  const { flags, operands } = options(args, 'fsw');
  const { text, code } = readInputs('uniq', operands.slice(0, 1), io);
  const fold = flags.has('i');
  const groups: [string, number][] = [];
  for (const l of linesOf(text)) {
    const last = groups[groups.length - 1];
    if (last && (fold ? last[0].toLowerCase() === l.toLowerCase() : last[0] === l)) last[1]++;
    else groups.push([l, 1]);
  }
  for (const [l, n] of groups) {
    if (flags.has('d') && n < 2) continue;
    if (flags.has('u') && n > 1) continue;
    io.out(flags.has('c') ? `${String(n).padStart(7)} ${l}\n` : `${l}\n`);
  }
  return code;
}

/** cut's LIST: 1,3-5,7- (1-based, inclusive). */
function ranges(list: string): ((n: number) => boolean) | undefined {
  const parts = list.split(',').map((p) => /^(\d*)(-?)(\d*)$/.exec(p));
  if (parts.some((m) => !m || (!m[1] && !m[3]))) return undefined;
  return (n) => parts.some((m) => { const a = m![1] ? Number(m![1]) : 1; const b = m![2] ? (m![3] ? Number(m![3]) : Infinity) : a; return n >= a && n <= b; });
}

function cut(args: string[], io: AppletIo): number {
  const { flags, operands } = options(args, 'dfcb');
  const list = flags.get('f')?.[0] ?? flags.get('c')?.[0] ?? flags.get('b')?.[0];
  if (list === undefined) { io.err('cut: expected a list of bytes, characters, or fields\n'); return 1; }
  const pick = ranges(list);
  if (!pick) { io.err(`cut: invalid byte or field list '${list}'\n`); return 1; }
  const delim = flags.get('d')?.[0] ?? '\t';
  if (flags.has('f') && delim.length !== 1) { io.err('cut: the delimiter must be a single character\n'); return 1; }
  const { text, code } = readInputs('cut', operands, io);
  for (const l of linesOf(text)) {
    if (flags.has('f')) {
      if (!l.includes(delim)) { if (!flags.has('s')) io.out(`${l}\n`); continue; }
      io.out(`${l.split(delim).filter((_f, k) => pick(k + 1)).join(delim)}\n`);
    } else io.out(`${[...l].filter((_c, k) => pick(k + 1)).join('')}\n`);
  }
  return code;
}

// ---- sed ----

type SedAddr = { kind: 'line'; n: number } | { kind: 'last' } | { kind: 're'; re: RegExp };
interface SedCmd { a1?: SedAddr; a2?: SedAddr; neg: boolean; name: string; re?: RegExp; rep?: string; global?: boolean; nth?: number; print?: boolean; text?: string; inRange?: boolean }

function parseSed(script: string, extended: boolean): SedCmd[] {
  const cmds: SedCmd[] = [];
  let i = 0;
  const delimited = (d: string): string => {
    let s = '';
    while (i < script.length && script[i] !== d) {
      if (script[i] === '\\' && script[i + 1] === d) { s += d; i += 2; continue; }
      if (script[i] === '\\' && i + 1 < script.length) { s += script[i]! + script[i + 1]!; i += 2; continue; }
      if (script[i] === '\n') throw new Error(`unmatched '${script[0] === 's' ? 's' : d}'`);
      s += script[i++]!;
    }
    if (i >= script.length) throw new Error(`unmatched '${d}'`);
    i++;
    return s;
  };
  const addr = (): SedAddr | undefined => {
    const m = /^\d+/.exec(script.slice(i));
    if (m) { i += m[0].length; return { kind: 'line', n: Number(m[0]) }; }
    if (script[i] === '$') { i++; return { kind: 'last' }; }
    if (script[i] === '/' || script[i] === '\\') {
      const d = script[i] === '\\' ? script[++i]! : '/';
      i++;
      return { kind: 're', re: posixRegExp(delimited(d), extended) };
    }
    return undefined;
  };
  while (i < script.length) {
    while (i < script.length && /[\s;]/.test(script[i]!)) i++;
    if (i >= script.length) break;
    const c: SedCmd = { neg: false, name: '' };
    c.a1 = addr();
    if (c.a1 && script[i] === ',') { i++; c.a2 = addr(); if (!c.a2) throw new Error('unexpected \',\''); }
    while (script[i] === ' ') i++;
    if (script[i] === '!') { c.neg = true; i++; while (script[i] === ' ') i++; }
    const name = script[i++];
    if (!name) throw new Error('missing command');
    c.name = name;
    if (name === 's' || name === 'y') {
      const d = script[i++]!;
      const pat = delimited(d);
      c.rep = delimited(d);
      if (name === 'y') { c.text = pat; }
      else {
        let flags = '';
        while (i < script.length && /[gpI0-9]/.test(script[i]!)) flags += script[i++]!;
        c.global = flags.includes('g');
        c.print = flags.includes('p');
        const nth = /\d+/.exec(flags);
        if (nth) c.nth = Number(nth[0]);
        c.re = posixRegExp(pat, extended, `g${flags.includes('I') ? 'i' : ''}`);
      }
    } else if ('aic'.includes(name)) {
      let t = '';
      if (script[i] === '\\') { i++; if (script[i] === '\n') i++; }
      while (script[i] === ' ') i++;
      while (i < script.length && script[i] !== '\n') t += script[i++]!;
      c.text = t;
    } else if (!'pdqQ=nNhHgGxlP'.includes(name)) throw new Error(`unsupported command ${name}`);
    cmds.push(c);
    while (i < script.length && script[i] === ' ') i++;
    if (i < script.length && !/[;\n}]/.test(script[i]!)) throw new Error(`extra characters after command`);
  }
  return cmds;
}

/** Expands & and \1…\9 (and \n) in a replacement. */
function sedReplacement(rep: string, m: RegExpExecArray): string {
  return rep.replace(/\\([0-9n&\\])|&/g, (all, g: string | undefined) => {
    if (all === '&') return m[0];
    if (g === 'n') return '\n';
    if (g === '&' || g === '\\') return g;
    return m[Number(g)] ?? '';
  });
}

function sed(args: string[], io: AppletIo): number {
  const { flags, operands } = options(args, 'ef');
  const extended = flags.has('E') || flags.has('r');
  const scripts = flags.get('e') ?? [];
  const files = [...operands];
  if (!scripts.length) { const s = files.shift(); if (s === undefined) { io.err('Usage: sed [-i[SFX]] [-nrE] [-f FILE]... [-e CMD]... [FILE]...\n'); return 1; } scripts.push(s); }
  let cmds: SedCmd[];
  try {
    cmds = parseSed(scripts.join('\n'), extended);
  } catch (err) {
    io.err(`sed: ${(err as Error).message}\n`);
    return 1;
  }
  const quiet = flags.has('n');
  const run = (text: string, out: (s: string) => void): boolean => {
    const lines = linesOf(text);
    let quit = false;
    for (let n = 0; n < lines.length && !quit; n++) {
      let line = lines[n]!;
      const isLast = n === lines.length - 1;
      const matches = (a: SedAddr): boolean => (a.kind === 'line' ? a.n === n + 1 : a.kind === 'last' ? isLast : a.re.test(line));
      let deleted = false;
      const after: string[] = [];
      for (const c of cmds) {
        let hit: boolean;
        if (!c.a1) hit = true;
        else if (!c.a2) hit = matches(c.a1);
        else if (c.inRange) {
          hit = true;
          if (c.a2.kind === 'line' ? n + 1 >= c.a2.n : matches(c.a2)) c.inRange = false;
        } else if (matches(c.a1)) {
          hit = true;
          c.inRange = !(c.a2.kind === 'line' && c.a2.n <= n + 1);
        } else hit = false;
        if (hit === c.neg) continue;
        if (c.name === 's') {
          const re = c.re!;
          re.lastIndex = 0;
          let count = 0;
          let changed = false;
          line = line.replace(re, (...m) => {
            count++;
            if ((c.nth && count !== c.nth) || (!c.global && !c.nth && count > 1) || (c.nth && !c.global && count > c.nth)) return m[0] as string;
            changed = true;
            const groups = m.slice(0, -2) as string[];
            return sedReplacement(c.rep!, Object.assign(groups, { index: 0, input: line }) as unknown as RegExpExecArray);
          });
          if (changed && c.print) out(`${line}\n`);
        } else if (c.name === 'p') out(`${line}\n`);
        else if (c.name === 'd') { deleted = true; break; }
        else if (c.name === '=') out(`${n + 1}\n`);
        else if (c.name === 'q') { quit = true; break; }
        else if (c.name === 'Q') { quit = true; deleted = true; break; }
        else if (c.name === 'a') after.push(c.text!);
        else if (c.name === 'i') out(`${c.text}\n`);
        else if (c.name === 'c') { if (!c.a2 || !c.inRange) out(`${c.text}\n`); deleted = true; break; }
        else if (c.name === 'y') { const from = [...c.text!]; const to = [...c.rep!]; line = [...line].map((ch) => { const k = from.indexOf(ch); return k >= 0 ? to[k] ?? ch : ch; }).join(''); }
      }
      if (!deleted && !quiet) out(`${line}\n`);
      for (const a of after) out(`${a}\n`);
    }
    return quit;
  };
  if (flags.has('i')) {
    let code = 0;
    for (const f of files) {
      const p = Vfs.norm(f, io.env.cwd);
      const n = io.env.fs.get(p);
      if (n?.kind !== 'file') { io.err(`sed: can't open '${f}': No such file or directory\n`); code = 1; continue; }
      let buf = '';
      for (const c of cmds) c.inRange = false;
      run(n.data, (s) => { buf += s; });
      io.env.fs.write(p, buf);
    }
    return code;
  }
  const { text, code } = readInputs('sed', files, io);
  run(text, io.out);
  return code;
}

// ---- find ----

function globToRe(glob: string, flags = ''): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') { const j = glob.indexOf(']', i + 2); if (j < 0) re += '\\['; else { re += `[${glob.slice(i + 1, j).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`; i = j; } }
    else if (c === '\\' && i + 1 < glob.length) re += `\\${glob[++i]}`;
    else re += /[.+^${}()|\\/]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`^${re}$`, flags);
}

type FindTest = (path: string, label: string, depth: number) => boolean | Promise<boolean>;

async function find(args: string[], io: AppletIo): Promise<number> {
  const { fs } = io.env;
  let k = 0;
  const roots: string[] = [];
  while (k < args.length && !args[k]!.startsWith('-') && args[k] !== '!' && args[k] !== '(') roots.push(args[k++]!);
  if (!roots.length) roots.push('.');
  let maxDepth = Infinity;
  let minDepth = 0;
  let printed = false;
  const tests: FindTest[] = [];
  let negate = false;
  const add = (t: FindTest): void => { const neg = negate; negate = false; tests.push(neg ? async (...a) => !(await t(...a)) : t); };
  for (; k < args.length; k++) {
    const a = args[k]!;
    const val = (): string => { const v = args[++k]; if (v === undefined) throw new Error(`find: ${a} requires an argument`); return v; };
    try {
      switch (a) {
        case '!': case '-not': negate = !negate; break;
        case '-a': case '-and': break;
        case '-name': case '-iname': { const re = globToRe(val(), a === '-iname' ? 'i' : ''); add((_p, label) => re.test(label.split('/').pop() || label)); break; }
        case '-path': case '-ipath': { const re = globToRe(val(), a === '-ipath' ? 'i' : ''); add((_p, label) => re.test(label)); break; }
        case '-type': { const t = val(); add((p) => { const n = fs.get(p); return t === 'd' ? n?.kind === 'dir' : t === 'l' ? n?.link !== undefined : t === 'f' ? n?.kind === 'file' && n.link === undefined : false; }); break; }
        case '-maxdepth': maxDepth = Number(val()); break;
        case '-mindepth': minDepth = Number(val()); break;
        case '-empty': add((p) => { const n = fs.get(p); return n?.kind === 'dir' ? fs.list(p).length === 0 : n?.data === ''; }); break;
        case '-print': printed = true; add((_p, label) => { io.out(`${label}\n`); return true; }); break;
        case '-exec': {
          const cmd: string[] = [];
          while (k + 1 < args.length && args[k + 1] !== ';' && args[k + 1] !== '+') cmd.push(args[++k]!);
          if (k + 1 >= args.length) throw new Error("find: -exec CMD must end by ';' or '+'");
          k++;
          printed = true;
          add(async (_p, label) => (await io.run!(cmd.map((c) => c.replace(/\{\}/g, label)))) === 0);
          break;
        }
        default: throw new Error(`find: unrecognized: ${a}`);
      }
    } catch (err) {
      io.err(`${(err as Error).message}\n`);
      return 1;
    }
  }
  let code = 0;
  const walk = async (path: string, label: string, depth: number): Promise<void> => {
    if (depth >= minDepth) {
      let ok = true;
      for (const t of tests) if (!(await t(path, label, depth))) { ok = false; break; }
      if (ok && !printed) io.out(`${label}\n`);
    }
    const n = fs.get(path);
    if (n?.kind === 'dir' && depth < maxDepth) for (const c of fs.list(path)) await walk(`${path === '/' ? '' : path}/${c}`, `${label.replace(/\/$/, '')}/${c}`, depth + 1);
  };
  for (const r of roots) {
    const p = Vfs.norm(r, io.env.cwd);
    if (!fs.get(p)) { io.err(`find: ${r}: No such file or directory\n`); code = 1; continue; }
    await walk(p, r, 0);
  }
  return code;
}

// ---- xargs ----

/** xargs' input words: blanks separate, quotes and backslashes group (or NUL-separated with -0). */
function xargsWords(text: string, nul: boolean): string[] | { error: string } {
  if (nul) return text.split('\0').filter(Boolean);
  const words: string[] = [];
  let cur: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const j = text.indexOf(c, i + 1);
      if (j < 0) return { error: `xargs: unmatched ${c === "'" ? 'single' : 'double'} quote` };
      cur = (cur ?? '') + text.slice(i + 1, j);
      i = j;
    } else if (c === '\\' && i + 1 < text.length) cur = (cur ?? '') + text[++i]!;
    else if (/\s/.test(c)) { if (cur !== undefined) words.push(cur); cur = undefined; }
    else cur = (cur ?? '') + c;
  }
  if (cur !== undefined) words.push(cur);
  return words;
}

async function xargs(args: string[], io: AppletIo): Promise<number> {
  let k = 0;
  let max = Infinity;
  let replace: string | undefined;
  let trace = false;
  let nul = false;
  let noEmpty = false;
  for (; k < args.length && args[k]!.startsWith('-'); k++) {
    const a = args[k]!;
    if (a === '-n') max = Number(args[++k]);
    else if (/^-n\d+$/.test(a)) max = Number(a.slice(2));
    else if (a === '-I') replace = args[++k];
    else if (a.startsWith('-I')) replace = a.slice(2);
    else if (a === '-t') trace = true;
    else if (a === '-0') nul = true;
    else if (a === '-r') noEmpty = true;
    else { io.err(`xargs: invalid option -- '${a.slice(1)}'\n`); return 1; }
  }
  const cmd = args.slice(k).length ? args.slice(k) : ['echo'];
  const words = replace !== undefined ? linesOf(io.stdin) : xargsWords(io.stdin, nul);
  if ('error' in words) { io.err(`${words.error}\n`); return 1; }
  const batches: string[][] = [];
  if (replace !== undefined) for (const w of words) batches.push(cmd.map((c) => c.split(replace!).join(w)));
  else if (!words.length) { if (!noEmpty) batches.push(cmd); }
  else for (let j = 0; j < words.length; j += Number.isFinite(max) ? max : words.length) batches.push([...cmd, ...words.slice(j, j + (Number.isFinite(max) ? max : words.length))]);
  let code = 0;
  for (const b of batches) {
    if (trace) io.err(`${b.join(' ')}\n`);
    const c = await io.run!(b);
    if (c === 127) { io.err(`xargs: ${b[0]}: No such file or directory\n`); return 127; }
    if (c !== 0) code = 123;
  }
  return code;
}

export const TEXT_APPLETS: Record<string, Applet> = { sort, uniq, cut, sed, find, xargs };

// A small busybox-ash-like shell: ; && || | quoting $VAR > 2>&1, and the applets the guide uses.
import { createHash } from 'node:crypto';
import type { ProcessTable } from './processTable';
import { Vfs } from './vfs';

export interface ShellEnv { fs: Vfs; procs: ProcessTable; cwd: string; vars: Record<string, string>; hostname: string }
interface Out { out: string; err: string; code: number }

export function tokenize(line: string, vars: Record<string, string>): string[] {
  const toks: string[] = [];
  let cur = '';
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") { const j = line.indexOf("'", i + 1); cur += line.slice(i + 1, j < 0 ? undefined : j); i = j < 0 ? line.length : j; has = true; }
    else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length) { cur += line[++j]; continue; }
        if (line[j] === '$') { const m = /^\$(\w+|\{\w+\}|\?)/.exec(line.slice(j)); if (m) { cur += vars[m[1]!.replace(/[{}]/g, '')] ?? ''; j += m[0].length - 1; continue; } }
        cur += line[j];
      }
      i = j; has = true;
    } else if (c === '\\') { cur += line[++i] ?? ''; has = true; }
    else if (c === '$' && /^\$(\w+|\{\w+\}|\?)/.test(line.slice(i))) { const m = /^\$(\w+|\{\w+\}|\?)/.exec(line.slice(i))!; cur += vars[m[1]!.replace(/[{}]/g, '')] ?? ''; i += m[0].length - 1; has = true; }
    else if (/\s/.test(c)) { if (has) toks.push(cur); cur = ''; has = false; }
    else if ('|&;'.includes(c)) {
      if (has) toks.push(cur); cur = ''; has = false;
      const two = line.slice(i, i + 2);
      if (two === '&&' || two === '||') { toks.push(`\u0000${two}`); i++; } else toks.push(`\u0000${c}`);
    } else { cur += c; has = true; }
  }
  if (has) toks.push(cur);
  return toks;
}

export function runScript(script: string, env: ShellEnv): Out {
  const toks = tokenize(script, env.vars);
  const res: Out = { out: '', err: '', code: 0 };
  let i = 0;
  let skip = false;
  while (i < toks.length) {
    const pipeline: string[][] = [[]];
    while (i < toks.length && !['\u0000;', '\u0000&&', '\u0000||'].includes(toks[i]!)) {
      if (toks[i] === '\u0000|') pipeline.push([]); else pipeline[pipeline.length - 1]!.push(toks[i]!);
      i++;
    }
    const op = toks[i++];
    if (!skip) {
      let input = '';
      for (const cmd of pipeline) {
        const r = runCommand(cmd, input, env);
        res.err += r.err; input = r.out; res.code = r.code;
      }
      res.out += input;
      env.vars['?'] = String(res.code);
    }
    skip = (op === '\u0000&&' && res.code !== 0) || (op === '\u0000||' && res.code === 0) ? true : op === '\u0000;' ? false : skip && op !== '\u0000;';
    if (op === '\u0000&&' && res.code === 0) skip = false;
    if (op === '\u0000||' && res.code !== 0) skip = false;
  }
  return res;
}

function runCommand(argv: string[], input: string, env: ShellEnv): Out {
  let redirect: { path: string; append: boolean } | undefined;
  let errToOut = false;
  const args: string[] = [];
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    if (a === '2>&1') errToOut = true;
    else if (a === '>' || a === '>>') { redirect = { path: argv[++k] ?? '', append: a === '>>' }; }
    else if (a.startsWith('>')) redirect = { path: a.replace(/^>>?/, ''), append: a.startsWith('>>') };
    else args.push(a);
  }
  if (args.length === 0) return { out: input, err: '', code: 0 };
  const proc = env.procs.spawn(args, 1);
  let r: Out;
  try { r = applet(args, input, env); } finally { env.procs.exit(proc.pid); }
  if (errToOut) r = { out: r.out + r.err, err: '', code: r.code };
  if (redirect) { env.fs.write(Vfs.norm(redirect.path, env.cwd), r.out, redirect.append); r = { ...r, out: '' }; }
  return r;
}

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function lsDate(d: Date): string {
  return `${MON[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}
function modeStr(kind: string, mode: number): string {
  let s = kind === 'dir' ? 'd' : '-';
  for (let b = 8; b >= 0; b--) s += (mode >> b) & 1 ? 'rwx'[(8 - b) % 3] : '-';
  return s;
}

function applet(args: string[], input: string, env: ShellEnv): Out {
  const [name0, ...rest] = args;
  const name = name0!.split('/').pop()!;
  const ok = (out: string): Out => ({ out, err: '', code: 0 });
  const read = (p: string): string | undefined => { const n = env.fs.get(Vfs.norm(p, env.cwd)); return n?.kind === 'file' ? n.data : undefined; };
  switch (name) {
    case 'echo': return ok(`${rest.join(' ')}\n`);
    case 'true': return ok('');
    case 'false': return { out: '', err: '', code: 1 };
    case 'pwd': return ok(`${env.cwd}\n`);
    case 'hostname': return ok(`${env.hostname}\n`);
    case 'sleep': return ok('');
    case 'cat': {
      if (rest.length === 0) return ok(input);
      let out = ''; let err = '';
      for (const f of rest) { const d = read(f); if (d === undefined) err += `cat: can't open '${f}': No such file or directory\n`; else out += d; }
      return { out, err, code: err ? 1 : 0 };
    }
    case 'head': case 'tail': {
      let n = 10; const files: string[] = [];
      for (let k = 0; k < rest.length; k++) { const a = rest[k]!; if (a === '-n') n = Number(rest[++k]); else if (/^-\d+$/.test(a)) n = Number(a.slice(1)); else files.push(a); }
      const text = files.length ? read(files[0]!) : input;
      if (text === undefined) return { out: '', err: `${name}: can't open '${files[0]}': No such file or directory\n`, code: 1 };
      const lines = text.split('\n'); if (lines[lines.length - 1] === '') lines.pop();
      const sel = name === 'head' ? lines.slice(0, n) : lines.slice(Math.max(0, lines.length - n));
      return ok(sel.map((l) => `${l}\n`).join(''));
    }
    case 'ps': {
      let out = 'PID   USER     TIME  COMMAND\n';
      for (const p of env.procs.procs.values()) out += `${String(p.pid).padStart(5)} ${p.user.padEnd(8)} ${' 0:00'} ${p.argv.join(' ')}\n`;
      return ok(out);
    }
    case 'grep': case 'egrep': return grep(name === 'egrep', rest, input, env);
    case 'ls': {
      const flags = rest.filter((a) => a.startsWith('-')).join('');
      const paths = rest.filter((a) => !a.startsWith('-'));
      let out = ''; let err = '';
      const line = (p: string, label: string): string => { const n = env.fs.get(p)!; return `${modeStr(n.kind, n.mode)}    1 root     root    ${String(n.data.length).padStart(9)} ${lsDate(n.mtime)} ${label}\n`; };
      for (const raw of paths.length ? paths : ['.']) {
        const p = Vfs.norm(raw, env.cwd); const n = env.fs.get(p);
        if (!n) { err += `ls: ${raw}: No such file or directory\n`; continue; }
        if (n.kind === 'file') { out += flags.includes('l') ? line(p, raw) : `${raw}\n`; continue; }
        const names = [...(flags.includes('a') ? ['.', '..'] : []), ...env.fs.list(p).filter((x) => flags.includes('a') || !x.startsWith('.'))];
        if (flags.includes('l')) { out += `total 0\n`; for (const x of names) out += line(x === '.' ? p : x === '..' ? Vfs.norm(`${p}/..`) : `${p === '/' ? '' : p}/${x}`, x); }
        else out += names.map((x) => `${x}\n`).join('');
      }
      return { out, err, code: err ? 1 : 0 };
    }
    case 'sha256sum': case 'md5sum': {
      let out = ''; let err = '';
      for (const f of rest) { const d = read(f); if (d === undefined) err += `${name}: can't open '${f}': No such file or directory\n`; else out += `${createHash(name === 'md5sum' ? 'md5' : 'sha256').update(d).digest('hex')}  ${f}\n`; }
      return { out, err, code: err ? 1 : 0 };
    }
    case 'test': case '[': {
      const a = name === '[' ? rest.slice(0, -1) : rest;
      const n = a[1] !== undefined ? env.fs.get(Vfs.norm(a[1], env.cwd)) : undefined;
      const r = a[0] === '-f' ? n?.kind === 'file' : a[0] === '-d' ? n?.kind === 'dir' : a[0] === '-e' ? !!n : a[0] === '-s' ? !!n && n.data.length > 0 : a[1] === '=' ? a[0] === a[2] : a[1] === '!=' ? a[0] !== a[2] : a[0] === '-n' ? !!a[1] : a[0] === '-z' ? !a[1] : !!a[0];
      return { out: '', err: '', code: r ? 0 : 1 };
    }
    case 'wc': { const t = rest.length && !rest[rest.length - 1]!.startsWith('-') ? read(rest[rest.length - 1]!) ?? '' : input; return ok(rest.includes('-l') ? `${t.split('\n').length - 1}\n` : `${t.split('\n').length - 1} ${t.split(/\s+/).filter(Boolean).length} ${t.length}\n`); }
    case 'sh': { const k = rest.indexOf('-c'); return k >= 0 ? runScript(rest[k + 1] ?? '', env) : ok(''); }
    case 'cd': { const p = Vfs.norm(rest[0] ?? '/', env.cwd); if (env.fs.get(p)?.kind !== 'dir') return { out: '', err: `sh: cd: can't cd to ${rest[0]}: No such file or directory\n`, code: 2 }; env.cwd = p; return ok(''); }
    case 'env': return ok(Object.entries(env.vars).filter(([k]) => k !== '?').map(([k, v]) => `${k}=${v}\n`).join(''));
    case 'id': return ok('uid=0(root) gid=0(root) groups=0(root)\n');
    default: return { out: '', err: `sh: ${name0}: not found\n`, code: 127 };
  }
}

function grep(extended: boolean, args: string[], input: string, env: ShellEnv): Out {
  const flags = new Set<string>(); const rest: string[] = [];
  for (const a of args) { if (/^-[A-Za-z]+$/.test(a)) for (const c of a.slice(1)) flags.add(c); else rest.push(a); }
  const pat = rest.shift() ?? '';
  const re = new RegExp(extended || flags.has('E') ? pat : pat.replace(/\\\|/g, '|'), flags.has('i') ? 'i' : '');
  const sources: [string | undefined, string][] = [];
  const recurse = (p: string): void => { const n = env.fs.get(p); if (n?.kind === 'file') sources.push([p, n.data]); else if (n?.kind === 'dir') for (const x of env.fs.list(p)) recurse(`${p === '/' ? '' : p}/${x}`); };
  let err = '';
  if (rest.length === 0) sources.push([undefined, input]);
  for (const f of rest) { const p = Vfs.norm(f, env.cwd); if (!env.fs.get(p)) err += `grep: ${f}: No such file or directory\n`; else if (flags.has('R') || flags.has('r')) { const before = sources.length; recurse(p); for (let k = before; k < sources.length; k++) if (sources[k]![0] === p) sources[k]![0] = f; } else sources.push([f, env.fs.get(p)!.data]); }
  const multi = sources.length > 1 || ((flags.has('R') || flags.has('r')) && env.fs.get(Vfs.norm(rest[0] ?? '.', env.cwd))?.kind === 'dir');
  let out = ''; let matched = 0;
  for (const [file, text] of sources) {
    const lines = text.split('\n'); if (lines[lines.length - 1] === '') lines.pop();
    let count = 0;
    lines.forEach((l, idx) => {
      if (re.test(l) === flags.has('v')) return;
      count++; matched++;
      if (!flags.has('c') && !flags.has('q')) out += `${multi && file ? `${file}:` : ''}${flags.has('n') ? `${idx + 1}:` : ''}${l}\n`;
    });
    if (flags.has('c')) out += `${multi && file ? `${file}:` : ''}${count}\n`;
  }
  if (flags.has('q')) out = '';
  return { out, err, code: err && !matched ? 2 : matched ? 0 : 1 };
}

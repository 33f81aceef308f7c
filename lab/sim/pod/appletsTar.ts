// busybox tar over the pod's file system, with tar-stream writing and reading
// the ustar archives: create (c), extract (x), list (t), to or from a file or
// stdin/stdout (f -), in a folder (-C), gzip (z). `kubectl cp` runs
// `tar cf - PATH` in the pod to copy out and `tar -xmf - -C DIR` to copy in.
// File data is text in the emulated file system: archives carry it as UTF-8.
import { gunzipSync, gzipSync } from 'node:zlib';
import * as tarStream from 'tar-stream';
import type { AppletIo } from './applets';
import { sizeOf, Vfs } from './vfs';

/** A binary bigger than this is not kept in the emulated file system, so tar cannot read it. */
const MAX_SYNTHETIC = 64 * 1024 * 1024;

interface TarOpts { mode?: 'c' | 'x' | 't'; file?: string; dir?: string; verbose: boolean; gzip: boolean; toStdout: boolean; operands: string[] }

function parseTarArgs(args: string[]): TarOpts | { error: string } {
  const o: TarOpts = { verbose: false, gzip: false, toStdout: false, operands: [] };
  const rest = [...args];
  // The first word may be old-style bundled letters without a dash: `tar cf - x`.
  if (rest[0] && !rest[0].startsWith('-')) rest[0] = `-${rest[0]}`;
  for (let k = 0; k < rest.length; k++) {
    const a = rest[k]!;
    if (a.startsWith('--')) {
      // GNU long options kubectl and people pass; busybox knows these few.
      if (['--no-same-owner', '--no-same-permissions', '--same-owner', '--numeric-owner', '--overwrite'].includes(a)) continue;
      if (a.startsWith('--exclude')) { if (!a.includes('=')) k++; continue; }
      return { error: `tar: unrecognized option '${a}'` };
    }
    if (!a.startsWith('-') || a === '-') { o.operands.push(a); continue; }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (c === 'c' || c === 'x' || c === 't') {
        if (o.mode && o.mode !== c) return { error: "tar: only one of 'c', 'x' or 't' may be given" };
        o.mode = c;
      } else if (c === 'f' || c === 'C') {
        const v = j + 1 < a.length ? a.slice(j + 1) : rest[++k];
        if (v === undefined) return { error: `tar: option requires an argument -- '${c}'` };
        if (c === 'f') o.file = v; else o.dir = v;
        break;
      } else if (c === 'v') o.verbose = true;
      else if (c === 'z') o.gzip = true;
      else if (c === 'O') o.toStdout = true;
      else if (!'mophP'.includes(c)) return { error: `tar: invalid option -- '${c}'` };
    }
  }
  if (!o.mode) return { error: 'tar: need at least one of -c, -x or -t' };
  return o;
}

const two = (n: number): string => String(n).padStart(2, '0');
function verboseLine(h: { name: string; size: number; mode: number; mtime: Date; type: string }): string {
  const t = h.mtime;
  const kind = h.type === 'directory' ? 'd' : h.type === 'symlink' ? 'l' : '-';
  let perms = '';
  for (let b = 8; b >= 0; b--) perms += (h.mode >> b) & 1 ? 'rwx'[(8 - b) % 3] : '-';
  return `${kind}${perms} root/root ${String(h.size).padStart(9)} ${t.getUTCFullYear()}-${two(t.getUTCMonth() + 1)}-${two(t.getUTCDate())} ${two(t.getUTCHours())}:${two(t.getUTCMinutes())}:${two(t.getUTCSeconds())} ${h.name}`;
}

async function create(o: TarOpts, io: AppletIo): Promise<number> {
  const { fs } = io.env;
  const base = Vfs.norm(o.dir ?? '.', io.env.cwd);
  if (o.dir && fs.get(base)?.kind !== 'dir') { io.err(`tar: can't change directory to '${o.dir}': No such file or directory\n`); return 1; }
  if (!o.operands.length) { io.err('tar: empty archive\n'); return 1; }
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const ended = new Promise<void>((resolve, reject) => { pack.on('end', resolve); pack.on('error', reject); });
  const names: string[] = [];
  let code = 0;
  let warned = false;
  const add = (path: string, name: string): void => {
    const n = fs.get(path)!;
    const header = { name, mode: n.mode & 0o7777, mtime: n.mtime, uid: 0, gid: 0, uname: 'root', gname: 'root' };
    if (n.kind === 'dir') {
      pack.entry({ ...header, name: `${name.replace(/\/$/, '')}/`, type: 'directory' });
      names.push(`${name.replace(/\/$/, '')}/`);
      for (const c of fs.list(path)) add(`${path === '/' ? '' : path}/${c}`, `${name.replace(/\/$/, '')}/${c}`);
    } else if (n.link !== undefined) {
      pack.entry({ ...header, type: 'symlink', linkname: n.link });
      names.push(name);
    } else {
      const size = sizeOf(n);
      if (size > MAX_SYNTHETIC) { io.err(`tar: ${name}: the embedded lab keeps no copy of this ${size}-byte binary; skipped\n`); code = 1; return; }
      const data = Buffer.alloc(size);
      Buffer.from(n.data).copy(data);
      pack.entry({ ...header, type: 'file', size }, data);
      names.push(name);
    }
  };
  for (const op of o.operands) {
    const p = Vfs.norm(op, base);
    if (!fs.get(p)) { io.err(`tar: ${op}: No such file or directory\n`); code = 1; continue; }
    let name = op.replace(/^\.\//, '');
    if (name.startsWith('/')) {
      if (!warned) io.err("tar: removing leading '/' from member names\n");
      warned = true;
      name = name.replace(/^\/+/, '');
    }
    add(p, name || '.');
  }
  pack.finalize();
  await ended;
  let archive = Buffer.concat(chunks);
  if (o.gzip) archive = gzipSync(archive);
  if (o.verbose) (o.file === undefined || o.file === '-' ? io.err : io.out)(names.map((n) => `${n}\n`).join(''));
  if (o.file === undefined || o.file === '-') io.outBytes ? io.outBytes(archive) : io.out(archive.toString('utf8'));
  else {
    try { fs.write(Vfs.norm(o.file, io.env.cwd), archive.toString('utf8')); } catch (err) { io.err(`tar: ${(err as Error).message}\n`); return 1; }
  }
  return code;
}

async function readArchive(o: TarOpts, io: AppletIo, each: (h: tarStream.Header, data: Buffer) => void): Promise<number> {
  let input: Buffer;
  if (o.file === undefined || o.file === '-') input = Buffer.from(io.stdin, 'utf8');
  else {
    const n = io.env.fs.get(Vfs.norm(o.file, io.env.cwd));
    if (n?.kind !== 'file') { io.err(`tar: can't open '${o.file}': No such file or directory\n`); return 1; }
    input = Buffer.from(n.data, 'utf8');
  }
  if (o.gzip || (input[0] === 0x1f && input[1] === 0x8b)) {
    try { input = gunzipSync(input); } catch { io.err('tar: invalid gzip magic\n'); return 1; }
  }
  if (input.length === 0) { io.err('tar: short read\n'); return 1; }
  const ex = tarStream.extract();
  const done = new Promise<number>((resolve) => {
    ex.on('entry', (h, stream, next) => {
      const parts: Buffer[] = [];
      stream.on('data', (c: unknown) => parts.push(c as Buffer));
      stream.on('end', () => { each(h, Buffer.concat(parts)); next(); });
    });
    ex.on('finish', () => resolve(0));
    ex.on('error', (err: Error) => { io.err(`tar: ${/header|checksum/i.test(err.message) ? 'invalid tar magic' : err.message}\n`); resolve(1); });
  });
  ex.end(input);
  return done;
}

export async function tar(args: string[], io: AppletIo): Promise<number> {
  const o = parseTarArgs(args);
  if ('error' in o) { io.err(`${o.error}\n`); return 1; }
  if (o.mode === 'c') return create(o, io);
  const { fs } = io.env;
  const base = Vfs.norm(o.dir ?? '.', io.env.cwd);
  if (o.mode === 'x' && fs.get(base)?.kind !== 'dir') { io.err(`tar: can't change directory to '${o.dir}': No such file or directory\n`); return 1; }
  let code = 0;
  const r = await readArchive(o, io, (h, data) => {
    const wanted = !o.operands.length || o.operands.some((op) => h.name === op || h.name.startsWith(`${op.replace(/\/$/, '')}/`));
    if (!wanted) return;
    if (o.mode === 't') { io.out(`${o.verbose ? verboseLine(h) : h.name}\n`); return; }
    if (o.verbose) io.out(`${h.name}\n`);
    if (o.toStdout) { if (h.type === 'file') io.out(data.toString('utf8')); return; }
    const path = Vfs.norm(h.name, base);
    // Parents first (an archive may omit them), as tar's mkdir -p does.
    const parts = path.split('/').filter(Boolean);
    for (let k = 1; k < parts.length; k++) fs.mkdir(`/${parts.slice(0, k).join('/')}`);
    if (h.type === 'directory') { fs.mkdir(path); return; }
    if (h.type === 'symlink') { fs.symlink(path, h.linkname); return; }
    if (fs.get(path)?.kind === 'dir') { io.err(`tar: can't remove old file ${h.name}: Is a directory\n`); code = 1; return; }
    fs.write(path, data.toString('utf8'));
    const n = fs.get(path);
    if (n) { n.mode = h.mode & 0o7777; if (!args.join(' ').match(/(^|\s)-?[a-zA-Z]*m/)) n.mtime = h.mtime; }
  });
  return r || code;
}

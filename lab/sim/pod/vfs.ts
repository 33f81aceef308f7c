// A per-pod in-memory file system: enough of POSIX for the guide's commands.
export interface VNode {
  kind: 'file' | 'dir';
  data: string;
  mode: number;
  mtime: Date;
  /** A symbolic link (busybox's applet links): ls shows it, reads get the data it stands for. */
  link?: string;
  /** A binary's size, when `data` only holds its first bytes (the 300 MB collector is not kept in memory). */
  size?: number;
}

/** The size ls, stat, du and tar report. */
export function sizeOf(n: VNode): number {
  if (n.kind === 'dir') return 4096;
  if (n.link !== undefined) return n.link.length;
  return n.size ?? Buffer.byteLength(n.data);
}

export class Vfs {
  private readonly nodes = new Map<string, VNode>();
  /** Generated files (/proc) are looked up here first. */
  dynamic?: (path: string) => VNode | undefined;
  dynamicList?: (dir: string) => string[];

  constructor() {
    for (const d of ['/', '/bin', '/dev', '/etc', '/proc', '/tmp', '/storage', '/root']) this.mkdir(d);
    this.write('/etc/hostname', 'localhost\n');
    this.write('/dev/null', '');
  }

  static norm(path: string, cwd = '/'): string {
    const parts: string[] = [];
    for (const p of (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')) {
      if (!p || p === '.') continue;
      if (p === '..') parts.pop(); else parts.push(p);
    }
    return `/${parts.join('/')}`;
  }

  get(path: string): VNode | undefined {
    return this.dynamic?.(path) ?? this.nodes.get(path);
  }

  mkdir(path: string): void {
    if (!this.nodes.has(path)) this.nodes.set(path, { kind: 'dir', data: '', mode: 0o755, mtime: new Date() });
  }

  write(path: string, data: string, append = false): void {
    if (path === '/dev/null') return;
    const dir = path.slice(0, path.lastIndexOf('/')) || '/';
    if (this.get(dir)?.kind !== 'dir') throw new Error(`can't create '${path}': No such file or directory`);
    const old = this.nodes.get(path);
    this.nodes.set(path, { kind: 'file', data: append && old ? old.data + data : data, mode: old?.mode ?? 0o644, mtime: new Date() });
  }

  /** A file standing for a binary of `size` bytes (its data: an ELF header). */
  writeBinary(path: string, size: number, mtime = new Date()): void {
    this.nodes.set(path, { kind: 'file', data: '\u007fELF\u0002\u0001\u0001', mode: 0o755, mtime, size });
  }

  symlink(path: string, target: string, data = ''): void {
    this.nodes.set(path, { kind: 'file', data, mode: 0o777, mtime: new Date(), link: target });
  }

  remove(path: string): boolean {
    return this.nodes.delete(path);
  }

  /** Removes a folder and everything under it. */
  removeTree(path: string): void {
    for (const p of [...this.nodes.keys()]) if (p === path || p.startsWith(`${path}/`)) this.nodes.delete(p);
  }

  list(dir: string): string[] {
    const prefix = dir === '/' ? '/' : `${dir}/`;
    const names = new Set<string>();
    for (const p of this.nodes.keys()) {
      if (p !== dir && p.startsWith(prefix) && !p.slice(prefix.length).includes('/')) names.add(p.slice(prefix.length));
    }
    for (const n of this.dynamicList?.(dir) ?? []) names.add(n);
    return [...names].sort();
  }
}

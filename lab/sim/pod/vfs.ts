// A per-pod in-memory file system: enough of POSIX for the guide's commands.
export interface VNode { kind: 'file' | 'dir'; data: string; mode: number; mtime: Date }

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

  remove(path: string): boolean {
    return this.nodes.delete(path);
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

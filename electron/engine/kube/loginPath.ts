// Apps launched from a desktop (Finder, a .desktop file) inherit a minimal PATH,
// so credential plugins such as `aws eks get-token` are "not found". Once per
// process, ask the user's login shell for its PATH and merge it in. The shell
// gets a fixed argv — nothing from input reaches it.
import { spawn } from 'node:child_process';
import { delimiter } from 'node:path';

let resolved: Promise<string[]> | undefined;

function askLoginShell(shell: string, timeoutMs: number): Promise<string[]> {
  return new Promise((resolve) => {
    let out = '';
    const marker = '__OPAMP_LAB_PATH__';
    let child;
    try {
      child = spawn(shell, ['-l', '-c', `printf '${marker}%s${marker}' "$PATH"`], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, TERM: 'dumb' } });
    } catch {
      resolve([]);
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.on('error', () => resolve([]));
    child.on('close', () => {
      clearTimeout(timer);
      const m = new RegExp(`${marker}(.*)${marker}`, 's').exec(out);
      resolve(m?.[1] ? m[1].split(delimiter).filter(Boolean) : []);
    });
  });
}

/** Merges the login shell's PATH into process.env.PATH (login entries first). Returns the merged PATH. */
export async function adoptLoginShellPath(opts: { shell?: string; timeoutMs?: number } = {}): Promise<string> {
  if (process.platform === 'win32') return process.env.PATH ?? '';
  resolved ??= askLoginShell(opts.shell ?? process.env.SHELL ?? '/bin/sh', opts.timeoutMs ?? 3000);
  const fromShell = await resolved;
  const current = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const extra = ['/usr/local/bin', '/opt/homebrew/bin', '/usr/bin', '/bin'];
  const merged = [...new Set([...fromShell, ...current, ...extra])];
  process.env.PATH = merged.join(delimiter);
  return process.env.PATH;
}

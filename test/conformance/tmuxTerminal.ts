// A real terminal for tests: a command in a detached tmux session (its own
// server socket) under a real pseudo-terminal. Keystrokes go in with send-keys,
// the screen comes out with capture-pane, and resize-window changes the size the
// program sees (SIGWINCH), as a person's terminal would.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { eventually } from './eventually';

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

export interface TmuxTerminal {
  /** tmux key names (`Enter`, `Left`, `C-a`, `Up`, `Tab`) or, with literal, text typed as is. */
  keys(...keys: string[]): void;
  type(text: string): void;
  screen(): string;
  /** The screen's lines with trailing blanks trimmed, blank lines at the bottom dropped. */
  lines(): string[];
  cursor(): { x: number; y: number };
  waitFor(what: string, test: (screen: string) => boolean, timeoutMs?: number): Promise<string>;
  resize(cols: number, rows: number): void;
  close(): void;
}

/**
 * Runs argv in a `cols`×`rows` terminal with `env` added. When it exits, the shell around it prints
 * `[exited N]` so tests can read the exit code from the screen.
 */
export function startTerminal(argv: string[], env: Record<string, string>, cols = 80, rows = 24): TmuxTerminal {
  const socket = `opamp-lab-test-${randomBytes(4).toString('hex')}`;
  const quote = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;
  const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const command = `${argv.map(quote).join(' ')}; echo "[exited $?]"; sleep 600`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  tmux('new-session', '-d', '-s', 't', '-x', String(cols), '-y', String(rows), ...envArgs, command);
  // A fixed size: the window follows resize-window, not an attached client (there is none).
  tmux('set-option', '-t', 't', 'window-size', 'manual');
  const screen = (): string => tmux('capture-pane', '-p', '-t', 't');
  return {
    keys: (...keys) => { tmux('send-keys', '-t', 't', ...keys); },
    type: (text) => { tmux('send-keys', '-t', 't', '-l', text); },
    screen,
    lines: () => {
      const ls = screen().split('\n').map((l) => l.trimEnd());
      while (ls.length && ls[ls.length - 1] === '') ls.pop();
      return ls;
    },
    cursor: () => {
      const [x, y] = tmux('display-message', '-p', '-t', 't', '#{cursor_x} #{cursor_y}').trim().split(' ').map(Number);
      return { x: x!, y: y! };
    },
    waitFor: (what, test, timeoutMs = 20_000) => eventually(what, () => { const s = screen(); return test(s) ? s : undefined; }, timeoutMs),
    resize: (c, r) => { tmux('resize-window', '-t', 't', '-x', String(c), '-y', String(r)); },
    close: () => { spawnSync('tmux', ['-L', socket, 'kill-server']); },
  };
}

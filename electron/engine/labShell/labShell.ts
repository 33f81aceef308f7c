// A lab shell: the attendee's own shell on this machine in a real
// pseudo-terminal (node-pty), started in the lab's folder with KUBECONFIG set to
// the connected cluster and kubectl on PATH. It runs as the user, with an argv
// array; nothing secret is added to its environment beyond the KUBECONFIG path.
import { rm } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { IPty } from '@lydell/node-pty';
import { chooseKubectl } from './kubectlBinary';
import { CommandLogFollower, writeKubectlWrapper, type CommandRecord } from './kubectlWrapper';
import { LAB_FILES } from './labFolder';

export interface LabShellOptions {
  id: string;
  dataDir: string;
  cwd: string;
  /** The KUBECONFIG value (file paths). */
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  cols: number;
  rows: number;
  /** The shell's argv; default: $SHELL (or /bin/sh; ComSpec on Windows) with no arguments. */
  shell?: string[];
  onData(data: string): void;
  onExit(code: number): void;
  onCommand(r: CommandRecord): void;
}

/** Variables the app's own launch brings along that a person's shell should not inherit. */
function cleanEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || /^(ELECTRON_|npm_|VITEST|OPAMP_LAB_)/.test(k) || k === 'NODE_OPTIONS' || k === 'KUBECONFIG') continue;
    out[k] = v;
  }
  return out;
}

function defaultShell(): string[] {
  if (process.platform === 'win32') return [process.env['ComSpec'] ?? 'cmd.exe'];
  return [process.env['SHELL'] || '/bin/sh'];
}

const dim = (s: string): string => `\x1b[2m${s}\x1b[0m\r\n`;

export class LabShell {
  private pty?: IPty;
  private follower?: CommandLogFollower;

  constructor(private readonly o: LabShellOptions) {}

  async start(): Promise<void> {
    const o = this.o;
    const stateDir = join(o.dataDir, 'lab-shell');
    const path = process.env['PATH'] ?? '';
    const kubectl = await chooseKubectl(path, join(stateDir, 'kubectl-v1.35'));
    const env = cleanEnv(process.env);
    env['TERM'] = 'xterm-256color';
    env['COLORTERM'] = 'truecolor';
    if (o.kubeconfig) env['KUBECONFIG'] = o.kubeconfig;
    const banner = [
      `OpAMP Lab shell in ${o.cwd}`,
      o.kubeconfig ? `KUBECONFIG=${o.kubeconfig}${o.context ? ` (context ${o.context}, namespace ${o.namespace ?? 'default'})` : ''}` : 'Not connected to a lab: KUBECONFIG is not set.',
      `Lab files: ${Object.keys(LAB_FILES).join(' ')}`,
    ];
    if (kubectl.kind === 'missing') {
      banner.push(kubectl.message);
    } else if (process.platform === 'win32') {
      // The note-taking wrapper is a POSIX sh script; on Windows Check now stands in for it.
      banner.push(`kubectl: ${kubectl.path}`);
    } else {
      // The wrapper first on PATH runs this kubectl and notes each command for Lab mode.
      const binDir = join(stateDir, 'bin');
      await writeKubectlWrapper(binDir, kubectl.path);
      this.follower = new CommandLogFollower(join(stateDir, `${o.id}.commands`), o.onCommand);
      await this.follower.start();
      env['OPAMP_LAB_COMMAND_LOG'] = this.follower.path;
      env['PATH'] = [binDir, path].filter(Boolean).join(delimiter);
      banner.push(`kubectl: ${kubectl.path} (${kubectl.kind === 'user' ? 'yours' : 'v1.35, shipped with OpAMP Lab'}); Lab mode notes the kubectl commands you run here.`);
    }
    const { spawn } = await import('@lydell/node-pty');
    const [file, ...args] = o.shell ?? defaultShell();
    o.onData(banner.map(dim).join(''));
    this.pty = spawn(file ?? '/bin/sh', args, { name: 'xterm-256color', cols: o.cols, rows: o.rows, cwd: o.cwd, env });
    this.pty.onData((d) => o.onData(d));
    this.pty.onExit(({ exitCode }) => {
      // Last commands before exit still count.
      void this.follower?.read().finally(() => this.cleanup());
      o.onExit(exitCode);
    });
  }

  write(data: string): void {
    this.pty?.write(data);
  }

  resize(cols: number, rows: number): void {
    this.pty?.resize(cols, rows);
  }

  close(): void {
    try {
      this.pty?.kill();
    } catch {
      // already gone
    }
    this.cleanup();
  }

  private cleanup(): void {
    const f = this.follower;
    this.follower = undefined;
    if (!f) return;
    f.stop();
    void rm(f.path, { force: true });
  }
}

// Interactive terminals, streamed as LabEvents: shells in agent pods (exec with a
// TTY) and lab shells on this machine (a pseudo-terminal, labShell/). Several of
// each may be open; all of them close with the app.
import { randomBytes } from 'node:crypto';
import { PassThrough, Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import type { LabEvent, TerminalInfo } from '../../shared/api';
import { InputBudget, TERMINAL_INPUT_LIMITS } from '../../shared/inputBudget';
import { EngineError } from './errors';
import { kubeError, type KubeSession } from './kube/session';
import type { CommandRecord } from './labShell/kubectlWrapper';
import { LabShell } from './labShell/labShell';

/** A stdout that client-node treats as resizable (columns/rows + 'resize'). */
class TtyOut extends Writable {
  columns: number;
  rows: number;
  constructor(cols: number, rows: number, private readonly onData: (s: string) => void) {
    super();
    this.columns = cols;
    this.rows = rows;
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.onData(chunk.toString('utf8'));
    cb();
  }
}

interface Terminal {
  info: TerminalInfo;
  budget?: InputBudget;
  /** When the last "input dropped" notice was shown, so a flood shows one per second. */
  noticeAt?: number;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  close(): void;
}

export interface LabShellContext {
  dataDir: string;
  cwd: string;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  shell?: string[];
}

const MAX_TERMINALS = 8;

export class Terminals {
  private readonly open = new Map<string, Terminal>();
  private shells = 0;

  constructor(
    private readonly emit: (e: LabEvent) => void,
    private readonly onCommand: (r: CommandRecord) => void = () => undefined,
  ) {}

  private newId(): string {
    if (this.open.size >= MAX_TERMINALS) throw new EngineError('invalid-input', `Too many terminals open (${MAX_TERMINALS}); close one first.`);
    return `t-${randomBytes(6).toString('hex')}`;
  }

  private output(id: string): (data: string) => void {
    return (data) => this.emit({ type: 'terminal-output', terminalId: id, data });
  }

  async start(session: KubeSession, pod: string, cols: number, rows: number): Promise<TerminalInfo> {
    const id = this.newId();
    const stdin = new PassThrough();
    const out = new TtyOut(cols, rows, this.output(id));
    let ws: { close(): void } | undefined;
    const info: TerminalInfo = { terminalId: id, kind: 'agent', title: `agent: ${pod}` };
    this.open.set(id, {
      info,
      write: (d) => stdin.write(d),
      resize: (c, r) => {
        out.columns = c;
        out.rows = r;
        out.emit('resize');
      },
      close: () => {
        stdin.end();
        ws?.close();
      },
    });
    try {
      ws = await new k8s.Exec(session.kc).exec(session.namespace, pod, 'agent', ['sh'], out, out, stdin, true, (status) => {
        const code = status.status === 'Success' ? 0 : Number(status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message ?? 1);
        this.finish(id, code);
      });
      (ws as unknown as { on(e: string, l: () => void): void }).on('close', () => this.finish(id, 0));
    } catch (err) {
      this.open.delete(id);
      throw kubeError(err, `terminal in ${pod}`, session.server);
    }
    return info;
  }

  async startLabShell(ctx: LabShellContext, cols: number, rows: number): Promise<TerminalInfo> {
    const id = this.newId();
    this.shells += 1;
    const info: TerminalInfo = { terminalId: id, kind: 'lab-shell', title: `lab shell ${this.shells}` };
    const shell = new LabShell({
      id, ...ctx, cols, rows,
      onData: this.output(id),
      onExit: (code) => this.finish(id, code),
      onCommand: this.onCommand,
    });
    this.open.set(id, { info, write: (d) => shell.write(d), resize: (c, r) => shell.resize(c, r), close: () => shell.close() });
    try {
      await shell.start();
    } catch (err) {
      this.open.delete(id);
      shell.close();
      throw new EngineError('internal', `Could not start a lab shell: ${(err as Error).message}`);
    }
    return info;
  }

  private finish(id: string, code: number): void {
    if (!this.open.delete(id)) return;
    this.emit({ type: 'terminal-exit', terminalId: id, code });
  }

  private get(id: string): Terminal {
    const t = this.open.get(id);
    if (!t) throw new EngineError('not-found', `No terminal ${id} (it may have exited).`);
    return t;
  }

  /**
   * Input is rate- and size-limited per terminal (shared/inputBudget.ts): what does not fit is
   * dropped whole, the terminal says so, and the caller gets a clear error.
   */
  write(id: string, data: string): void {
    const t = this.get(id);
    const bytes = Buffer.byteLength(data);
    const { maxMessageBytes, bytesPerSecond } = TERMINAL_INPUT_LIMITS;
    t.budget ??= new InputBudget();
    if (bytes > maxMessageBytes || !t.budget.take(bytes)) {
      const message = `Terminal input dropped: at most ${maxMessageBytes / 1024} KiB per message and ${bytesPerSecond / 1024} KiB per second per terminal.`;
      const now = Date.now();
      if (t.noticeAt === undefined || now - t.noticeAt >= 1_000) {
        t.noticeAt = now;
        this.emit({ type: 'terminal-output', terminalId: id, data: `\r\n[opamp-lab: ${message}]\r\n` });
      }
      throw new EngineError('invalid-input', message);
    }
    t.write(data);
  }

  resize(id: string, cols: number, rows: number): void {
    this.get(id).resize(cols, rows);
  }

  close(id: string): void {
    this.get(id).close();
    this.finish(id, 0);
  }

  /** Closes the terminals of one kind (agent shells go with their cluster), or all. */
  closeAll(kind?: TerminalInfo['kind']): void {
    for (const [id, t] of [...this.open]) if (!kind || t.info.kind === kind) this.close(id);
  }
}

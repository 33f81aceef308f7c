// Interactive shells in agent pods (exec with a TTY), streamed as LabEvents.
import { randomBytes } from 'node:crypto';
import { PassThrough, Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import type { LabEvent } from '../../shared/api';
import { EngineError } from './errors';
import { kubeError, type KubeSession } from './kube/session';

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
  stdin: PassThrough;
  out: TtyOut;
  ws?: { close(): void };
}

export class Terminals {
  private readonly open = new Map<string, Terminal>();
  constructor(private readonly emit: (e: LabEvent) => void) {}

  async start(session: KubeSession, pod: string, cols: number, rows: number): Promise<string> {
    if (this.open.size >= 8) throw new EngineError('invalid-input', 'Too many terminals open; close one first.');
    const id = `t-${randomBytes(6).toString('hex')}`;
    const stdin = new PassThrough();
    const out = new TtyOut(cols, rows, (data) => this.emit({ type: 'terminal-output', terminalId: id, data }));
    const t: Terminal = { stdin, out };
    this.open.set(id, t);
    try {
      t.ws = await new k8s.Exec(session.kc).exec(session.namespace, pod, 'agent', ['sh'], out, out, stdin, true, (status) => {
        const code = status.status === 'Success' ? 0 : Number(status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message ?? 1);
        this.finish(id, code);
      });
      (t.ws as unknown as { on(e: string, l: () => void): void }).on('close', () => this.finish(id, 0));
    } catch (err) {
      this.open.delete(id);
      throw kubeError(err, `terminal in ${pod}`, session.server);
    }
    return id;
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

  write(id: string, data: string): void {
    this.get(id).stdin.write(data);
  }

  resize(id: string, cols: number, rows: number): void {
    const t = this.get(id);
    t.out.columns = cols;
    t.out.rows = rows;
    t.out.emit('resize');
  }

  close(id: string): void {
    const t = this.get(id);
    t.stdin.end();
    t.ws?.close();
    this.finish(id, 0);
  }

  closeAll(): void {
    for (const id of [...this.open.keys()]) this.close(id);
  }
}

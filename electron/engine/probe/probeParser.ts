// Turns the probe's stdout (see probeScript.ts) back into reports. Fed in
// arbitrary chunks; keeps at most one report and one log chunk in memory.
import { createHash } from 'node:crypto';
import { parseCmdline } from '../../../shared/procfs';
import type { ProcessInfo } from '../../../shared/state';
import { isProbeProcess } from './probeScript';

export interface ProbeFileInfo {
  exists: boolean;
  size?: number;
  /** epoch ms */
  mtime?: number;
  sha256?: string;
}

export type ProbeMessage =
  | { type: 'report'; processes: ProcessInfo[]; file: ProbeFileInfo; content?: { sha256: string; text: string } }
  | { type: 'agent-log'; offset: number; text: string }
  | { type: 'tick' };

type Mode =
  | { kind: 'idle' }
  | { kind: 'report'; processes: ProcessInfo[]; file?: ProbeFileInfo; content?: { sha256: string; text: string } }
  | { kind: 'content'; report: Extract<Mode, { kind: 'report' }>; sha256: string; lines: string[]; bytes: number }
  | { kind: 'log'; offset: number; lines: string[]; bytes: number };

const MAX_BLOCK = 4 * 1024 * 1024;

export class ProbeParser {
  private buffer = '';
  private mode: Mode = { kind: 'idle' };
  /** Lines that were not part of the protocol (shell errors): kept for the probe's error text. */
  readonly noise: string[] = [];

  constructor(private readonly token: string, private readonly onMessage: (m: ProbeMessage) => void) {}

  feed(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      this.line(line);
    }
    if (this.buffer.length > MAX_BLOCK) this.buffer = '';
  }

  private line(line: string): void {
    const end = `@@END ${this.token}`;
    const m = this.mode;
    if (m.kind === 'content' || m.kind === 'log') {
      if (line === end) {
        const text = m.lines.join('\n');
        if (m.kind === 'content') {
          const actual = createHash('sha256').update(text).digest('hex');
          // The file may change between hashing and cat: trust what arrived.
          m.report.content = { sha256: actual, text };
          if (m.report.file && actual !== m.sha256) m.report.file = { ...m.report.file, sha256: actual };
          this.mode = m.report;
        } else {
          this.mode = { kind: 'idle' };
          this.onMessage({ type: 'agent-log', offset: m.offset, text });
        }
      } else if (m.bytes < MAX_BLOCK) {
        m.lines.push(line);
        m.bytes += line.length + 1;
      }
      return;
    }
    if (line === `@@REPORT ${this.token}`) {
      this.mode = { kind: 'report', processes: [] };
    } else if (line === `@@TICK ${this.token}`) {
      this.onMessage({ type: 'tick' });
    } else if (line.startsWith('@@LOG ')) {
      const [, off] = line.split(' ');
      this.mode = { kind: 'log', offset: Number(off) || 0, lines: [], bytes: 0 };
    } else if (m.kind === 'report') {
      this.reportLine(m, line);
    } else if (line.trim() !== '') {
      this.noise.push(line);
      if (this.noise.length > 20) this.noise.shift();
    }
  }

  private reportLine(m: Extract<Mode, { kind: 'report' }>, line: string): void {
    if (line.startsWith('P ')) {
      const match = /^P (\d+) (\d+) (\d*) ?(.*)$/.exec(line);
      if (match) m.processes.push({ pid: Number(match[1]), ppid: Number(match[2]), comm: match[4] ?? '', argv: [], ...(match[3] ? { startTicks: Number(match[3]) } : {}) });
    } else if (line.startsWith('A ') || line === 'A') {
      const last = m.processes[m.processes.length - 1];
      if (last) last.argv = parseCmdline(line.slice(2), '\u0001');
    } else if (line.startsWith('@@FILE ')) {
      const parts = line.slice(7).trim().split(/\s+/);
      if (parts[0] === 'none' || parts.length < 3) m.file = { exists: false };
      else m.file = { exists: true, size: Number(parts[0]), mtime: Number(parts[1]) * 1000, sha256: parts[2] };
    } else if (line.startsWith('@@CONTENT ')) {
      this.mode = { kind: 'content', report: m, sha256: line.slice(10).trim(), lines: [], bytes: 0 };
    } else if (line === `@@DONE ${this.token}`) {
      this.mode = { kind: 'idle' };
      // The probe leaves out its own shell; another OpAMP Lab's probe in the same pod (a second app, `opamp-lab verify`) is left out here.
      const probes = new Set(m.processes.filter((p) => isProbeProcess(p.argv)).map((p) => p.pid));
      const processes = m.processes.filter((p) => !probes.has(p.pid) && !probes.has(p.ppid));
      this.onMessage({ type: 'report', processes: processes.sort((a, b) => a.pid - b.pid), file: m.file ?? { exists: false }, ...(m.content ? { content: m.content } : {}) });
    }
  }
}

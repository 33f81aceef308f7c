// xterm wrapper for the log pane: formats LogLines (JSON supervisor lines made
// readable, dividers, the expected reset marked) and writes them in one batch
// per animation frame so a flood of lines costs one write per frame.
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import type { LogLine } from '../../shared/api';
import { visibleControls } from '../../shared/terminalText';

const ESC = '\x1b[';
// Secondary text in "bright black", which the themes below set to a colour with 4.5:1 contrast
// (SGR dim halves the opacity, which falls below it).
const dim = (s: string) => `${ESC}90m${s}${ESC}0m`;
const color = (code: number, s: string) => `${ESC}${code}m${s}${ESC}0m`;

const FLUSH_MS = 100;
const MAX_PER_FLUSH = 150;

export interface LogView {
  follow: boolean;
  timestamps: boolean;
  filter: string;
  /** Only this pod's lines (the pod picker); '' for every followed pod. */
  pod: string;
  /** false: long lines run off to the right (the pane scrolls sideways) instead of wrapping. */
  wrap: boolean;
}

/** Columns of an unwrapped pane: wide enough for a long collector error on one row. */
const NO_WRAP_COLS = 600;

/** A JSON log line (zap style) as "level msg key=value…"; other text unchanged. */
export function readableText(text: string): { text: string; level?: string } {
  const t = text.trim();
  if (!t.startsWith('{')) return { text };
  try {
    const obj = JSON.parse(t) as Record<string, unknown>;
    const level = typeof obj.level === 'string' ? obj.level : undefined;
    const msg = typeof obj.msg === 'string' ? obj.msg : typeof obj.message === 'string' ? obj.message : '';
    const rest = Object.entries(obj)
      .filter(([k]) => !['level', 'msg', 'message', 'ts', 'time', 'timestamp'].includes(k))
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    return { text: `${msg}${rest ? '  ' + rest : ''}`, ...(level ? { level } : {}) };
  } catch {
    return { text };
  }
}

export function formatLine(line: LogLine, view: LogView): string {
  if (line.marker) {
    return color(36, `──── ${line.marker.kind}: ${visibleControls(line.marker.detail)} ────`);
  }
  const { text, level: jsonLevel } = readableText(line.text);
  const level = line.level ?? jsonLevel;
  const stamp = view.timestamps ? dim(new Date(line.at).toISOString().slice(11, 23) + ' ') : '';
  const src = dim(`${line.source === 'agent.log' ? 'collector' : visibleControls(line.container)} `);
  // Pod text is shown, never executed: its control sequences become visible (only ours colour it).
  let body = visibleControls(text.replace(/[\r\n]+/g, ' '));
  if (line.expected) body = `${color(33, '[expected]')} ${dim(body)}`;
  else if (level === 'error') body = color(31, body);
  else if (level === 'warn') body = color(33, body);
  return `${stamp}${src}${body}`;
}

export class LogTerminal {
  readonly term: Terminal;
  private readonly fit = new FitAddon();
  readonly search = new SearchAddon();
  private pending: string[] = [];
  private frame = 0;
  private lastFlush = 0;
  view: LogView = { follow: true, timestamps: true, filter: '', pod: '', wrap: true };
  /** Lines that arrived while paused (shown as "N new lines"). */
  newWhilePaused = 0;
  /** A one-off read (another container, --previous) shown instead of the live buffer. */
  private fixed: readonly LogLine[] | undefined;

  constructor(parent: HTMLElement, private readonly all: () => readonly LogLine[]) {
    this.term = new Terminal({
      convertEol: true,
      disableStdin: true,
      scrollback: 10_000,
      fontSize: 12,
      allowProposedApi: true,
      screenReaderMode: false,
    });
    this.term.loadAddon(this.fit);
    this.term.loadAddon(this.search);
    this.term.open(parent);
    this.resize();
  }

  resize(): void {
    try {
      const size = this.fit.proposeDimensions();
      if (!size || !Number.isFinite(size.cols) || !Number.isFinite(size.rows)) return;
      this.term.resize(this.view.wrap ? size.cols : Math.max(size.cols, NO_WRAP_COLS), size.rows);
    } catch {
      // Hidden (zero-sized) parent: fit again when shown.
    }
  }

  setTheme(dark: boolean): void {
    // ANSI colours the log uses (red, yellow, cyan, bright black), each ≥ 4.5:1 on its background.
    this.term.options.theme = dark
      ? { background: '#111418', foreground: '#d8dee9', red: '#ff7b72', yellow: '#e3b341', cyan: '#56d4dd', brightBlack: '#9aa4b2' }
      : { background: '#fbfbfc', foreground: '#1d2230', cursor: '#1d2230', selectionBackground: '#c8d4ff', red: '#b3261e', yellow: '#7d5400', cyan: '#0b6e79', brightBlack: '#5f6673' };
  }

  private matches(line: LogLine): boolean {
    if (this.view.pod && line.pod !== this.view.pod) return false;
    if (!this.view.filter || line.marker) return true;
    return line.text.toLowerCase().includes(this.view.filter.toLowerCase());
  }

  /** Every kept line the current view shows (pod, filter), oldest first: for search counts and download. */
  viewLines(): LogLine[] {
    return (this.fixed ?? this.all()).filter((l) => this.matches(l));
  }

  /** Show a one-off read instead of the live lines (undefined: back to live). */
  showFixed(lines: readonly LogLine[] | undefined): void {
    this.fixed = lines;
    this.redraw();
  }

  append(lines: readonly LogLine[]): void {
    if (this.fixed) return;
    for (const line of lines) {
      if (!this.matches(line)) continue;
      this.pending.push(formatLine(line, this.view));
      if (!this.view.follow) this.newWhilePaused += 1;
    }
    if (this.view.follow && !this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  /**
   * Paused: lines wait in `pending` (bounded) and appear on resume. Following a
   * flood: at most MAX_PER_FLUSH lines per flush, the rest summarised — every
   * line stays in the LogBuffer, and pausing or filtering shows them.
   */
  private flush(): void {
    this.frame = 0;
    if (this.pending.length === 0) return;
    const now = performance.now();
    if (now - this.lastFlush < FLUSH_MS) {
      this.frame = requestAnimationFrame(() => this.flush());
      return;
    }
    this.lastFlush = now;
    let batch = this.pending;
    this.pending = [];
    if (batch.length > MAX_PER_FLUSH) {
      const skipped = batch.length - MAX_PER_FLUSH;
      batch = [dim(`… ${skipped} lines skipped at this rate (kept in the buffer: use the filter to find them)`), ...batch.slice(-MAX_PER_FLUSH)];
    }
    this.term.write(batch.join('\n') + '\n');
  }

  /** Writes the last matches in one go (no flood cap): the user asked for them. */
  redraw(): void {
    this.term.reset();
    this.pending = [];
    this.newWhilePaused = 0;
    const lines = this.viewLines().slice(-5_000);
    if (lines.length > 0) this.term.write(lines.map((l) => formatLine(l, this.view)).join('\n') + '\n');
  }

  setView(view: Partial<LogView>): void {
    const redraw = view.filter !== undefined || view.timestamps !== undefined || view.pod !== undefined;
    const rewrap = view.wrap !== undefined && view.wrap !== this.view.wrap;
    this.view = { ...this.view, ...view };
    if (view.follow) this.newWhilePaused = 0;
    if (rewrap) this.resize();
    if (redraw) this.redraw();
    if (this.view.follow) this.frame ||= requestAnimationFrame(() => this.flush());
    else if (this.pending.length > 10_000) this.pending.splice(0, this.pending.length - 10_000);
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.term.dispose();
  }
}

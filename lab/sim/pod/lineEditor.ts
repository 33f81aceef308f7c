// The line editing of busybox ash under a terminal (busybox lineedit): the shell
// reads keys in raw mode, echoes and redraws the line itself, keeps a history
// and completes commands and paths with Tab. Pure: keys in, terminal output and
// finished lines out; the terminal's width is asked for each redraw, so a
// resize is honoured on the next key.

export interface LineEditorHost {
  /** Terminal output (the session turns \n into \r\n). */
  write(s: string): void;
  cols(): number;
  /** Candidates for Tab: command names for the first word, else entries of a folder (dirs end in /). */
  complete(word: string, firstWord: boolean): string[];
}

export type EditorEvent =
  | { kind: 'line'; line: string }
  /** Ctrl-D on an empty line. */
  | { kind: 'eof' };

const ESC = '\u001b';
const MAX_HISTORY = 255;

/** Escape sequences terminals send for the editing keys (xterm, both cursor-key modes, VT220 and rxvt forms). */
const KEYS: Record<string, string> = {
  '[A': 'up', OA: 'up', '[B': 'down', OB: 'down', '[C': 'right', OC: 'right', '[D': 'left', OD: 'left',
  '[H': 'home', OH: 'home', '[1~': 'home', '[7~': 'home', '[F': 'end', OF: 'end', '[4~': 'end', '[8~': 'end',
  '[3~': 'delete', '[1;5C': 'wordright', '[1;5D': 'wordleft',
};

export class LineEditor {
  private buf = '';
  private cursor = 0;
  private prompt = '';
  private readonly history: string[] = [];
  /** Index into history while browsing it with Up/Down; history.length means the line being edited. */
  private histIdx = 0;
  private edited = '';
  private pendingEsc = '';
  private lastWasTab = false;
  private active = false;

  constructor(private readonly host: LineEditorHost) {}

  /** Starts reading a line: prints the prompt. */
  start(prompt: string): void {
    this.prompt = prompt;
    this.buf = '';
    this.cursor = 0;
    this.histIdx = this.history.length;
    this.active = true;
    this.host.write(prompt);
    this.pos = prompt.length;
  }

  get lines(): string[] {
    return [...this.history];
  }

  get reading(): boolean {
    return this.active;
  }

  /** Ctrl-C: the line is dropped, as ash prints ^C and a fresh prompt. */
  interrupt(): void {
    if (!this.active) return;
    this.moveTo(this.prompt.length + this.buf.length);
    this.host.write('^C\n');
    this.start(this.prompt);
  }

  /**
   * Feeds typed characters up to the end of the first finished line (or Ctrl-D); returns what that
   * was and the characters after it, which wait for the next prompt (typeahead).
   */
  feed(text: string): { event?: EditorEvent; rest: string } {
    const chars = [...text];
    for (let k = 0; k < chars.length; k++) {
      if (!this.active) return { rest: chars.slice(k).join('') };
      const ch = chars[k]!;
      if (this.pendingEsc) {
        this.pendingEsc += ch;
        const seq = this.pendingEsc.slice(1);
        if (KEYS[seq]) { this.pendingEsc = ''; this.key(KEYS[seq]!); }
        else if (!/^(\[[\d;]*|O)?$/.test(seq)) this.pendingEsc = ''; // an unknown sequence is dropped whole, as lineedit does
        continue;
      }
      const event = this.char(ch);
      if (event) return { event, rest: chars.slice(k + 1).join('') };
    }
    return { rest: '' };
  }

  private char(ch: string): EditorEvent | undefined {
    const code = ch.codePointAt(0)!;
    const wasTab = this.lastWasTab;
    this.lastWasTab = false;
    switch (ch) {
      case ESC: this.pendingEsc = ESC; return undefined;
      case '\r': case '\n': {
        const line = this.buf;
        this.moveTo(this.prompt.length + this.buf.length);
        this.host.write('\n');
        this.active = false;
        if (line.trim() && this.history[this.history.length - 1] !== line) {
          this.history.push(line);
          if (this.history.length > MAX_HISTORY) this.history.shift();
        }
        return { kind: 'line', line };
      }
      case '\u0004': // Ctrl-D: end of input on an empty line, else delete under the cursor
        if (this.buf === '') { this.host.write('\n'); this.active = false; return { kind: 'eof' }; }
        this.key('delete');
        return undefined;
      case '\u0001': this.key('home'); return undefined;
      case '\u0005': this.key('end'); return undefined;
      case '\u0002': this.key('left'); return undefined;
      case '\u0006': this.key('right'); return undefined;
      case '\u0010': this.key('up'); return undefined;
      case '\u000e': this.key('down'); return undefined;
      case '\u007f': case '\b':
        if (this.cursor > 0) this.edit(this.buf.slice(0, this.cursor - 1) + this.buf.slice(this.cursor), this.cursor - 1);
        return undefined;
      case '\u0015': this.edit(this.buf.slice(this.cursor), 0); return undefined; // Ctrl-U: kill before the cursor
      case '\u000b': this.edit(this.buf.slice(0, this.cursor), this.cursor); return undefined; // Ctrl-K: kill to the end
      case '\u0017': { // Ctrl-W: the word before the cursor
        let k = this.cursor;
        while (k > 0 && this.buf[k - 1] === ' ') k--;
        while (k > 0 && this.buf[k - 1] !== ' ') k--;
        this.edit(this.buf.slice(0, k) + this.buf.slice(this.cursor), k);
        return undefined;
      }
      case '\u000c': // Ctrl-L: clear the screen, redraw the line at the top
        this.host.write(`${ESC}[H${ESC}[J${this.prompt}`);
        this.redrawAll();
        return undefined;
      case '\t': this.tab(wasTab); return undefined;
    }
    if (code < 0x20) return undefined;
    this.edit(this.buf.slice(0, this.cursor) + ch + this.buf.slice(this.cursor), this.cursor + ch.length);
    return undefined;
  }

  private key(name: string): void {
    switch (name) {
      case 'left': if (this.cursor > 0) this.setCursor(this.cursor - 1); break;
      case 'right': if (this.cursor < this.buf.length) this.setCursor(this.cursor + 1); break;
      case 'home': this.setCursor(0); break;
      case 'end': this.setCursor(this.buf.length); break;
      case 'wordleft': { let k = this.cursor; while (k > 0 && this.buf[k - 1] === ' ') k--; while (k > 0 && this.buf[k - 1] !== ' ') k--; this.setCursor(k); break; }
      case 'wordright': { let k = this.cursor; while (k < this.buf.length && this.buf[k] === ' ') k++; while (k < this.buf.length && this.buf[k] !== ' ') k++; this.setCursor(k); break; }
      case 'delete': if (this.cursor < this.buf.length) this.edit(this.buf.slice(0, this.cursor) + this.buf.slice(this.cursor + 1), this.cursor); break;
      case 'up': case 'down': {
        const to = this.histIdx + (name === 'up' ? -1 : 1);
        if (to < 0 || to > this.history.length) break;
        if (this.histIdx === this.history.length) this.edited = this.buf;
        this.histIdx = to;
        const line = to === this.history.length ? this.edited : this.history[to]!;
        this.edit(line, line.length);
        break;
      }
    }
  }

  private tab(wasTab: boolean): void {
    const before = this.buf.slice(0, this.cursor);
    const start = before.lastIndexOf(' ') + 1;
    const word = before.slice(start);
    const first = before.slice(0, start).trim() === '' || /[;&|]\s*$/.test(before.slice(0, start));
    const matches = [...new Set(this.host.complete(word, first && !word.includes('/')))].sort();
    if (!matches.length) return;
    const base = word.slice(word.lastIndexOf('/') + 1);
    if (matches.length === 1) {
      const m = matches[0]!;
      const add = m.slice(base.length) + (m.endsWith('/') ? '' : ' ');
      this.edit(before + add + this.buf.slice(this.cursor), this.cursor + add.length);
      return;
    }
    let common = matches[0]!;
    for (const m of matches) while (!m.startsWith(common)) common = common.slice(0, -1);
    // Several candidates: complete what they share; the next Tab lists them.
    this.lastWasTab = true;
    if (common.length > base.length) {
      const add = common.slice(base.length);
      this.edit(before + add + this.buf.slice(this.cursor), this.cursor + add.length);
      return;
    }
    if (!wasTab) return;
    // A second Tab lists the candidates in columns, then the prompt and line again.
    this.moveTo(this.prompt.length + this.buf.length);
    const width = Math.max(...matches.map((m) => m.length)) + 2;
    const perRow = Math.max(1, Math.floor(this.host.cols() / width));
    let out = '\n';
    for (let k = 0; k < matches.length; k += perRow) out += `${matches.slice(k, k + perRow).map((m, j, row) => (j === row.length - 1 ? m : m.padEnd(width))).join('')}\n`;
    this.host.write(`${out}${this.prompt}`);
    this.redrawAll();
  }

  /** The prompt was just written afresh: the whole line again, the cursor back where it was. */
  private redrawAll(): void {
    const cursor = this.cursor;
    this.redrawFrom(0, this.prompt.length);
    this.setCursor(cursor);
  }

  /** Replaces the line and cursor, redrawing only from the first character that changed. */
  private edit(next: string, cursor: number): void {
    let same = 0;
    while (same < this.buf.length && same < next.length && this.buf[same] === next[same]) same++;
    const oldLen = this.buf.length;
    this.moveTo(this.prompt.length + same);
    this.buf = next;
    // Only a shorter line leaves old characters on the screen to clear.
    this.redrawFrom(same, this.prompt.length + same, next.length < oldLen);
    this.setCursor(cursor);
  }

  /** Writes the line from index `from` (the terminal cursor being at `at`), clears what is left of the old one. */
  private redrawFrom(from: number, at: number, clear = true): void {
    const tail = this.buf.slice(from);
    this.host.write(tail);
    const end = at + tail.length;
    // At the right margin the terminal waits to wrap; a space and a backspace make it wrap now.
    if (tail && end % this.host.cols() === 0) this.host.write(' \b');
    if (clear) this.host.write(`${ESC}[J`);
    this.pos = end;
    this.cursor = this.buf.length;
  }

  private setCursor(to: number): void {
    this.moveTo(this.prompt.length + to);
    this.cursor = to;
  }

  /** Where the terminal cursor is, counted in cells from the start of the prompt. */
  private pos = 0;

  private moveTo(target: number): void {
    const cols = Math.max(1, this.host.cols());
    const from = this.pos;
    if (from === target) return;
    const dr = Math.floor(target / cols) - Math.floor(from / cols);
    let s = dr < 0 ? `${ESC}[${-dr}A` : dr > 0 ? `${ESC}[${dr}B` : '';
    const col = target % cols;
    if (dr === 0 && from > target && from - target <= 4) s += '\b'.repeat(from - target);
    else s += col ? `\r${ESC}[${col}C` : '\r';
    this.host.write(s);
    this.pos = target;
  }
}

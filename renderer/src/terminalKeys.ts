// The documented way out of an xterm pane (WCAG 2.1.2, no keyboard trap):
// Ctrl+Shift+ArrowUp moves focus from the terminal to its pane's toolbar. In a
// shell, Tab and Escape belong to the shell (completion, vi), so they cannot be
// the way out there; the read-only log pane also lets Tab and Escape go on.
import type { Terminal } from '@xterm/xterm';

export const LEAVE_TERMINAL_KEY = 'Ctrl+Shift+↑';

export function isLeaveKey(e: KeyboardEvent): boolean {
  return e.type === 'keydown' && e.ctrlKey && e.shiftKey && !e.altKey && !e.metaKey && e.key === 'ArrowUp';
}

/** Wires the leave key (and, for read-only panes, Tab/Escape) so focus can always leave `term`. */
export function letFocusLeave(term: Terminal, leave: () => void, readOnly = false): void {
  term.attachCustomKeyEventHandler((e) => {
    if (isLeaveKey(e)) {
      e.preventDefault();
      leave();
      return false;
    }
    // false: xterm ignores the key, so the browser moves focus on Tab as anywhere else.
    if (readOnly && (e.key === 'Tab' || e.key === 'Escape')) {
      if (e.key === 'Escape' && e.type === 'keydown') leave();
      return false;
    }
    return true;
  });
}

// One terminal session in xterm: keystrokes and resizes go to the LabApi, its
// output comes from the pane's router (which holds bytes that arrive before
// this view is mounted, such as a shell's first prompt).
import { useEffect, useRef } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import type { LabEvent } from '../../shared/api';
import { getLab } from '../lab/getLab';
import { letFocusLeave } from './terminalKeys';

export type TerminalEvent = Extract<LabEvent, { type: 'terminal-output' | 'terminal-exit' }>;

export interface TerminalRouter {
  /** Delivers buffered and future events of `id` to `listener`; returns the detach function. */
  attach(id: string, listener: (e: TerminalEvent) => void): () => void;
}

export function TerminalView({ id, title, visible, router, onExit }: { id: string; title: string; visible: boolean; router: TerminalRouter; onExit(code: number): void }) {
  const host = useRef<HTMLDivElement>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const termRef = useRef<Terminal | null>(null);

  useEffect(() => {
    const t = new Terminal({ fontSize: 12, cursorBlink: true });
    const fit = new FitAddon();
    t.loadAddon(fit);
    t.open(host.current!);
    // Ctrl+Shift+ArrowUp leaves the shell for the pane's toolbar (Tab and Escape stay the shell's).
    letFocusLeave(t, () => host.current?.closest('.terminal')?.querySelector<HTMLElement>('[role=toolbar] button:not([disabled])')?.focus());
    termRef.current = t;
    fitRef.current = fit;
    const lab = getLab();
    const onData = t.onData((data) => void lab.terminalWrite({ terminalId: id, data }).catch(() => undefined));
    const onResize = t.onResize(({ cols, rows }) => void lab.terminalResize({ terminalId: id, cols, rows }).catch(() => undefined));
    const detach = router.attach(id, (e) => {
      if (e.type === 'terminal-output') t.write(e.data);
      else {
        t.write(`\r\n[exited with code ${e.code}]\r\n`);
        onExit(e.code);
      }
    });
    const ro = new ResizeObserver(() => {
      try {
        fit.fit();
      } catch {
        /* hidden */
      }
    });
    ro.observe(host.current!);
    return () => {
      ro.disconnect();
      detach();
      onData.dispose();
      onResize.dispose();
      t.dispose();
    };
    // A mounted view keeps its session id; onExit and router are stable per session.
  }, [id]);

  useEffect(() => {
    if (!visible) return;
    try {
      fitRef.current?.fit();
    } catch {
      /* not laid out yet */
    }
    termRef.current?.focus();
  }, [visible]);

  return <div ref={host} className="xterm-host" hidden={!visible} data-terminal={id} aria-label={`Terminal: ${title}`} />;
}

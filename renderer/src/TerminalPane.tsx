// An interactive shell in the agent container (tty, resize) through the LabApi.
import { useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import type { LabEvent } from '../../shared/api';
import { getLab } from '../lab/getLab';
import { getStore, useLab } from './store';

type TerminalEvent = Extract<LabEvent, { type: 'terminal-output' | 'terminal-exit' }>;

export function TerminalPane({ active }: { active: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<string>('closed');
  const [id, setId] = useState<string | undefined>();
  const connected = useLab((s) => s.connection.status === 'connected');
  const term = useRef<{ t: Terminal; fit: FitAddon } | null>(null);
  // The shell's first bytes (its prompt) can arrive before terminalOpen's answer does:
  // they are held here until the terminal's own listener is in place.
  const early = useRef<{ events: TerminalEvent[]; listener: (e: TerminalEvent) => void } | undefined>(undefined);

  useEffect(() => {
    const t = new Terminal({ fontSize: 12, cursorBlink: true });
    const fit = new FitAddon();
    t.loadAddon(fit);
    t.open(host.current!);
    term.current = { t, fit };
    return () => t.dispose();
  }, []);

  useEffect(() => {
    if (!id || !term.current) return;
    const { t, fit } = term.current;
    const lab = getLab();
    const onData = t.onData((data) => void lab.terminalWrite({ terminalId: id, data }).catch(() => undefined));
    const onResize = t.onResize(({ cols, rows }) => void lab.terminalResize({ terminalId: id, cols, rows }).catch(() => undefined));
    const listener = (e: TerminalEvent) => {
      if (e.terminalId !== id) return;
      if (e.type === 'terminal-output') t.write(e.data);
      if (e.type === 'terminal-exit') {
        t.write(`\r\n[shell exited with code ${e.code}]\r\n`);
        setStatus('exited');
        setId(undefined);
      }
    };
    const store = getStore();
    store.terminalListeners.add(listener);
    if (early.current) {
      store.terminalListeners.delete(early.current.listener);
      for (const e of early.current.events) listener(e);
      early.current = undefined;
    }
    const ro = new ResizeObserver(() => {
      try {
        fit.fit();
      } catch {
        /* hidden */
      }
    });
    ro.observe(host.current!);
    return () => {
      onData.dispose();
      onResize.dispose();
      store.terminalListeners.delete(listener);
      ro.disconnect();
    };
  }, [id]);

  useEffect(() => {
    if (active) term.current?.fit.fit();
  }, [active]);

  const open = async () => {
    const t = term.current!;
    t.fit.fit();
    setStatus('opening…');
    const events: TerminalEvent[] = [];
    const listener = (e: TerminalEvent): void => {
      events.push(e);
    };
    early.current = { events, listener };
    getStore().terminalListeners.add(listener);
    try {
      const res = await getLab().terminalOpen({ cols: t.t.cols, rows: t.t.rows });
      setId(res.terminalId);
      setStatus('open');
      t.t.focus();
    } catch (e) {
      getStore().terminalListeners.delete(listener);
      early.current = undefined;
      setStatus(`could not open: ${(e as Error).message}`);
    }
  };
  const close = () => {
    if (id) void getLab().terminalClose({ terminalId: id }).catch(() => undefined);
    setId(undefined);
    setStatus('closed');
  };

  return (
    <div className="terminal">
      <div className="toolbar">
        {id ? <button onClick={close}>Close shell</button> : <button onClick={() => void open()} disabled={!connected}>Open shell in agent container</button>}
        <span className="muted" aria-live="polite">{connected ? status : 'connect to a lab first'}</span>
      </div>
      <div ref={host} className="xterm-host" aria-label="Agent container terminal" />
    </div>
  );
}

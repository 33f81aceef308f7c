// The Terminal tab: lab shells on this machine (KUBECONFIG and kubectl set up, in
// the lab's folder) and shells in the agent container, several at once, as tabs.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TerminalInfo } from '../../shared/api';
import { getLab } from '../lab/getLab';
import { getStore, useLab } from './store';
import { LEAVE_TERMINAL_KEY } from './terminalKeys';
import { TerminalView, type TerminalEvent, type TerminalRouter } from './TerminalView';
import './TerminalPane.css';

interface Session extends TerminalInfo {
  exited?: number;
}

const MAX_BUFFERED = 512;

export function TerminalPane({ active }: { active: boolean }) {
  const connected = useLab((s) => s.connection.status === 'connected');
  const [sessions, setSessions] = useState<Session[]>([]);
  const [current, setCurrent] = useState<string>();
  const [status, setStatus] = useState('');
  // One listener for the pane: events of a session whose view is not mounted yet wait here.
  const buffers = useRef(new Map<string, TerminalEvent[]>());
  const views = useRef(new Map<string, (e: TerminalEvent) => void>());
  useEffect(() => {
    const listener = (e: TerminalEvent): void => {
      const view = views.current.get(e.terminalId);
      if (view) return view(e);
      const buf = buffers.current.get(e.terminalId) ?? [];
      if (buf.length < MAX_BUFFERED) buf.push(e);
      buffers.current.set(e.terminalId, buf);
    };
    const store = getStore();
    store.terminalListeners.add(listener);
    return () => void store.terminalListeners.delete(listener);
  }, []);
  const router: TerminalRouter = useMemo(
    () => ({
      attach(id, listener) {
        for (const e of buffers.current.get(id) ?? []) listener(e);
        buffers.current.delete(id);
        views.current.set(id, listener);
        return () => void views.current.delete(id);
      },
    }),
    [],
  );

  const open = async (kind: TerminalInfo['kind']) => {
    setStatus(kind === 'lab-shell' ? 'starting a lab shell…' : 'opening a shell in the agent container…');
    try {
      const info = await getLab().terminalOpen({ kind, cols: 100, rows: 30 });
      setSessions((s) => [...s, info]);
      setCurrent(info.terminalId);
      setStatus('');
    } catch (e) {
      setStatus(`could not open: ${(e as Error).message}`);
    }
  };
  const close = (id: string) => {
    const s = sessions.find((x) => x.terminalId === id);
    if (s && s.exited === undefined) void getLab().terminalClose({ terminalId: id }).catch(() => undefined);
    const rest = sessions.filter((x) => x.terminalId !== id);
    setSessions(rest);
    buffers.current.delete(id);
    if (current === id) setCurrent(rest.at(-1)?.terminalId);
  };
  const exited = (id: string, code: number) => setSessions((s) => s.map((x) => (x.terminalId === id ? { ...x, exited: code } : x)));

  return (
    <div className="terminal">
      <div className="toolbar" role="toolbar" aria-label="Terminals">
        <button onClick={() => void open('lab-shell')} title="A shell on this machine with KUBECONFIG and kubectl set up, in the lab's folder">
          New lab shell
        </button>
        <button onClick={() => void open('agent')} disabled={!connected}>Shell in the agent container</button>
        <span className="terminal-tabs" role="tablist" aria-label="Open terminals">
          {sessions.map((s) => (
            <span key={s.terminalId} className={`terminal-tab${s.terminalId === current ? ' terminal-tab-current' : ''}`}>
              <button role="tab" aria-selected={s.terminalId === current} onClick={() => setCurrent(s.terminalId)}>
                {s.title}{s.exited !== undefined ? ' (exited)' : ''}
              </button>
              <button aria-label={`Close ${s.title}`} title="Close" onClick={() => close(s.terminalId)}>×</button>
            </span>
          ))}
        </span>
        <span className="muted">{LEAVE_TERMINAL_KEY} leaves the terminal</span>
        <span className="muted" aria-live="polite">{status || (sessions.length === 0 ? (connected ? 'open a lab shell to type the guide\'s commands' : 'a lab shell works best once a lab is connected') : '')}</span>
      </div>
      {sessions.map((s) => (
        <TerminalView key={s.terminalId} id={s.terminalId} title={s.title} visible={active && s.terminalId === current} router={router} onExit={(code) => exited(s.terminalId, code)} />
      ))}
      {sessions.length === 0 && <div className="xterm-host terminal-empty" aria-hidden="true" />}
    </div>
  );
}

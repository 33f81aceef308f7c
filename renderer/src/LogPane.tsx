// Thin view over LogTerminal: the toolbar and the xterm host.
import { useEffect, useRef, useState } from 'react';
import '@xterm/xterm/css/xterm.css';
import { LogTerminal } from './logTerminal';
import { getStore, useLab } from './store';

export function LogPane() {
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<LogTerminal | null>(null);
  const [follow, setFollow] = useState(true);
  const [timestamps, setTimestamps] = useState(true);
  const [filter, setFilter] = useState('');
  const [search, setSearch] = useState('');
  const connected = useLab((s) => s.connection.status === 'connected');

  useEffect(() => {
    const logs = getStore().logs;
    const t = new LogTerminal(host.current!, () => logs.all());
    t.setTheme(document.documentElement.dataset.theme !== 'light');
    term.current = t;
    t.append(logs.all());
    const off = logs.onLines((lines) => t.append(lines));
    const ro = new ResizeObserver(() => t.resize());
    ro.observe(host.current!);
    const mo = new MutationObserver(() => t.setTheme(document.documentElement.dataset.theme !== 'light'));
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => {
      off();
      ro.disconnect();
      mo.disconnect();
      t.dispose();
    };
  }, []);

  useEffect(() => term.current?.setView({ follow }), [follow]);
  useEffect(() => term.current?.setView({ timestamps }), [timestamps]);
  useEffect(() => {
    const id = setTimeout(() => term.current?.setView({ filter }), 200);
    return () => clearTimeout(id);
  }, [filter]);

  return (
    <div className="logs">
      <div className="toolbar">
        <button aria-pressed={!follow} onClick={() => setFollow(!follow)}>
          {follow ? 'Pause' : 'Follow'}
        </button>
        <label>
          <input type="checkbox" checked={timestamps} onChange={(e) => setTimestamps(e.target.checked)} /> timestamps
        </label>
        <input aria-label="Filter log lines" placeholder="filter" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <input
          aria-label="Search in log"
          placeholder="search (Enter)"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && search) {
              if (e.shiftKey) term.current?.search.findPrevious(search);
              else term.current?.search.findNext(search);
            }
          }}
        />
        {!connected && <span className="muted">no lab connected: logs appear once connected</span>}
      </div>
      <div ref={host} className="xterm-host" data-testid="log-pane" aria-label="Agent logs" />
    </div>
  );
}

// The log pane: the toolbar (source picker, previous container, follow/pause with
// "N new lines", wrap, timestamps, filter, search with a count, download) over
// the xterm host. Live lines come from the LogBuffer (which the engine's history
// fills on attach); another container or --previous is a one-off read.
import { useEffect, useMemo, useRef, useState } from 'react';
import '@xterm/xterm/css/xterm.css';
import type { LogLine } from '../../shared/api';
import { getLab } from '../lab/getLab';
import { LogTerminal } from './logTerminal';
import { runOperation } from './operations';
import { getStore, useLab } from './store';
import { LEAVE_TERMINAL_KEY, letFocusLeave } from './terminalKeys';

/** '' = every followed agent pod, live; else "pod/container". */
type Source = string;

function countMatches(lines: readonly LogLine[], needle: string): number {
  if (!needle) return 0;
  const n = needle.toLowerCase();
  let count = 0;
  for (const l of lines) {
    const hay = l.text.toLowerCase();
    for (let i = hay.indexOf(n); i !== -1; i = hay.indexOf(n, i + n.length)) count++;
  }
  return count;
}

function download(lines: readonly LogLine[], name: string): void {
  const text = lines.map((l) => (l.marker ? `---- ${l.marker.kind}: ${l.marker.detail} ----` : `${new Date(l.at).toISOString()} ${l.pod} ${l.source === 'agent.log' ? 'collector' : l.container} ${l.text}`)).join('\n');
  const url = URL.createObjectURL(new Blob([`${text}\n`], { type: 'text/plain' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function LogPane() {
  const host = useRef<HTMLDivElement>(null);
  const toolbar = useRef<HTMLDivElement>(null);
  const term = useRef<LogTerminal | null>(null);
  const [follow, setFollow] = useState(true);
  const [timestamps, setTimestamps] = useState(true);
  const [wrap, setWrap] = useState(true);
  const [filter, setFilter] = useState('');
  const [search, setSearch] = useState('');
  const [matches, setMatches] = useState<number | undefined>();
  const [newLines, setNewLines] = useState(0);
  const [source, setSource] = useState<Source>('');
  const [previous, setPrevious] = useState(false);
  const [readNote, setReadNote] = useState<string>();
  const connected = useLab((s) => s.connection.status === 'connected');
  const pods = useLab((s) => s.pods);

  const sources = useMemo(
    () => pods.flatMap((p) => (p.containers.length > 0 ? p.containers : [{ name: 'agent' }]).map((c) => ({ value: `${p.name}/${c.name}`, pod: p.name, container: c.name, live: p.app === 'opamp-agent' && c.name === 'agent' }))),
    [pods],
  );
  const picked = sources.find((s) => s.value === source);

  useEffect(() => {
    const logs = getStore().logs;
    const t = new LogTerminal(host.current!, () => logs.all());
    t.setTheme(document.documentElement.dataset.theme !== 'light');
    letFocusLeave(t.term, () => toolbar.current?.querySelector<HTMLElement>('button, select, input')?.focus(), true);
    term.current = t;
    t.append(logs.all());
    const off = logs.onLines((lines) => t.append(lines));
    const offReset = logs.onReset(() => t.redraw());
    const ro = new ResizeObserver(() => t.resize());
    ro.observe(host.current!);
    const mo = new MutationObserver(() => t.setTheme(document.documentElement.dataset.theme !== 'light'));
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => {
      off();
      offReset();
      ro.disconnect();
      mo.disconnect();
      t.dispose();
    };
  }, []);

  useEffect(() => {
    term.current?.setView({ follow });
    if (follow) {
      setNewLines(0);
      return;
    }
    // Paused: say how many lines are waiting (polled: a flood must not re-render per line).
    const id = setInterval(() => setNewLines(term.current?.newWhilePaused ?? 0), 500);
    return () => clearInterval(id);
  }, [follow]);
  useEffect(() => term.current?.setView({ timestamps }), [timestamps]);
  useEffect(() => term.current?.setView({ wrap }), [wrap]);
  useEffect(() => {
    const id = setTimeout(() => term.current?.setView({ filter }), 200);
    return () => clearTimeout(id);
  }, [filter]);

  // The source: live (all followed pods, or one agent pod) or a one-off read of another container / --previous.
  useEffect(() => {
    const t = term.current;
    if (!t) return;
    setReadNote(undefined);
    if (!picked || (picked.live && !previous)) {
      t.showFixed(undefined);
      t.setView({ pod: picked?.pod ?? '' });
      return;
    }
    let stale = false;
    t.setView({ pod: '' });
    t.showFixed([]);
    void runOperation(`Read log of ${picked.value}${previous ? ' (previous container)' : ''}`, () => getLab().readPodLog({ pod: picked.pod, container: picked.container, previous }), (r) => `${r.lines.length} lines${r.truncated ? ' (the last ones; older lines cut)' : ''}`).then((r) => {
      if (stale) return;
      if (!r) {
        setReadNote('could not read this log: see the notification');
        return;
      }
      setReadNote(`${r.lines.length} lines read once${r.truncated ? ' (older lines cut)' : ''}; not live`);
      t.showFixed(r.lines.map((l, i) => ({ seq: i, pod: r.pod, container: r.container, source: 'pod-log', at: l.at, text: l.text })));
    });
    return () => {
      stale = true;
    };
  }, [picked?.value, picked?.live, previous]);

  useEffect(() => {
    const id = setTimeout(() => setMatches(search && term.current ? countMatches(term.current.viewLines(), search) : undefined), 200);
    return () => clearTimeout(id);
  }, [search, filter, source, previous]);

  return (
    <div className="logs">
      <div className="toolbar" ref={toolbar} role="toolbar" aria-label="Log tools">
        <label>
          <span className="sr">Log source</span>
          <select aria-label="Log source: pod and container" value={source} onChange={(e) => setSource(e.target.value)}>
            <option value="">all agent pods (live)</option>
            {sources.map((s) => (
              <option key={s.value} value={s.value}>
                {s.value}
                {s.live ? ' (live)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label title="kubectl logs --previous: the container instance before the last restart">
          <input type="checkbox" checked={previous} disabled={!picked} onChange={(e) => setPrevious(e.target.checked)} /> previous container
        </label>
        <button aria-pressed={!follow} onClick={() => setFollow(!follow)}>
          {follow ? 'Pause' : newLines > 0 ? `Follow (${newLines} new lines)` : 'Follow'}
        </button>
        <label>
          <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} /> wrap
        </label>
        <label>
          <input type="checkbox" checked={timestamps} onChange={(e) => setTimestamps(e.target.checked)} /> timestamps
        </label>
        <input aria-label="Filter log lines" placeholder="filter" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <input
          aria-label="Search in log"
          aria-describedby="log-search-count"
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
        <span id="log-search-count" className={matches === 0 ? 'warn' : 'muted'} aria-live="polite" data-testid="log-search-count">
          {matches === undefined ? '' : matches === 0 ? 'no match' : `${matches} match${matches === 1 ? '' : 'es'}`}
        </span>
        <button onClick={() => term.current && download(term.current.viewLines(), `${picked ? picked.value.replace('/', '-') : 'opamp-agent'}${previous ? '-previous' : ''}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`)}>
          Download
        </button>
        <span className="muted">{LEAVE_TERMINAL_KEY} leaves the log</span>
        {readNote && <span className="muted" role="status">{readNote}</span>}
        {!connected && <span className="muted">no lab connected: logs appear once connected</span>}
      </div>
      <div ref={host} className={`xterm-host${wrap ? '' : ' nowrap'}`} data-testid="log-pane" aria-label="Agent logs" />
    </div>
  );
}

// effective.yaml as the agent wrote it, each line marked by where it came from,
// plus the version history with a diff between any two versions.
import { useEffect, useMemo, useRef, useState } from 'react';
import { EditorView } from '@codemirror/view';
import { MergeView } from '@codemirror/merge';
import type { AgentPodState } from '../../shared/state';
import { jumpToOrigin, readOnlyYaml, showDocument } from './codemirror';
import { clock } from './format';
import { useLab } from './store';

const NO_AGENTS: AgentPodState[] = [];

export function ConfigViewer({ onEditOverlay }: { onEditOverlay: () => void }) {
  const agents = useLab((s) => s.agents) ?? NO_AGENTS;
  const [podChoice, setPodChoice] = useState<string | undefined>();
  const agent = agents.find((a) => a.pod === podChoice) ?? agents[0];
  const versions = agent?.effectiveConfig ?? [];
  const [pick, setPick] = useState<string | undefined>(); // sha of a pinned version; undefined = latest
  const [diffFrom, setDiffFrom] = useState<string>('');
  const current = versions.find((v) => v.sha256 === pick) ?? versions.at(-1);
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const diffHost = useRef<HTMLDivElement>(null);
  const [jumpMsg, setJumpMsg] = useState('');

  useEffect(() => {
    view.current = new EditorView({ parent: host.current!, extensions: readOnlyYaml() });
    return () => view.current?.destroy();
  }, []);
  useEffect(() => {
    if (view.current) showDocument(view.current, current?.content ?? '', current?.origins ?? []);
  }, [current?.sha256, current?.content, current?.origins]);

  const from = versions.find((v) => v.sha256 === diffFrom);
  useEffect(() => {
    if (!from || !current || !diffHost.current) return;
    const merge = new MergeView({
      parent: diffHost.current,
      a: { doc: from.content, extensions: readOnlyYaml().slice(0, 5) },
      b: { doc: current.content, extensions: readOnlyYaml().slice(0, 5) },
    });
    return () => merge.destroy();
  }, [from, current]);

  const counts = useMemo(() => {
    const c = { overlay: 0, base: 0, supervisor: 0 };
    for (const o of current?.origins ?? []) c[o]++;
    return c;
  }, [current]);

  return (
    <div className="config">
      <div className="toolbar">
        {agents.length > 1 && (
          <select aria-label="Agent pod" value={agent?.pod} onChange={(e) => setPodChoice(e.target.value)}>
            {agents.map((a) => (
              <option key={a.pod}>{a.pod}</option>
            ))}
          </select>
        )}
        <select aria-label="Version" value={pick ?? ''} onChange={(e) => setPick(e.target.value || undefined)}>
          <option value="">latest{versions.length ? ` (v${versions.length})` : ''}</option>
          {versions.map((v, i) => (
            <option key={v.sha256} value={v.sha256}>
              v{i + 1} · {clock(v.seenAt)} · {v.sha256.slice(0, 8)}
            </option>
          ))}
        </select>
        <select aria-label="Diff against version" value={diffFrom} onChange={(e) => setDiffFrom(e.target.value)}>
          <option value="">no diff</option>
          {versions.map((v, i) => (
            <option key={v.sha256} value={v.sha256} disabled={v.sha256 === current?.sha256}>
              diff from v{i + 1} · {v.sha256.slice(0, 8)}
            </option>
          ))}
        </select>
        <span className="legend" aria-label="Line origin legend">
          <span className="swatch origin-overlay">overlay {counts.overlay}</span>
          <span className="swatch origin-base">base collector.yaml {counts.base}</span>
          <span className="swatch origin-supervisor">supervisor {counts.supervisor}</span>
        </span>
        <button
          onClick={() => setJumpMsg(view.current && current && jumpToOrigin(view.current, current.origins, 'overlay') ? '' : 'no overlay lines yet')}
        >
          Jump to overlay
        </button>
        <button onClick={onEditOverlay}>Edit overlay…</button>
        <span className="muted" aria-live="polite">
          {jumpMsg || (current ? `${current.size} bytes · mtime ${clock(current.mtime)} · ${current.sha256.slice(0, 12)}` : '')}
        </span>
      </div>
      {!current && <div className="empty">No effective.yaml yet: it appears once the supervisor writes /storage/effective.yaml.</div>}
      <div ref={host} className="cm-host" data-testid="effective-yaml" hidden={!current || Boolean(from)} />
      {from && <div ref={diffHost} className="cm-host diff" aria-label="Diff between versions" />}
    </div>
  );
}

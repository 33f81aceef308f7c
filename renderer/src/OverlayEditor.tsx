// Paste or pick an overlay, validate it as you type, send it to the agent
// through the server; "Open server UI" does it the guide's way.
import { useEffect, useRef, useState } from 'react';
import type { OverlayValidation } from '../../shared/api';
import { GUIDE_OVERLAYS } from '../../shared/guideOverlays';
import { getLab } from '../lab/getLab';
import { openUrl } from '../lab/openUrl';
import { operations } from './operations';
import { useLab } from './store';

export function OverlayEditor() {
  const [text, setText] = useState(GUIDE_OVERLAYS[0]!.text);
  const [validation, setValidation] = useState<OverlayValidation | undefined>();
  const [sendError, setSendError] = useState<string | undefined>();
  const overlay = useLab((s) => s.overlay);
  const forwards = useLab((s) => s.forwards);
  const connected = useLab((s) => s.connection.status === 'connected');
  const area = useRef<HTMLTextAreaElement>(null);
  const ui = forwards.find((f) => f.name === 'ui');

  useEffect(() => {
    let stale = false;
    const id = setTimeout(() => {
      getLab()
        .validateOverlay({ text })
        .then((v) => !stale && setValidation(v), (e: Error) => !stale && setValidation({ ok: false, errors: [{ message: e.message }], keyPaths: [] }));
    }, 250);
    return () => {
      stale = true;
      clearTimeout(id);
    };
  }, [text]);

  const goTo = (line?: number, col?: number) => {
    const el = area.current;
    if (!el || !line) return;
    const lines = text.split('\n');
    const offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + Math.max(0, (col ?? 1) - 1);
    el.focus();
    el.setSelectionRange(offset, offset);
  };

  const send = async () => {
    setSendError(undefined);
    try {
      await operations.run('Send overlay to the agent', () => getLab().pushOverlay({ text }), (r) => `sent to ${r.instanceUids.length} agent${r.instanceUids.length === 1 ? '' : 's'} (config hash ${r.hash}); waiting for APPLIED`);
    } catch (e) {
      setSendError((e as Error).message);
    }
  };

  return (
    <div className="overlay">
      <div className="toolbar">
        <label>
          Pick{' '}
          <select aria-label="Pick an overlay" onChange={(e) => setText(GUIDE_OVERLAYS.find((o) => o.id === e.target.value)?.text ?? '')}>
            {GUIDE_OVERLAYS.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
            <option value="">(empty — paste your own)</option>
          </select>
        </label>
        <button onClick={() => void send()} disabled={!connected || !validation?.ok || overlay.status === 'sending'}>
          Send to agent
        </button>
        <button disabled={!ui?.url || ui.health !== 'up'} onClick={() => ui?.url && void openUrl(ui.url)}>
          Open server UI ↗
        </button>
        <span className={`overlay-status status-${overlay.status}`} role="status" aria-live="polite" data-testid="overlay-status">
          {overlay.status === 'idle' ? '' : `overlay ${overlay.status}${overlay.hash ? ` · ${overlay.hash.slice(0, 8)}` : ''}${overlay.error ? `: ${overlay.error}` : ''}`}
        </span>
      </div>
      <textarea
        ref={area}
        className="overlay-text"
        aria-label="Overlay YAML"
        aria-invalid={validation ? !validation.ok : undefined}
        aria-describedby="overlay-problems"
        spellCheck={false}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <div id="overlay-problems" className="problems" aria-live="polite">
        {sendError && <div className="error" role="alert">{sendError}</div>}
        {validation && !validation.ok
          ? validation.errors.map((err, i) => (
              <button key={i} className="error linkish" onClick={() => goTo(err.line, err.col)}>
                {err.line ? `line ${err.line}${err.col ? `, col ${err.col}` : ''}: ` : ''}
                {err.message}
              </button>
            ))
          : validation && <span className="muted">valid · sets {validation.keyPaths.join(', ') || 'nothing'}</span>}
      </div>
    </div>
  );
}

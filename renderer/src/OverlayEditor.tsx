// Paste or pick an overlay, validate it as you type with the collector's own rules (the one validator in
// shared/collectorConfig, merged onto the lab's collector.yaml), send it to the agent through the server;
// "Open server UI" does it the guide's way. An overlay the collector would refuse can still be sent, after
// a confirmation, to practise the failure. The verdict shown never contradicts the agent's: when the
// agent reported FAILED for this text, that is what the panel says.
import { useEffect, useRef, useState } from 'react';
import type { OverlayValidation } from '../../shared/api';
import { GUIDE_OVERLAYS } from '../../shared/guideOverlays';
import { getLab } from '../lab/getLab';
import { OverlayTimeline } from './OverlayTimeline';
import { openUrl } from '../lab/openUrl';
import { operations } from './operations';
import { useLab } from './store';

type Problem = { message: string; line?: number; col?: number; suggestion?: string; fix?: string };

export function OverlayEditor() {
  const [text, setText] = useState(GUIDE_OVERLAYS[0]!.text);
  const [validation, setValidation] = useState<OverlayValidation | undefined>();
  const [sendError, setSendError] = useState<string | undefined>();
  const [confirming, setConfirming] = useState(false);
  const overlay = useLab((s) => s.overlay);
  const forwards = useLab((s) => s.forwards);
  const connected = useLab((s) => s.connection.status === 'connected');
  const area = useRef<HTMLTextAreaElement>(null);
  const ui = forwards.find((f) => f.name === 'ui');

  useEffect(() => {
    let stale = false;
    setConfirming(false);
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

  const send = async (force = false) => {
    setSendError(undefined);
    setConfirming(false);
    try {
      await operations.run('Send overlay to the agent', () => getLab().pushOverlay({ text, ...(force ? { force: true } : {}) }), (r) => `sent to ${r.instanceUids.length} agent${r.instanceUids.length === 1 ? '' : 's'} (config hash ${r.hash}); waiting for APPLIED`);
    } catch (e) {
      setSendError((e as Error).message);
    }
  };

  // One verdict: the YAML check, then the collector's; both come from shared/.
  const problems: Problem[] = validation ? (!validation.ok ? validation.errors : validation.collector && !validation.collector.ok ? validation.collector.errors : []) : [];
  const clean = validation !== undefined && problems.length === 0;
  const agentFailedThis = overlay.status === 'failed' && overlay.text === text;
  const busy = overlay.status === 'sending';

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
        {clean || !validation ? (
          <button onClick={() => void send()} disabled={!connected || !clean || busy}>
            Send to agent
          </button>
        ) : (
          <button onClick={() => setConfirming(true)} disabled={!connected || busy || text.trim() === ''} aria-haspopup="dialog">
            Send anyway…
          </button>
        )}
        <button disabled={!ui?.url || ui.health !== 'up'} onClick={() => ui?.url && void openUrl(ui.url)}>
          Open server UI ↗
        </button>
        <span className={`overlay-status status-${overlay.status}`} role="status" aria-live="polite" data-testid="overlay-status">
          {overlay.status === 'idle' ? '' : `overlay ${overlay.status}${overlay.hash ? ` · ${overlay.hash.slice(0, 8)}` : ''}${overlay.error ? `: ${overlay.error}` : ''}`}
        </span>
      </div>
      {confirming && (
        <div className="confirm" role="alertdialog" aria-label="Send an overlay the collector refuses" data-testid="overlay-confirm">
          <span>
            {validation && !validation.ok
              ? 'The supervisor cannot merge this overlay: it will report FAILED at once and keep the previous config.'
              : 'otelcol-contrib will refuse this overlay at startup: the supervisor restarts it every 5 s and reports FAILED ("Config apply timeout exceeded"); no pipeline runs meanwhile.'}{' '}
            Send it anyway to practise the failure?
          </span>
          <button onClick={() => void send(true)}>Send anyway</button>
          <button onClick={() => setConfirming(false)}>Cancel</button>
        </div>
      )}
      <textarea
        ref={area}
        className="overlay-text"
        aria-label="Overlay YAML"
        aria-invalid={validation ? !clean : undefined}
        aria-describedby="overlay-problems"
        spellCheck={false}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <div id="overlay-problems" className="problems" aria-live="polite" data-testid="overlay-problems" data-verdict={validation ? (clean && !agentFailedThis ? 'valid' : 'invalid') : 'pending'}>
        {sendError && <div className="error" role="alert">{sendError}</div>}
        {problems.map((err, i) => (
          <button key={i} className="error linkish problem" onClick={() => goTo(err.line, err.col)}>
            {err.line ? `line ${err.line}${err.col ? `, col ${err.col}` : ''}: ` : ''}
            {err.message.split('\n').filter((l) => l.trim() !== '').join(' ')}
            {err.suggestion ? ` — did you mean "${err.suggestion}"?` : ''}
            {err.fix ? <span className="fix"> Fix: {err.fix}.</span> : null}
          </button>
        ))}
        {clean && agentFailedThis && (
          <span className="error">The collector's rules find nothing wrong here, but the agent reported FAILED for this overlay: {overlay.error ?? 'see the criteria'}.</span>
        )}
        {clean && !agentFailedThis && <span className="muted">valid for otelcol-contrib 0.136 · sets {validation.keyPaths.join(', ') || 'nothing'}</span>}
      </div>
      <OverlayTimeline />
    </div>
  );
}

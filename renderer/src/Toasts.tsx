// Toasts for long operations (start with a progress bar, end with the result in
// full) and the status drawer that keeps every one of them. Nothing is cut: a
// long result wraps, and the drawer shows all of it with its times.
import { useEffect, useState } from 'react';
import { clock } from './format';
import { useOperations, type Operation } from './operations';
import { useNow } from './useNow';

const SHOW_DONE_MS = 8000;
/** Failures stay longer; all of them stay in the activity drawer. */
const SHOW_FAILED_MS = 30_000;

export function Toasts({ onOpenDrawer }: { onOpenDrawer: () => void }) {
  const ops = useOperations();
  const now = useNow(1000);
  const [dismissed, setDismissed] = useState<ReadonlySet<number>>(new Set());
  const visible = ops.filter((o) => !dismissed.has(o.id) && (o.status === 'running' || now - (o.endedAt ?? 0) < (o.status === 'failed' ? SHOW_FAILED_MS : SHOW_DONE_MS)));
  return (
    <div className="toasts" role="region" aria-label="Notifications">
      <div aria-live="polite" className="toasts-stack">
        {visible.slice(-4).map((o) => (
          <div key={o.id} className={`toast toast-${o.status}`} data-operation={o.status}>
            <OperationText o={o} />
            <div className="toast-actions">
              <button type="button" onClick={onOpenDrawer}>All activity</button>
              {o.status !== 'running' && (
                <button type="button" aria-label={`Dismiss: ${o.title}`} onClick={() => setDismissed(new Set([...dismissed, o.id]))}>
                  Dismiss
                </button>
              )}
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}

function OperationText({ o }: { o: Operation }) {
  const verb = o.status === 'running' ? 'started' : o.status === 'done' ? 'done' : 'failed';
  return (
    <>
      <div className="toast-title">
        <strong>{o.title}</strong> <span className={`op-${o.status}`}>{verb}</span>
        <span className="muted"> {clock(o.startedAt)}{o.endedAt ? ` → ${clock(o.endedAt)} (${((o.endedAt - o.startedAt) / 1000).toFixed(1)} s)` : ''}</span>
      </div>
      {o.status === 'running' && <progress className="op-progress" aria-label={`${o.title}: in progress`} />}
      {o.result && <div className="toast-result">{o.result}</div>}
    </>
  );
}

/** Every operation of this session, newest first, with its full result. */
export function StatusDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ops = useOperations();
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, onClose]);
  if (!open) return null;
  return (
    <aside className="drawer" role="dialog" aria-modal="false" aria-label="Activity">
      <div className="drawer-head">
        <h2>Activity</h2>
        <button type="button" onClick={onClose} autoFocus>Close</button>
      </div>
      {ops.length === 0 ? (
        <p className="muted">Nothing run yet.</p>
      ) : (
        <ol className="drawer-list">
          {[...ops].reverse().map((o) => (
            <li key={o.id} className={`toast toast-${o.status}`}>
              <OperationText o={o} />
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}

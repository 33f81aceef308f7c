// The round trip of the last overlay, per agent pod: saved → sent with hash → received by the
// supervisor → effective.yaml written → collector restarted → APPLIED/FAILED → test span seen,
// drawn on one time axis from the save (shared/overlayTimeline.ts fills the steps).
import type { OverlayTimeline as Timeline } from '../../shared/overlayTimeline';
import { useLab } from './store';

function seconds(ms: number): string {
  return `+${(ms / 1000).toFixed(1)} s`;
}

function TimelineRow({ pod, t }: { pod: string; t: Timeline }) {
  const t0 = t.steps[0]?.at ?? 0;
  const last = Math.max(1000, ...t.steps.map((s) => (s.at !== undefined ? s.at - t0 : 0)));
  return (
    <figure className="timeline" data-testid="overlay-timeline" data-pod={pod} aria-label={`Overlay round trip for ${pod}, hash ${t.hash.slice(0, 12)}`}>
      <figcaption>
        {pod} · hash <code>{t.hash.slice(0, 12)}…</code>
      </figcaption>
      <div className="timeline-axis" aria-hidden="true">
        {t.steps.map((s) =>
          s.at !== undefined ? <span key={s.id} className={`tick tick-${s.status}`} style={{ left: `${(100 * Math.max(0, s.at - t0)) / last}%` }} title={`${s.label} ${seconds(s.at - t0)}`} /> : null,
        )}
      </div>
      <ol className="timeline-steps">
        {t.steps.map((s) => (
          <li key={s.id} className={`step-${s.status}`} data-step={s.id} data-status={s.status}>
            <span className="mark" aria-hidden="true">{s.status === 'done' ? '✓' : s.status === 'failed' ? '✗' : s.status === 'skipped' ? '–' : '…'}</span>
            <span className="when">{s.at !== undefined ? seconds(s.at - t0) : ''}</span>
            <span className="label">{s.label}</span>
            {s.detail && <span className="detail muted"> {s.detail}</span>}
            <span className="sr-only"> ({s.status})</span>
          </li>
        ))}
      </ol>
    </figure>
  );
}

export function OverlayTimeline() {
  const agents = useLab((s) => s.agents);
  const rows = agents.filter((a) => a.overlayTimeline);
  if (rows.length === 0) return null;
  return (
    <section className="timelines" aria-label="Overlay round trip">
      {rows.map((a) => (
        <TimelineRow key={a.pod} pod={a.pod} t={a.overlayTimeline!} />
      ))}
    </section>
  );
}

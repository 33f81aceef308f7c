// Lab mode's progress: what you did, what was already in place, what is left,
// the time on the current step, and "Check now".
import type { GuideState } from '../../shared/state';
import { formatSpent } from './formatSpent';

export function ProgressBar({ guide, total, busy, onCheckNow }: { guide: GuideState; total: number; busy: boolean; onCheckNow(): void }) {
  const c = guide.counts ?? { done: 0, inPlace: 0, todo: total, skipped: 0 };
  const pct = (n: number) => `${(100 * n) / Math.max(1, total)}%`;
  const current = guide.steps.find((s) => s.id === guide.currentStepId);
  return (
    <div className="guide-progress" data-testid="guide-progress">
      <div className="guide-bar" role="progressbar" aria-valuemin={0} aria-valuemax={total} aria-valuenow={c.done} aria-label={`${c.done} of ${total} steps done`}>
        <span className="guide-bar-done" style={{ width: pct(c.done) }} />
        <span className="guide-bar-in-place" style={{ width: pct(c.inPlace) }} />
        <span className="guide-bar-skipped" style={{ width: pct(c.skipped) }} />
      </div>
      <div className="guide-counts">
        <span data-count="done"><span className="guide-dot guide-dot-done" /> {c.done} done</span>
        <span data-count="in-place"><span className="guide-dot guide-dot-in-place" /> {c.inPlace} already in place</span>
        <span data-count="todo"><span className="guide-dot guide-dot-todo" /> {c.todo} to do</span>
        {c.skipped > 0 && <span data-count="skipped"><span className="guide-dot guide-dot-skipped" /> {c.skipped} skipped</span>}
        {current && <span className="muted">on this step {formatSpent(current.spentMs ?? 0)}</span>}
        <button type="button" onClick={onCheckNow} disabled={busy} title="Look at the lab now and check the current step (counts as an attempt)">Check now</button>
      </div>
    </div>
  );
}

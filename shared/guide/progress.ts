// Turns the credit ledger and the current observations into GuideState. Pure.
import type { GuideState, GuideStepState, StepStatus } from '../state';
import type { GuideLedger } from './credit';
import { describeFaults } from './faults';
import type { GuideObservations } from './observations';
import { GUIDE_STEPS, type GuideStep } from './steps';

/** Longest gap one tick may add to a step's time (the app was closed or asleep meanwhile). */
const MAX_TICK_MS = 30_000;

/**
 * done: credited; failed: an attempt failed outright, or its check still does not
 * pass once the step's settle time is over (the hint shows then); in-place: passed
 * when Lab mode started; otherwise the first open step is current, the rest to do.
 */
export function evaluateGuide(l: GuideLedger, obs: GuideObservations, now: number, steps: readonly GuideStep[] = GUIDE_STEPS): GuideState {
  let current: string | undefined;
  const out: GuideStepState[] = steps.map((step) => {
    const s = l.steps[step.id] ?? {};
    const res = step.check(obs);
    let status: StepStatus;
    let detail: string;
    if (s.skipped) {
      status = 'skipped';
      detail = 'skipped';
    } else if (s.credit) {
      status = 'done';
      detail = s.credit.how;
    } else if (s.attempt && (s.attempt.failed !== undefined || (!res.ok && now - s.attempt.at > step.credit.settleMs))) {
      status = 'failed';
      detail = `${s.attempt.failed ?? res.detail} — after ${s.attempt.how}`;
    } else if (s.inPlace) {
      status = 'in-place';
      detail = `already in place when Lab mode started: ${res.detail}`;
    } else {
      status = current === undefined ? 'current' : 'todo';
      if (step.credit.trigger === 'faults') detail = describeFaults(l.faults);
      else if (s.attempt) detail = `checking after ${s.attempt.how}: ${res.detail}`;
      else if (res.ok && step.credit.trigger === 'command') detail = 'ready: run the command in a lab shell (or Do it for me)';
      else detail = res.ok ? 'the state is there; the app has not seen you do this step yet' : res.detail;
    }
    if ((status === 'current' || status === 'failed') && current === undefined) current = step.id;
    return {
      id: step.id,
      status,
      checkedAt: now,
      detail,
      ...(s.credit ? { by: s.credit.by, doneAt: s.credit.at } : {}),
      ...(s.spentMs ? { spentMs: s.spentMs } : {}),
    };
  });
  const count = (...st: StepStatus[]): number => out.filter((x) => st.includes(x.status)).length;
  return {
    steps: out,
    ...(current ? { currentStepId: current } : {}),
    counts: { done: count('done'), inPlace: count('in-place'), todo: count('todo', 'current', 'failed'), skipped: count('skipped') },
    startedAt: l.startedAt,
  };
}

/** Adds the time since the last tick to the current step (capped), and remembers which step is current. */
export function tick(l: GuideLedger, currentId: string | undefined, now: number): GuideLedger {
  const last = l.lastTick ?? now;
  const gap = Math.max(0, Math.min(now - last, MAX_TICK_MS));
  const id = l.currentId;
  const steps = id && gap > 0 ? { ...l.steps, [id]: { ...(l.steps[id] ?? {}), spentMs: (l.steps[id]?.spentMs ?? 0) + gap } } : l.steps;
  const { currentId: _c, ...rest } = l;
  return { ...rest, steps, lastTick: now, ...(currentId ? { currentId } : {}) };
}

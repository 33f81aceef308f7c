// Turns saved marks and check results into GuideState. Pure.
import type { GuideState, GuideStepState, StepStatus } from '../state';
import type { GuideObservations } from './observations';
import { GUIDE_STEPS, type GuideStep } from './steps';

export type SavedMark = 'done' | 'skipped';
export type SavedProgress = Record<string, SavedMark>;

/**
 * A step is done when saved as done/skipped or its check passes now; the first
 * step not done is current. A failed check on the current step shows as failed
 * once `failedSince` is older than the grace period, so hints appear after a real try.
 */
export function evaluateGuide(
  obs: GuideObservations,
  saved: SavedProgress,
  now: number,
  steps: readonly GuideStep[] = GUIDE_STEPS,
  currentSince?: number,
  graceMs = 20_000,
): GuideState {
  let current: string | undefined;
  const out: GuideStepState[] = steps.map((step) => {
    const res = step.check(obs);
    const mark = saved[step.id];
    let status: StepStatus;
    if (mark === 'skipped') status = 'skipped';
    else if (mark === 'done' || (res.ok && current === undefined)) status = 'done';
    else if (current === undefined) {
      current = step.id;
      status = currentSince !== undefined && now - currentSince > graceMs && !res.ok ? 'failed' : 'current';
    } else status = res.ok ? 'done' : 'todo';
    return { id: step.id, status, checkedAt: now, detail: res.detail };
  });
  return { steps: out, ...(current ? { currentStepId: current } : {}) };
}

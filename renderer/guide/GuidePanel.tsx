// Lab mode: the workshop's steps with live status, the current one open, the
// doctor's findings and the fault exercises. State comes from the engine
// (LabState.guide); before the engine fills it, the checks run here on the
// LabState alone.
import { useEffect, useMemo, useState } from 'react';
import { buildGuideObservations } from '../../shared/guide/observations';
import { evaluateGuide } from '../../shared/guide/progress';
import { GUIDE_STEPS } from '../../shared/guide/steps';
import type { GuideState, LabState } from '../../shared/state';
import { getLab } from '../lab/getLab';
import { getStore, useLab } from '../src/store';
import { DiagnosisList } from './DiagnosisList';
import { FaultButtons } from './FaultButtons';
import { StepCard } from './StepCard';
import './guide.css';

function localGuide(state: LabState): GuideState {
  return evaluateGuide(buildGuideObservations(state), {}, Date.now());
}

export function GuidePanel() {
  const guide = useLab((s) => s.guide);
  const connection = useLab((s) => s.connection);
  const pods = useLab((s) => s.pods);
  const diagnoses = useLab((s) => s.diagnoses);
  const agents = useLab((s) => s.agents);
  const overlay = useLab((s) => s.overlay);
  const effective: GuideState = useMemo(
    () => (guide.steps.length > 0 ? guide : localGuide(getStore().getState())),
    [guide, pods, agents, overlay, diagnoses],
  );
  const [open, setOpen] = useState<string | undefined>(effective.currentStepId);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ step: string; message: string }>();

  // Auto-advance: when the current step changes, open the new one.
  useEffect(() => setOpen(effective.currentStepId), [effective.currentStepId]);

  const namespace = connection.namespace ?? 'opamp';
  const pod = pods.find((p) => p.app === 'opamp-agent' && p.ready && !p.terminating)?.name;
  const run = async (stepId: string, f: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await f();
    } catch (err) {
      setError({ step: stepId, message: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  if (connection.status !== 'connected') {
    return <div className="empty" role="status">Connect to a cluster or start the embedded lab to begin the guided lab.</div>;
  }
  const done = effective.steps.filter((s) => s.status === 'done' || s.status === 'skipped').length;
  return (
    <div className="guide">
      <section className="card" aria-label="Guided lab">
        <h2>Guided lab — {done} of {GUIDE_STEPS.length} steps</h2>
        <ol className="guide-steps">
          {GUIDE_STEPS.map((step, i) => {
            const st = effective.steps.find((s) => s.id === step.id) ?? { id: step.id, status: 'todo' as const };
            return (
              <StepCard
                key={step.id}
                step={step}
                state={st}
                index={i}
                open={open === step.id}
                namespace={namespace}
                {...(pod ? { pod } : {})}
                busy={busy}
                {...(error?.step === step.id ? { error: error.message } : {})}
                onToggle={() => setOpen(open === step.id ? undefined : step.id)}
                onAction={() => void run(step.id, () => getLab().runStepAction({ stepId: step.id }))}
                onSkip={() =>
                  void run(step.id, async () => {
                    if (step.action) await getLab().runStepAction({ stepId: step.id });
                    await getLab().setGuideProgress({ stepId: step.id, status: 'skipped' });
                  })
                }
              />
            );
          })}
        </ol>
      </section>
      <DiagnosisList diagnoses={diagnoses} />
      <FaultButtons />
    </div>
  );
}

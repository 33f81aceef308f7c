// Lab mode: the workshop's steps, credited from what the attendee does (the
// engine's LabState.guide), a progress bar with Check now, the doctor's findings
// and the fault exercises. On the embedded lab it can start from scratch (a
// blank lab: the namespace only) or with the lab deployed.
import { useEffect, useState } from 'react';
import type { StepActionResult } from '../../shared/api';
import { GUIDE_STEPS } from '../../shared/guide/steps';
import { getLab } from '../lab/getLab';
import { openUrl } from '../lab/openUrl';
import { ConfirmButton } from '../src/ConfirmButton';
import { operations } from '../src/operations';
import { useLab } from '../src/store';
import { DiagnosisList } from './DiagnosisList';
import { FaultButtons } from './FaultButtons';
import { ProgressBar } from './ProgressBar';
import { StepCard } from './StepCard';
import './guide.css';

function StartButtons({ busy, onStart, replaces }: { busy: boolean; onStart(blank: boolean): void; replaces: boolean }) {
  // With a lab running, starting another one throws it away: ask first.
  if (replaces) {
    return (
      <span className="guide-start">
        <ConfirmButton label="Start from scratch" question="Replace the running lab with a blank one?" confirm="Yes, start from scratch" disabled={busy} onConfirm={() => onStart(true)} title="A new embedded lab with only the namespace: you deploy everything yourself" />
        <ConfirmButton label="Start with the lab deployed" question="Replace the running lab with a freshly deployed one?" confirm="Yes, start again" disabled={busy} onConfirm={() => onStart(false)} title="A new embedded lab with the server and agent already deployed" />
      </span>
    );
  }
  return (
    <span className="guide-start">
      <button type="button" disabled={busy} onClick={() => onStart(true)} title="A new embedded lab with only the namespace: you deploy everything yourself">
        Start from scratch
      </button>
      <button type="button" disabled={busy} onClick={() => onStart(false)} title="A new embedded lab with the server and agent already deployed">
        Start with the lab deployed
      </button>
    </span>
  );
}

export function GuidePanel() {
  const guide = useLab((s) => s.guide);
  const connection = useLab((s) => s.connection);
  const pods = useLab((s) => s.pods);
  const diagnoses = useLab((s) => s.diagnoses);
  const ui = useLab((s) => s.forwards.find((f) => f.name === 'ui' && f.health === 'up')?.url);
  const [open, setOpen] = useState<string | undefined>(guide.currentStepId);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ step: string; message: string }>();
  const [results, setResults] = useState<Record<string, StepActionResult>>({});

  // Auto-advance: when the current step changes, open the new one.
  useEffect(() => setOpen(guide.currentStepId), [guide.currentStepId]);

  const run = async (stepId: string, f: () => Promise<unknown>, title?: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await (title ? operations.run(title, f) : f());
    } catch (err) {
      setError({ step: stepId, message: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };
  const start = (blank: boolean) => void run('start', () => getLab().connect({ target: { kind: 'embedded', ...(blank ? { blank: true } : {}) } }), blank ? 'Start a blank embedded lab' : 'Start the embedded lab, deployed');

  if (connection.status !== 'connected') {
    return (
      <div className="empty" role="status">
        <p>{connection.status === 'connecting' ? 'Starting the lab…' : 'Connect to a cluster, or start an embedded lab, to begin the guided lab.'}</p>
        {connection.status !== 'connecting' && <StartButtons busy={busy} onStart={start} replaces={false} />}
        {error?.step === 'start' && <p className="guide-error" role="alert">{error.message}</p>}
      </div>
    );
  }
  const namespace = connection.namespace ?? 'opamp';
  const pod = pods.find((p) => p.app === 'opamp-agent' && p.ready && !p.terminating)?.name;
  return (
    <div className="guide">
      <section className="card" aria-label="Guided lab">
        <div className="guide-header">
          <h2>Guided lab</h2>
          {connection.target?.kind === 'embedded' && <StartButtons busy={busy} onStart={start} replaces />}
        </div>
        <ProgressBar guide={guide} total={GUIDE_STEPS.length} busy={busy} onCheckNow={() => void run(guide.currentStepId ?? 'check', () => getLab().checkGuideNow({}), 'Check now')} />
        {guide.notice && <p className="guide-notice" role="status">{guide.notice}</p>}
        {error?.step === 'start' && <p className="guide-error" role="alert">{error.message}</p>}
        <ol className="guide-steps">
          {GUIDE_STEPS.map((step, i) => {
            const st = guide.steps.find((s) => s.id === step.id) ?? { id: step.id, status: 'todo' as const };
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
                {...(results[step.id] ? { result: results[step.id] } : {})}
                {...(ui ? { serverUi: ui } : {})}
                onToggle={() => setOpen(open === step.id ? undefined : step.id)}
                onAction={() => void run(step.id, async () => {
                  const r = await getLab().runStepAction({ stepId: step.id });
                  setResults((all) => ({ ...all, [step.id]: r }));
                }, `Do it for me: step ${i + 1}`)}
                onSkip={(skip) => void run(step.id, () => getLab().setGuideProgress({ stepId: step.id, status: skip ? 'skipped' : 'todo' }))}
                onOpenUi={() => ui && void run(step.id, () => openUrl(ui))}
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

// One guide step: status and who earned it, time spent, goal, why, the guide's
// commands with copy buttons, the hint after a failed attempt, the solution,
// "Do it for me" (saying what it ran) and Skip.
import { useState } from 'react';
import type { StepActionResult } from '../../shared/api';
import type { GuideStep } from '../../shared/guide/steps';
import { fillCommand } from '../../shared/guide/steps';
import type { GuideStepState } from '../../shared/state';
import { formatSpent } from './formatSpent';

const ICON: Record<GuideStepState['status'], string> = { todo: '○', current: '▶', done: '✔', 'in-place': '◆', failed: '✖', skipped: '↷' };
const LABEL: Record<GuideStepState['status'], string> = { todo: 'to do', current: 'to do now', done: 'done', 'in-place': 'already in place', failed: 'failed', skipped: 'skipped' };
const BY: Record<NonNullable<GuideStepState['by']>, string> = { you: 'by you', app: "by the app's button", check: 'by Check now' };

export interface StepCardProps {
  step: GuideStep;
  state: GuideStepState;
  index: number;
  open: boolean;
  namespace: string;
  pod?: string;
  busy: boolean;
  error?: string;
  result?: StepActionResult;
  /** The server UI through the app's forward (Step 9). */
  serverUi?: string;
  onToggle(): void;
  onSkip(skip: boolean): void;
  onAction(): void;
  onOpenUi(): void;
}

function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="copy"
      aria-label={`${label}: ${text.split('\n')[0]}`}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => setCopied(true), () => setCopied(false));
        setTimeout(() => setCopied(false), 1500);
      }}
    >
      {copied ? 'Copied' : label}
    </button>
  );
}

export function StepCard(p: StepCardProps) {
  const [solution, setSolution] = useState(false);
  const { step, state } = p;
  const ctx = { namespace: p.namespace, ...(p.pod ? { pod: p.pod } : {}) };
  return (
    <li className={`guide-step guide-step-${state.status}`} data-step={step.id} data-status={state.status}>
      <button type="button" className="guide-step-head" aria-expanded={p.open} onClick={p.onToggle}>
        <span className="guide-icon" aria-hidden="true">{ICON[state.status]}</span> {p.index + 1}. {step.title}
        <span className={`guide-badge guide-badge-${state.status}`}>{LABEL[state.status]}{state.status === 'done' && state.by ? ` ${BY[state.by]}` : ''}</span>
        {state.spentMs ? <span className="guide-time">{formatSpent(state.spentMs)}</span> : null}
        {state.detail && <span className="guide-detail"> — {state.detail}</span>}
      </button>
      {p.open && (
        <div className="guide-step-body">
          <p><strong>Goal:</strong> {step.goal}</p>
          <p><strong>Why:</strong> {step.why}</p>
          {step.commands.map((c) => {
            const text = fillCommand(c, ctx);
            return (
              <div key={c} className="guide-command">
                <pre>{text}</pre>
                <CopyButton text={text} />
              </div>
            );
          })}
          {step.paste && (
            <div className="guide-command">
              <pre aria-label={step.paste.label}>{step.paste.text}</pre>
              <CopyButton text={step.paste.text} label="Copy overlay" />
            </div>
          )}
          {state.status === 'failed' && <p className="guide-hint"><strong>Hint:</strong> {fillCommand(step.hint, ctx)}</p>}
          {solution ? (
            <p className="guide-solution"><strong>Solution:</strong> {fillCommand(step.solution, ctx)}</p>
          ) : (
            <button type="button" onClick={() => setSolution(true)}>Show solution</button>
          )}
          <div className="guide-buttons">
            {step.id === 'push-overlay' && (
              <button type="button" disabled={!p.serverUi} onClick={p.onOpenUi} title={p.serverUi ?? 'the server UI forward is not up'}>
                Open the server UI
              </button>
            )}
            {step.action && state.status !== 'done' && (
              <button type="button" disabled={p.busy} onClick={p.onAction} title={`Runs: ${step.action.ran.map((r) => fillCommand(r, ctx)).join(' ; ')}`}>
                Do it for me
              </button>
            )}
            {state.status === 'skipped' ? (
              <button type="button" disabled={p.busy} onClick={() => p.onSkip(false)}>Un-skip</button>
            ) : state.status !== 'done' && (
              <button type="button" disabled={p.busy} onClick={() => p.onSkip(true)} title="Marks the step skipped; runs nothing">Skip</button>
            )}
          </div>
          {p.result && (
            <div className="guide-ran" role="status">
              <strong>The app ran:</strong>
              <pre>{p.result.ran.join('\n')}</pre>
              {p.result.output && <pre className="guide-output">{p.result.output}</pre>}
            </div>
          )}
          {p.error && <p className="guide-error" role="alert">{p.error}</p>}
        </div>
      )}
    </li>
  );
}

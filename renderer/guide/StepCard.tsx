// One guide step: status, goal, why, commands with copy buttons, hint, solution, skip.
import { useState } from 'react';
import type { GuideStep } from '../../shared/guide/steps';
import { fillCommand } from '../../shared/guide/steps';
import type { GuideStepState } from '../../shared/state';

const ICON: Record<GuideStepState['status'], string> = { todo: '○', current: '▶', done: '✔', failed: '✖', skipped: '↷' };

export interface StepCardProps {
  step: GuideStep;
  state: GuideStepState;
  index: number;
  open: boolean;
  namespace: string;
  pod?: string;
  busy: boolean;
  error?: string;
  onToggle(): void;
  onSkip(): void;
  onAction(): void;
}

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="copy"
      aria-label="Copy command"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => setCopied(true), () => setCopied(false));
        setTimeout(() => setCopied(false), 1500);
      }}
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

export function StepCard(p: StepCardProps) {
  const [solution, setSolution] = useState(false);
  const { step, state } = p;
  return (
    <li className={`guide-step guide-step-${state.status}`} data-step={step.id} data-status={state.status}>
      <button type="button" className="guide-step-head" aria-expanded={p.open} onClick={p.onToggle}>
        <span className="guide-icon">{ICON[state.status]}</span> {p.index + 1}. {step.title}
        {state.detail && <span className="guide-detail"> — {state.detail}</span>}
      </button>
      {p.open && (
        <div className="guide-step-body">
          <p><strong>Goal:</strong> {step.goal}</p>
          <p><strong>Why:</strong> {step.why}</p>
          {step.commands.map((c) => {
            const text = fillCommand(c, { namespace: p.namespace, ...(p.pod ? { pod: p.pod } : {}) });
            return (
              <div key={c} className="guide-command">
                <pre>{text}</pre>
                <CopyButton text={text} />
              </div>
            );
          })}
          {state.status === 'failed' && <p className="guide-hint"><strong>Hint:</strong> {step.hint}</p>}
          {solution ? (
            <p className="guide-solution"><strong>Solution:</strong> {fillCommand(step.solution, { namespace: p.namespace })}</p>
          ) : (
            <button type="button" onClick={() => setSolution(true)}>Show solution</button>
          )}
          <div className="guide-buttons">
            {step.action && (
              <button type="button" disabled={p.busy} onClick={p.onAction}>{step.action.label}</button>
            )}
            {state.status !== 'done' && state.status !== 'skipped' && (
              <button type="button" disabled={p.busy} onClick={p.onSkip}>Skip</button>
            )}
          </div>
          {p.error && <p className="guide-error" role="alert">{p.error}</p>}
        </div>
      )}
    </li>
  );
}

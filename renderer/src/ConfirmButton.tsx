// A button that asks first, for actions that break or reset the lab: the
// question replaces the button in place, focus moves to the confirm button, and
// Escape or Cancel puts the button back.
import { useState, type ReactNode } from 'react';

export function ConfirmButton({ label, question, confirm, disabled, onConfirm, title }: { label: ReactNode; question: string; confirm: string; disabled?: boolean; onConfirm: () => void; title?: string }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" disabled={disabled} title={title} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span role="alertdialog" aria-label={question} className="confirm" onKeyDown={(e) => e.key === 'Escape' && setAsking(false)}>
      <span>{question}</span>
      <button
        type="button"
        autoFocus
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirm}
      </button>
      <button type="button" onClick={() => setAsking(false)}>Cancel</button>
    </span>
  );
}

// Step 11's exercises: break the lab one way, read the doctor, put it right.
// Each button says which kubectl commands it stands for.
import { useState } from 'react';
import type { StepActionResult } from '../../shared/api';
import { FAULT_IDS, FAULTS } from '../../shared/guide/faults';
import { getLab } from '../lab/getLab';
import { ConfirmButton } from '../src/ConfirmButton';
import { operations } from '../src/operations';

export function FaultButtons() {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string>();
  const [ran, setRan] = useState<StepActionResult>();
  const run = async (what: string, f: () => Promise<StepActionResult>) => {
    setBusy(true);
    setMessage(undefined);
    setRan(undefined);
    try {
      setRan(await operations.run(what, f, (r) => r.ran.join('\n')));
      setMessage(`${what}: done; watch the doctor.`);
    } catch (err) {
      setMessage(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card guide-faults" aria-label="Fault exercises">
      <h2>Fault exercises (Step 11)</h2>
      <div className="guide-buttons">
        {FAULT_IDS.map((id) => (
          <ConfirmButton
            key={id}
            label={`Break: ${FAULTS[id].label}`}
            question={`Break the lab (${FAULTS[id].label})?`}
            confirm="Yes, break it"
            disabled={busy}
            title={FAULTS[id].about}
            onConfirm={() => void run(`Break: ${FAULTS[id].label}`, () => getLab().injectFault({ fault: id }))}
          />
        ))}
        <ConfirmButton label="Put it right" question="Reset the lab to its working state?" confirm="Yes, reset" disabled={busy} onConfirm={() => void run('Put it right', () => getLab().resetLab({}))} />
      </div>
      {message && <p role="status">{message}</p>}
      {ran && <pre className="guide-output">{ran.ran.join('\n')}</pre>}
    </section>
  );
}

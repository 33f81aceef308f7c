// Fault exercises: break the lab on purpose, then put it back.
import { useState } from 'react';
import { getLab } from '../lab/getLab';

const FAULTS: { id: string; label: string; about: string }[] = [
  { id: 'invalid-key', label: 'Invalid key', about: 'adds agent.id to supervisor.yaml' },
  { id: 'bad-endpoint', label: 'Wrong endpoint', about: 'points the supervisor at port 4321, path /opamp' },
  { id: 'no-executable', label: 'No collector', about: 'agent.executable names a missing binary' },
];

export function FaultButtons() {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string>();
  const run = async (what: string, f: () => Promise<unknown>) => {
    setBusy(true);
    setMessage(undefined);
    try {
      await f();
      setMessage(`${what}: ConfigMap updated, rollout restarted.`);
    } catch (err) {
      setMessage(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card guide-faults" aria-label="Fault exercises">
      <h2>Fault exercises</h2>
      <div className="guide-buttons">
        {FAULTS.map((f) => (
          <button key={f.id} type="button" disabled={busy} title={f.about} onClick={() => void run(f.label, () => getLab().injectFault({ fault: f.id }))}>
            {f.label}
          </button>
        ))}
        <button type="button" disabled={busy} onClick={() => void run('Reset lab', () => getLab().resetLab({}))}>Reset lab</button>
      </div>
      {message && <p role="status">{message}</p>}
    </section>
  );
}

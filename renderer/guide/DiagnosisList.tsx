// The doctor's findings, each with the log line or event it rests on.
import type { Diagnosis } from '../../shared/state';

export function DiagnosisList({ diagnoses }: { diagnoses: Diagnosis[] }) {
  if (diagnoses.length === 0) return null;
  return (
    <section className="card guide-doctor" aria-label="Doctor">
      <h2>Doctor</h2>
      {diagnoses.map((d, i) => (
        <div key={`${d.id}-${d.pod ?? ''}-${i}`} className={`diagnosis diagnosis-${d.severity}`} data-diagnosis={d.id}>
          <div className="diagnosis-title">
            {d.severity === 'error' ? '✖' : d.severity === 'warning' ? '⚠' : 'ℹ'} {d.title}
          </div>
          <div className="diagnosis-cause">{d.cause}</div>
          <div className="diagnosis-fix"><strong>Fix:</strong> {d.fix}</div>
          {d.evidence.map((e, j) => (
            <pre key={j} className="diagnosis-evidence" title={e.source}>
              {e.source ? `${e.source}: ` : ''}{e.text}
            </pre>
          ))}
        </div>
      ))}
    </section>
  );
}

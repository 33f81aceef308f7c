// The optional seventh check, "the overlay acts on data": sends one test span through a port-forward to
// the agent pod's OTLP receiver (4318) and looks for it in /storage/agent.log, printed by the debug
// exporter with opamp.ui_test added by the guide's overlay. Run on demand; shown with its evidence line.
import { useState } from 'react';
import type { AgentPodState } from '../../shared/state';
import { getLab } from '../lab/getLab';
import { EvidenceList } from './EvidenceList';

const ICON = { running: '○', pass: '✓', fail: '✗' } as const;

export function TelemetryCheck({ agent }: { agent: AgentPodState }) {
  const [error, setError] = useState<string | undefined>();
  const t = agent.telemetry;
  const status = t?.status ?? 'optional';
  const run = () => {
    setError(undefined);
    getLab().checkTelemetry({ pod: agent.pod }).catch((e: Error) => setError(e.message));
  };
  return (
    <li className={`crit crit-${t ? (t.status === 'running' ? 'pending' : t.status) : 'pending'} crit-optional`} data-check="telemetry" data-status={status}>
      <details open={Boolean(t && t.status !== 'running')}>
        <summary aria-label={`The overlay acts on data (optional): ${status}`}>
          <span className="icon" aria-hidden>{t ? ICON[t.status] : '○'}</span> The overlay acts on data <span className="muted">(optional)</span>
        </summary>
        {!t ? (
          <div className="muted">Sends one OTLP/HTTP test span to this pod's 4318 and looks for opamp.ui_test: hello-from-ui in /storage/agent.log.</div>
        ) : (
          <EvidenceList evidence={t.evidence} />
        )}
      </details>
      <button className="small" onClick={run} disabled={t?.status === 'running'}>
        {t?.status === 'running' ? 'Sending test span…' : t ? 'Send a test span again' : 'Send a test span'}
      </button>
      {t?.hint && t.status === 'fail' && <div className="hint">{t.hint}</div>}
      {error && <div className="error" role="alert">{error}</div>}
    </li>
  );
}

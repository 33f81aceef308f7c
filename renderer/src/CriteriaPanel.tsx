// The six success criteria as live checkmarks, one column per agent pod. Titles
// are this panel's own (stable before and after connecting); evidence opens
// under a disclosure arrow.
import type { AgentPodState, CriterionResult } from '../../shared/state';
import { CRITERION_IDS } from '../../shared/state';
import { clock, timeSince } from './format';
import { EvidenceList } from './EvidenceList';
import { TelemetryCheck } from './TelemetryCheck';
import { useLab } from './store';
import { useNow } from './useNow';
import { describeError } from '../../shared/errorText';

const TITLES: Record<string, string> = {
  'supervisor-pid1': 'Supervisor runs as PID 1',
  'collector-child': 'Collector spawned as a child',
  'opamp-connected': 'WebSocket connection established',
  'effective-config': 'effective.yaml generated',
  'remote-config-applied': 'Remote config from the UI applied',
  'overlay-visible': 'Changes visible in effective.yaml',
};
const ICON = { pending: '○', pass: '✓', fail: '✗' } as const;

export function CriteriaPanel() {
  const agents = useLab((s) => s.agents);
  const connection = useLab((s) => s.connection);
  const now = useNow();
  return (
    <section className="card criteria" aria-label="Success criteria">
      <h2>Success criteria</h2>
      {agents.length === 0 ? (
        <>
          <div className="muted empty-note">
            {connection.status === 'connected' ? 'No agent pods yet.' : 'Not connected to a lab.'}
          </div>
          <ul className="crit-list">
            {CRITERION_IDS.map((id) => (
              <li key={id} className="crit crit-pending" data-criterion={id} data-status="pending">
                <span className="crit-head">
                  <span className="icon" aria-hidden>{ICON.pending}</span> {TITLES[id]}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        agents.map((a) => <AgentCriteria key={a.pod} agent={a} now={now} showPod={agents.length > 1} />)
      )}
    </section>
  );
}

function AgentCriteria({ agent, now, showPod }: { agent: AgentPodState; now: number; showPod: boolean }) {
  const passed = agent.criteria.filter((c) => c.status === 'pass').length;
  return (
    <div className="agent-criteria" data-pod={agent.pod}>
      <div className="muted pod-line">
        {showPod ? 'Pod ' : ''}
        <code>{agent.pod}</code> — {passed}/{agent.criteria.length} passing
        {agent.probe.status !== 'running' && <span className="warn"> · probe {agent.probe.status}{agent.probe.error ? `: ${describeError(agent.probe.error)}` : ''}</span>}
      </div>
      <ul className="crit-list">
        {agent.criteria.map((c) => (
          <Criterion key={c.id} c={c} now={now} />
        ))}
        <TelemetryCheck agent={agent} />
      </ul>
    </div>
  );
}

/** Passing or failing says for how long; pending is a state, not an age. */
function sinceText(c: CriterionResult, now: number): string {
  if (c.status === 'pending') return 'pending';
  const ago = timeSince(c.since, now);
  return c.status === 'pass' ? `passed ${ago}` : `failing since ${clock(c.since)}`;
}

function Criterion({ c, now }: { c: CriterionResult; now: number }) {
  return (
    <li className={`crit crit-${c.status}`} data-criterion={c.id} data-status={c.status}>
      <details>
        <summary>
          <span className="icon" aria-hidden>{ICON[c.status]}</span> {TITLES[c.id] ?? c.title}
          <span className="sr">: {c.status}</span>
          <span className="since muted">{sinceText(c, now)}</span>
        </summary>
        {c.evidence.length === 0 ? (
          <div className="muted">No evidence yet.</div>
        ) : (
          <EvidenceList evidence={c.evidence} />
        )}
      </details>
      {c.hint && c.status !== 'pass' && <div className="hint">{c.hint}</div>}
    </li>
  );
}

// The Deployments with their ReplicaSets (revision, replicas) and the
// ConfigMaps, as the watches see them; each name opens its YAML.
import { humanDuration } from '../../../shared/humanDuration';
import type { WorkloadsState } from '../../../shared/state';
import type { Selection } from './selection';

export function WorkloadsList({ workloads, now, selected, onSelect }: { workloads: WorkloadsState; now: number; selected?: Selection; onSelect: (s: Selection) => void }) {
  const is = (kind: Selection['kind'], name: string) => selected?.kind === kind && selected.name === name;
  const pick = (kind: Selection['kind'], name: string) => (
    <button type="button" className="linkish" aria-pressed={is(kind, name)} onClick={() => onSelect({ kind, name })}>
      {name}
    </button>
  );
  return (
    <>
      <table className="res-table" aria-label="Deployments and ReplicaSets">
        <thead>
          <tr>
            <th scope="col">Deployment / ReplicaSet</th>
            <th scope="col">Ready</th>
            <th scope="col">Up-to-date</th>
            <th scope="col">Revision</th>
            <th scope="col">Age</th>
          </tr>
        </thead>
        <tbody>
          {workloads.deployments.map((d) => (
            <DeploymentRows key={d.name} d={d} workloads={workloads} now={now} pick={pick} selectedKey={selected ? `${selected.kind}/${selected.name}` : ''} />
          ))}
        </tbody>
      </table>
      {workloads.deployments.length === 0 && <p className="muted">No Deployments in this namespace.</p>}
      <h3 className="res-sub">ConfigMaps</h3>
      <ul className="res-cms">
        {workloads.configMaps.map((c) => (
          <li key={c.name}>
            {pick('ConfigMap', c.name)} <span className="muted">{Object.keys(c.data).join(', ') || 'no data'}</span>
            {c.name === 'opamp-agent-config' && <span className="muted"> · editable</span>}
          </li>
        ))}
      </ul>
    </>
  );
}

function DeploymentRows({ d, workloads, now, pick, selectedKey }: { d: WorkloadsState['deployments'][number]; workloads: WorkloadsState; now: number; pick: (k: Selection['kind'], n: string) => React.ReactNode; selectedKey: string }) {
  const sets = workloads.replicaSets.filter((r) => r.deployment === d.name);
  return (
    <>
      <tr className={selectedKey === `Deployment/${d.name}` ? 'selected' : undefined} data-deployment={d.name}>
        <td>{pick('Deployment', d.name)}</td>
        <td>
          <span className={`status status-${d.ready >= d.replicas ? 'ok' : 'progress'}`}>
            {d.ready}/{d.replicas}
          </span>
        </td>
        <td>{d.updated}</td>
        <td>{d.revision ?? '—'}</td>
        <td>{humanDuration(now - d.createdAt)}</td>
      </tr>
      {sets.map((r) => (
        <tr key={r.name} className={`res-child${selectedKey === `ReplicaSet/${r.name}` ? ' selected' : ''}`} data-replicaset={r.name}>
          <td>↳ {pick('ReplicaSet', r.name)}</td>
          <td>
            {r.ready}/{r.replicas}
          </td>
          <td />
          <td>{r.revision ?? '—'}</td>
          <td>{humanDuration(now - r.createdAt)}</td>
        </tr>
      ))}
    </>
  );
}

// Pods of the lab namespace as `kubectl get pods -o wide` shows them, coloured
// by status; a row's name opens its detail.
import { humanDuration } from '../../../shared/humanDuration';
import { podStatusText, readyText, restartsText, statusTone } from '../../../shared/podStatus';
import type { PodView } from '../../../shared/state';

export function PodsTable({ pods, now, selected, onSelect }: { pods: readonly PodView[]; now: number; selected?: string; onSelect: (name: string) => void }) {
  if (pods.length === 0) return <p className="muted">No pods in this namespace.</p>;
  return (
    <table className="res-table" aria-label="Pods">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Ready</th>
          <th scope="col">Status</th>
          <th scope="col">Restarts</th>
          <th scope="col">Age</th>
          <th scope="col">Node</th>
        </tr>
      </thead>
      <tbody>
        {pods.map((p) => {
          const status = podStatusText(p);
          return (
            <tr key={p.name} className={selected === p.name ? 'selected' : undefined} data-pod-row={p.name}>
              <td className="wrap">
                <button type="button" className="linkish" aria-pressed={selected === p.name} onClick={() => onSelect(p.name)}>
                  {p.name}
                </button>
              </td>
              <td>{readyText(p)}</td>
              <td>
                <span className={`status status-${statusTone(status)}`} data-status-text={status}>
                  <span aria-hidden>● </span>
                  {status}
                </span>
              </td>
              <td>{restartsText(p, now, humanDuration)}</td>
              <td>{humanDuration(now - p.createdAt)}</td>
              <td className="wrap">{p.nodeName ?? '<none>'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** What a pod's containers are doing, with the last termination (the crash-loop evidence). */
export function PodContainers({ pod, now }: { pod: PodView; now: number }) {
  return (
    <ul className="res-containers" aria-label={`Containers of ${pod.name}`}>
      {pod.containers.map((c) => (
        <li key={c.name}>
          <strong>{c.name}</strong> {c.state}
          {c.reason ? ` (${c.reason})` : ''} · ready {c.ready ? 'yes' : 'no'} · restarts {c.restartCount}
          {c.startedAt ? ` · started ${humanDuration(now - c.startedAt)} ago` : ''}
          {c.message && <div className="res-message">{c.message}</div>}
          {c.lastTermination && (
            <div className="res-message">
              last terminated: exit code {c.lastTermination.exitCode}
              {c.lastTermination.reason ? ` (${c.lastTermination.reason})` : ''}
              {c.lastTermination.finishedAt ? `, ${humanDuration(now - c.lastTermination.finishedAt)} ago` : ''}
              {c.lastTermination.message ? `: ${c.lastTermination.message}` : ''}
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}

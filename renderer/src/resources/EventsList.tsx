// The namespace's events, live from the watch, newest first, filterable by the
// object they are about (the "see the pod events" of the hints).
import { humanDuration } from '../../../shared/humanDuration';
import type { KubeEventView } from '../../../shared/state';

export function EventsList({ events, now, object, onObject }: { events: readonly KubeEventView[]; now: number; object: string; onObject: (object: string) => void }) {
  const objects = [...new Set(events.map((e) => e.object))].sort();
  const shown = events.filter((e) => !object || e.object === object).slice().reverse();
  return (
    <div className="res-events">
      <div className="toolbar">
        <label>
          Events for{' '}
          <select aria-label="Events for object" value={object} onChange={(e) => onObject(e.target.value)}>
            <option value="">every object</option>
            {object && !objects.includes(object) && <option value={object}>{object}</option>}
            {objects.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <span className="muted" aria-live="polite">
          {shown.length} event{shown.length === 1 ? '' : 's'}
        </span>
      </div>
      <table className="res-table" aria-label="Events">
        <thead>
          <tr>
            <th scope="col">Last seen</th>
            <th scope="col">Type</th>
            <th scope="col">Reason</th>
            <th scope="col">Object</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((e, i) => (
            <tr key={`${e.object}/${e.reason}/${e.at}/${i}`} className={e.type === 'Warning' ? 'ev-warning' : undefined}>
              <td className="nowrap">{humanDuration(now - e.at)}</td>
              <td>{e.type}</td>
              <td>{e.reason}</td>
              <td className="wrap">{e.object}</td>
              <td className="wrap">
                {e.message}
                {e.count > 1 ? <span className="muted"> (×{e.count})</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length === 0 && <p className="muted">No events{object ? ` for ${object}` : ''}.</p>}
    </div>
  );
}

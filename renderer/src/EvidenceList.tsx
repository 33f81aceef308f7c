// The evidence behind a verdict (a criterion or the telemetry check): each fact with its source and time.
import type { Evidence } from '../../shared/state';
import { clock } from './format';

export function EvidenceList({ evidence }: { evidence: readonly Evidence[] }) {
  return (
    <ul className="evidence">
      {evidence.map((e, i) => (
        <li key={i}>
          <code>{e.text}</code>
          <span className="muted"> {e.source ?? e.kind}{e.at ? ` · ${clock(e.at)}` : ''}</span>
        </li>
      ))}
    </ul>
  );
}

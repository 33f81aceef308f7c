// The Resources tab: what Headlamp or k9s users look at first. Pods, the
// Deployments with their ReplicaSets, ConfigMaps and events of the lab
// namespace, all from the engine's watches, and the detail of one object: its
// YAML (read-only), a pod's containers and events, the agent ConfigMap editable.
import { useState } from 'react';
import { useLab } from '../store';
import { useNow } from '../useNow';
import { ConfigMapEditor } from './ConfigMapEditor';
import { EventsList } from './EventsList';
import { PodContainers, PodsTable } from './PodsTable';
import type { Selection } from './selection';
import { WorkloadsList } from './WorkloadsList';
import { YamlView } from './YamlView';
import './resources.css';

const EDITABLE_CONFIGMAP = 'opamp-agent-config';

export function ResourcesView() {
  const pods = useLab((s) => s.pods);
  const workloads = useLab((s) => s.workloads);
  const events = useLab((s) => s.events);
  const connected = useLab((s) => s.connection.status === 'connected');
  const now = useNow(1000);
  const [selected, setSelected] = useState<Selection>();
  const [eventObject, setEventObject] = useState('');
  const [editing, setEditing] = useState(false);

  const select = (s: Selection) => {
    setSelected(s);
    setEditing(false);
    setEventObject(`${s.kind.toLowerCase()}/${s.name}`);
  };

  if (!connected) return <div className="empty">Connect to a lab to see its pods, deployments, events and ConfigMaps.</div>;

  const pod = selected?.kind === 'Pod' ? pods.find((p) => p.name === selected.name) : undefined;
  const cm = selected?.kind === 'ConfigMap' ? workloads.configMaps.find((c) => c.name === selected.name) : undefined;
  const version = JSON.stringify(
    selected?.kind === 'Pod' ? pod : selected?.kind === 'Deployment' ? workloads.deployments.find((d) => d.name === selected.name) : selected?.kind === 'ReplicaSet' ? workloads.replicaSets.find((r) => r.name === selected.name) : cm?.resourceVersion,
  );

  return (
    <div className="resources">
      <div className="res-lists">
        <section aria-label="Pods list" className="res-section">
          <h2 className="res-h">Pods</h2>
          <PodsTable pods={pods} now={now} {...(selected?.kind === 'Pod' ? { selected: selected.name } : {})} onSelect={(name) => select({ kind: 'Pod', name })} />
        </section>
        <section aria-label="Workloads" className="res-section">
          <h2 className="res-h">Deployments</h2>
          <WorkloadsList workloads={workloads} now={now} {...(selected ? { selected } : {})} onSelect={select} />
        </section>
        <section aria-label="Events list" className="res-section">
          <h2 className="res-h">Events</h2>
          <EventsList events={events} now={now} object={eventObject} onObject={setEventObject} />
        </section>
      </div>
      <section className="res-detail" aria-label="Object detail">
        {!selected ? (
          <p className="muted">Pick a pod, Deployment, ReplicaSet or ConfigMap to see its YAML. The {EDITABLE_CONFIGMAP} ConfigMap can be edited and applied here.</p>
        ) : (
          <>
            <div className="toolbar">
              <h2 className="res-h">
                {selected.kind} {selected.name}
              </h2>
              {cm && cm.name === EDITABLE_CONFIGMAP && (
                <button type="button" aria-pressed={editing} onClick={() => setEditing(!editing)}>
                  {editing ? 'Back to YAML' : 'Edit'}
                </button>
              )}
            </div>
            {pod && <PodContainers pod={pod} now={now} />}
            {cm && editing ? <ConfigMapEditor cm={cm} /> : <YamlView selection={selected} version={version ?? ''} />}
          </>
        )}
      </section>
    </div>
  );
}

// Where the lab runs: embedded or a kube context/namespace; the forwards; rollout
// restart; the activity drawer. Status text wraps rather than being cut.
import { useEffect, useState } from 'react';
import type { ContextList } from '../../shared/api';
import type { ForwardState } from '../../shared/state';
import { getLab } from '../lab/getLab';
import { openUrl } from '../lab/openUrl';
import { ConfirmButton } from './ConfirmButton';
import { KubeconfigExport } from './KubeconfigExport';
import { runOperation } from './operations';
import { useLab } from './store';
import { useBridgeStatus } from './useBridgeStatus';

const EMBEDDED = '__embedded__';
const LAB_NAMESPACE = 'opamp';

export function ClusterBar({ theme, onToggleTheme, onOpenActivity }: { theme: string; onToggleTheme: () => void; onOpenActivity: () => void }) {
  const connection = useLab((s) => s.connection);
  const forwards = useLab((s) => s.forwards);
  const rollout = useLab((s) => s.rollout);
  const workloads = useLab((s) => s.workloads);
  const pods = useLab((s) => s.pods);
  const [contexts, setContexts] = useState<ContextList | undefined>();
  const [namespaces, setNamespaces] = useState<string[]>([]);
  const [choice, setChoice] = useState<string>(EMBEDDED);
  const [namespace, setNamespace] = useState<string>('');
  const [error, setError] = useState<string | undefined>();
  const link = useBridgeStatus();

  useEffect(() => {
    getLab().listContexts({}).then(setContexts, (e: Error) => setError(e.message));
  }, []);
  useEffect(() => {
    if (connection.status !== 'connected') return;
    if (connection.target?.kind === 'embedded') setChoice(EMBEDDED);
    else if (connection.contextName) setChoice(connection.contextName);
    if (connection.namespace) setNamespace(connection.namespace);
    getLab().listNamespaces({}).then(setNamespaces, () => setNamespaces([]));
  }, [connection.status, connection.contextName, connection.namespace, connection.target?.kind]);

  const connectTo = (ns: string | undefined) => {
    setError(undefined);
    const target = choice === EMBEDDED ? ({ kind: 'embedded' } as const) : ({ kind: 'kubeconfig', context: choice, ...(ns ? { namespace: ns } : {}) } as const);
    const where = choice === EMBEDDED ? 'the embedded lab' : `${choice}${ns ? ` / ${ns}` : ''}`;
    void runOperation(`Connect to ${where}`, () => getLab().connect({ target }), () => `connected to ${where}`);
  };
  const restart = () => {
    void runOperation('Rollout restart deploy/opamp-agent', () => getLab().restartRollout({}), (r) => r.messages.join('\n'));
  };

  // Connected, the watches have listed everything, and nothing of the lab is here.
  const ns = connection.namespace ?? '';
  const noLab = connection.status === 'connected' && workloads.synced && !workloads.deployments.some((d) => d.name === 'opamp-agent' || d.name === 'opamp-server') && !pods.some((p) => p.app !== 'other');
  const busy = connection.status === 'connecting';
  const rolloutText = rollout.status === 'idle' ? '' : rollout.error ?? rollout.messages.at(-1) ?? rollout.status;
  return (
    <header className="bar" aria-label="Cluster">
      {link !== 'open' && (
        // First row of the bar (CSS order), so it pushes the bar down instead of covering it.
        <div className="backend-lost" role="alert" data-testid="backend-lost">
          {link === 'refused'
            ? 'OpAMP Lab is running but does not accept this page: its link is from an earlier start. Open the URL that opamp-lab web printed this time.'
            : 'Lost the connection to OpAMP Lab (the program serving this page). Controls are disabled until it is back; reconnecting…'}
        </div>
      )}
      <strong className="brand">OpAMP Lab</strong>
      <button onClick={onToggleTheme} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
        {theme === 'dark' ? '☀' : '☾'}
      </button>
      <label>
        <span className="sr">Cluster</span>
        <select aria-label="Cluster context" value={choice} onChange={(e) => setChoice(e.target.value)}>
          <option value={EMBEDDED} title="Runs on this machine; no cluster needed">Embedded lab</option>
          {contexts?.contexts.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="sr">Namespace</span>
        <select aria-label="Namespace" value={namespace} disabled={choice === EMBEDDED} onChange={(e) => setNamespace(e.target.value)}>
          <option value="">default for context</option>
          {namespaces.map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
      </label>
      <button onClick={() => connectTo(namespace || undefined)} disabled={busy}>
        {busy ? 'Connecting…' : connection.status === 'connected' ? 'Reconnect' : 'Connect'}
      </button>
      <span className={`conn conn-${link !== 'open' ? 'error' : noLab ? 'nolab' : connection.status}`} role="status" aria-live="polite" data-testid="connection">
        {link === 'refused' ? 'no link to the app: this page was refused' : link !== 'open' ? 'no link to the app: reconnecting' : connectionLabel(connection.status, connection.contextName, connection.namespace)}
      </span>
      <KubeconfigExport />
      <div className="chips" aria-label="Port forwards">
        {forwards.length === 0 ? <span className="muted">no forwards</span> : forwards.map((f) => <ForwardChip key={f.name} f={f} />)}
      </div>
      <div className="rollout">
        <ConfirmButton label="Rollout restart" question="Restart the agent pods?" confirm="Yes, restart" disabled={connection.status !== 'connected' || rollout.status === 'running'} onConfirm={restart} />
        {rolloutText && (
          <span className={`rollout-msg ${rollout.status === 'failed' ? 'error' : 'muted'}`} aria-live="polite" data-testid="rollout">
            {rolloutText}
          </span>
        )}
      </div>
      <button type="button" onClick={onOpenActivity}>Activity</button>
      {noLab && (
        <div className="bar-notice" role="status" data-testid="no-lab">
          {ns === LAB_NAMESPACE ? (
            <>No lab deployed in <code>{ns}</code> yet: Lab mode's Step 4 deploys it (or run <code>kubectl apply -k lab/k8s</code>).</>
          ) : (
            <>
              no lab found in <code>{ns}</code>; the lab runs in <code>{LAB_NAMESPACE}</code> —{' '}
              {connection.target?.kind === 'kubeconfig' ? (
                <button
                  type="button"
                  onClick={() => {
                    // The same kubeconfig and context as now, only the namespace changes.
                    const t = connection.target;
                    if (t?.kind !== 'kubeconfig') return;
                    setNamespace(LAB_NAMESPACE);
                    void runOperation(`Switch to namespace ${LAB_NAMESPACE}`, () => getLab().connect({ target: { ...t, namespace: LAB_NAMESPACE } }), () => `connected to ${connection.contextName ?? 'the cluster'} / ${LAB_NAMESPACE}`);
                  }}
                >
                  switch to {LAB_NAMESPACE}
                </button>
              ) : null}
              {namespaces.length > 0 && !namespaces.includes(LAB_NAMESPACE) ? <span> (this cluster has no {LAB_NAMESPACE} namespace yet: <code>kubectl apply -k lab/k8s</code> creates it)</span> : null}
            </>
          )}
        </div>
      )}
      {(error ?? connection.error) && (
        <div className="bar-error" role="alert">
          {error ?? `${connection.error?.message}${connection.error?.detail ? ` — ${connection.error.detail}` : ''}`}
        </div>
      )}
    </header>
  );
}

function connectionLabel(status: string, context?: string, ns?: string): string {
  if (status === 'connected') return `● ${context ?? ''}${ns ? ` / ${ns}` : ''}`;
  if (status === 'disconnected') return 'not connected';
  return status;
}

function ForwardChip({ f }: { f: ForwardState }) {
  const label = `${f.remotePort}${f.localPort ? ` → :${f.localPort}` : ''} ${f.health === 'up' ? '●' : f.health === 'down' ? '✗' : '…'}`;
  const title = f.error ? `${f.name}: ${f.error}` : `${f.name} forward ${f.health}${f.url ? `: ${f.url}` : ''}`;
  if (f.name === 'ui' && f.url && f.health === 'up') {
    return (
      <button className={`chip chip-${f.health}`} title={`${title} (opens the server UI)`} onClick={() => void openUrl(f.url!)}>
        {label} ↗
      </button>
    );
  }
  return (
    <span className={`chip chip-${f.health}`} title={title} aria-label={title}>
      {label}
    </span>
  );
}

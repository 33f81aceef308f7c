// Where the lab runs: embedded or a kube context/namespace; the forwards; rollout restart.
import { useEffect, useState } from 'react';
import type { ContextList } from '../../shared/api';
import type { ForwardState } from '../../shared/state';
import { getLab, onBridgeStatus, bridgeStatus } from '../lab/getLab';
import { KubeconfigExport } from './KubeconfigExport';
import { useLab } from './store';

const EMBEDDED = '__embedded__';

export function ClusterBar({ theme, onToggleTheme }: { theme: string; onToggleTheme: () => void }) {
  const connection = useLab((s) => s.connection);
  const forwards = useLab((s) => s.forwards);
  const rollout = useLab((s) => s.rollout);
  const [contexts, setContexts] = useState<ContextList | undefined>();
  const [namespaces, setNamespaces] = useState<string[]>([]);
  const [choice, setChoice] = useState<string>(EMBEDDED);
  const [namespace, setNamespace] = useState<string>('');
  const [error, setError] = useState<string | undefined>();
  const [confirming, setConfirming] = useState(false);
  const [link, setLink] = useState(bridgeStatus());

  useEffect(() => {
    const off = onBridgeStatus(setLink);
    setLink(bridgeStatus());
    return off;
  }, []);
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

  const connect = () => {
    setError(undefined);
    const target =
      choice === EMBEDDED
        ? ({ kind: 'embedded' } as const)
        : ({ kind: 'kubeconfig', context: choice, ...(namespace ? { namespace } : {}) } as const);
    getLab().connect({ target }).catch((e: Error) => setError(e.message));
  };
  const restart = () => {
    setConfirming(false);
    getLab().restartRollout({}).catch((e: Error) => setError(e.message));
  };

  const busy = connection.status === 'connecting';
  return (
    <header className="bar" aria-label="Cluster">
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
        <select
          aria-label="Namespace"
          value={namespace}
          disabled={choice === EMBEDDED}
          onChange={(e) => setNamespace(e.target.value)}
        >
          <option value="">default for context</option>
          {namespaces.map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
      </label>
      <button onClick={connect} disabled={busy}>
        {busy ? 'Connecting…' : connection.status === 'connected' ? 'Reconnect' : 'Connect'}
      </button>
      <span className={`conn conn-${connection.status}`} role="status" aria-live="polite" data-testid="connection">
        {link !== 'open' ? `link to app ${link}` : connectionLabel(connection.status, connection.contextName, connection.namespace)}
      </span>
      <KubeconfigExport />
      <div className="chips" aria-label="Port forwards">
        {forwards.length === 0 ? <span className="muted">no forwards</span> : forwards.map((f) => <ForwardChip key={f.name} f={f} />)}
      </div>
      <div className="rollout">
        {confirming ? (
          <span role="alertdialog" aria-label="Confirm rollout restart" className="confirm">
            Restart the agent pods?
            <button onClick={restart} autoFocus>
              Yes, restart
            </button>
            <button onClick={() => setConfirming(false)}>Cancel</button>
          </span>
        ) : (
          <button onClick={() => setConfirming(true)} disabled={connection.status !== 'connected' || rollout.status === 'running'}>
            Rollout restart
          </button>
        )}
        <span className="rollout-msg muted" aria-live="polite" data-testid="rollout" title={rollout.messages.join('\n')}>
          {rollout.status === 'idle' ? '' : rollout.error ?? rollout.messages.at(-1) ?? rollout.status}
        </span>
      </div>
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
      <button className={`chip chip-${f.health}`} title={title} onClick={() => void getLab().openExternal({ url: f.url! })}>
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

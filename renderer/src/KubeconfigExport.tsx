// Where the connected cluster's kubeconfig is, and a button that copies
// `export KUBECONFIG=…` so a person can use their own terminal as well.
import { useState } from 'react';
import { exportLine } from '../../shared/shellQuote';
import { useLab } from './store';
import './KubeconfigExport.css';

export function KubeconfigExport() {
  const kubeconfig = useLab((s) => (s.connection.status === 'connected' ? s.connection.kubeconfig : undefined));
  const [copied, setCopied] = useState<'yes' | 'no' | undefined>();
  if (!kubeconfig) return null;
  const line = exportLine('KUBECONFIG', kubeconfig);
  const first = kubeconfig.split(/[:;]/)[0] ?? kubeconfig;
  const copy = () => {
    navigator.clipboard?.writeText(line).then(() => setCopied('yes'), () => setCopied('no'));
    setTimeout(() => setCopied(undefined), 2000);
  };
  return (
    <span className="kubeconfig-export" data-testid="kubeconfig" title={`KUBECONFIG for your own terminal:\n${kubeconfig}`}>
      <span className="kubeconfig-path">{first.split('/').pop()}</span>
      <button type="button" onClick={copy} aria-label={`Copy ${line}`}>
        {copied === 'yes' ? 'Copied' : copied === 'no' ? 'Copy blocked' : 'Copy export KUBECONFIG'}
      </button>
    </span>
  );
}

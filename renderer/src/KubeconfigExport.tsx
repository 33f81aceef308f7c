// Where the connected cluster's kubeconfig is (its file name; the full KUBECONFIG
// value on hover), as a button that copies `export KUBECONFIG=…` so a person can
// use their own terminal as well. Compact: the cluster bar is full at 1280 px.
import { useState } from 'react';
import { exportLine } from '../../shared/shellQuote';
import { useLab } from './store';
import './KubeconfigExport.css';

export function KubeconfigExport() {
  const kubeconfig = useLab((s) => (s.connection.status === 'connected' ? s.connection.kubeconfig : undefined));
  const [copied, setCopied] = useState<'yes' | 'no' | undefined>();
  if (!kubeconfig) return null;
  const line = exportLine('KUBECONFIG', kubeconfig);
  const file = (kubeconfig.split(/[:;]/)[0] ?? kubeconfig).split(/[\\/]/).pop();
  const copy = () => {
    navigator.clipboard?.writeText(line).then(() => setCopied('yes'), () => setCopied('no'));
    setTimeout(() => setCopied(undefined), 2000);
  };
  // The label stays outside the button: the button's visible text (the file name) must be part of its
  // accessible name (WCAG 2.5.3), which is the whole export line.
  return (
    <span className="kubeconfig-wrap">
      <span className="kubeconfig-label" aria-hidden="true">KUBECONFIG</span>
      <button type="button" className="kubeconfig-export" data-testid="kubeconfig" onClick={copy} title={`KUBECONFIG=${kubeconfig}\nClick to copy: ${line}`} aria-label={`Copy ${line}`}>
        {copied === 'yes' ? 'export copied' : copied === 'no' ? 'copy blocked' : <span className="kubeconfig-path">{file}</span>}
      </button>
    </span>
  );
}

import { useEffect, useState } from 'react';
import { ClusterBar } from './ClusterBar';
import { CriteriaPanel } from './CriteriaPanel';
import { ProcessTree } from './ProcessTree';
import { ConfigViewer } from './ConfigViewer';
import { LogPane } from './LogPane';
import { TerminalPane } from './TerminalPane';
import { OverlayEditor } from './OverlayEditor';
import { PipelineGraphView } from './PipelineGraphView';
import { GuidePanel } from '../guide/GuidePanel';
import { Tabs } from './Tabs';

type Theme = 'dark' | 'light';

const TABS = [
  { id: 'logs', label: 'Logs' },
  { id: 'config', label: 'effective.yaml' },
  { id: 'overlay', label: 'Overlay' },
  { id: 'pipeline', label: 'Pipeline' },
  { id: 'terminal', label: 'Terminal' },
  { id: 'guide', label: 'Lab mode' },
] as const;
export type TabId = (typeof TABS)[number]['id'];

export function App() {
  const [theme, setTheme] = useState<Theme>(() => (matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark'));
  const [tab, setTab] = useState<TabId>('logs');
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return (
    <div className="app">
      <ClusterBar theme={theme} onToggleTheme={() => setTheme(theme === 'dark' ? 'light' : 'dark')} />
      <main className="main">
        <aside className="side" aria-label="Status">
          <CriteriaPanel />
          <ProcessTree />
        </aside>
        <section className="work">
          <Tabs tabs={TABS} current={tab} onSelect={setTab} />
          {/* Panels stay mounted so xterm and CodeMirror keep their state across tab switches. */}
          <div className="tabpanels">
            <Panel id="logs" current={tab}><LogPane /></Panel>
            <Panel id="config" current={tab}><ConfigViewer onEditOverlay={() => setTab('overlay')} /></Panel>
            <Panel id="overlay" current={tab}><OverlayEditor /></Panel>
            <Panel id="pipeline" current={tab}><PipelineGraphView /></Panel>
            <Panel id="terminal" current={tab}><TerminalPane active={tab === 'terminal'} /></Panel>
            <Panel id="guide" current={tab}><GuidePanel /></Panel>
          </div>
        </section>
      </main>
    </div>
  );
}

function Panel({ id, current, children }: { id: TabId; current: TabId; children: React.ReactNode }) {
  return (
    <div role="tabpanel" id={`panel-${id}`} aria-labelledby={`tab-${id}`} hidden={id !== current} className="tabpanel">
      {children}
    </div>
  );
}

import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { ClusterBar } from './ClusterBar';
import { CriteriaPanel } from './CriteriaPanel';
import { ProcessTree } from './ProcessTree';
import { StatusDrawer, Toasts } from './Toasts';
import { Tabs } from './Tabs';
import { initialTheme, saveTheme, type Theme } from './theme';
import { useBridgeStatus } from './useBridgeStatus';

// The tab panels come in chunks of their own (xterm, CodeMirror, dagre and the YAML parser are most of
// the renderer's code), so the cluster bar and the six criteria paint before those load and run.
const LogPane = lazy(() => import('./LogPane').then((m) => ({ default: m.LogPane })));
const ConfigViewer = lazy(() => import('./ConfigViewer').then((m) => ({ default: m.ConfigViewer })));
const OverlayEditor = lazy(() => import('./OverlayEditor').then((m) => ({ default: m.OverlayEditor })));
const PipelineGraphView = lazy(() => import('./PipelineGraphView').then((m) => ({ default: m.PipelineGraphView })));
const ResourcesView = lazy(() => import('./resources/ResourcesView').then((m) => ({ default: m.ResourcesView })));
const TerminalPane = lazy(() => import('./TerminalPane').then((m) => ({ default: m.TerminalPane })));
const GuidePanel = lazy(() => import('../guide/GuidePanel').then((m) => ({ default: m.GuidePanel })));

const TABS = [
  { id: 'logs', label: 'Logs' },
  { id: 'config', label: 'effective.yaml' },
  { id: 'overlay', label: 'Overlay' },
  { id: 'pipeline', label: 'Pipeline' },
  { id: 'resources', label: 'Resources' },
  { id: 'terminal', label: 'Terminal' },
  { id: 'guide', label: 'Lab mode' },
] as const;
export type TabId = (typeof TABS)[number]['id'];

export function App() {
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const [tab, setTab] = useState<TabId>('logs');
  const [drawer, setDrawer] = useState(false);
  const link = useBridgeStatus();
  const backendUp = link === 'open';
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    saveTheme(theme);
  }, [theme]);
  const closeDrawer = useCallback(() => setDrawer(false), []);
  return (
    <>
      {/* A disabled fieldset disables every control inside it at once while the backend is gone. */}
      <fieldset className="app" disabled={!backendUp} aria-busy={!backendUp}>
        <legend className="sr">OpAMP Lab</legend>
        <ClusterBar theme={theme} onToggleTheme={() => setTheme(theme === 'dark' ? 'light' : 'dark')} onOpenActivity={() => setDrawer(true)} />
        <main className="main">
          <aside className="side" aria-label="Status">
            <CriteriaPanel />
            <ProcessTree />
          </aside>
          <section className="work" aria-label="Views">
            <Tabs tabs={TABS} current={tab} onSelect={setTab} />
            {/* Panels stay mounted so xterm and CodeMirror keep their state across tab switches. */}
            <div className="tabpanels">
              <Panel id="logs" current={tab}><LogPane /></Panel>
              <Panel id="config" current={tab}><ConfigViewer onEditOverlay={() => setTab('overlay')} /></Panel>
              <Panel id="overlay" current={tab}><OverlayEditor /></Panel>
              <Panel id="pipeline" current={tab}><PipelineGraphView /></Panel>
              <Panel id="resources" current={tab}><ResourcesView /></Panel>
              <Panel id="terminal" current={tab}><TerminalPane active={tab === 'terminal'} /></Panel>
              <Panel id="guide" current={tab}><GuidePanel /></Panel>
            </div>
          </section>
        </main>
      </fieldset>
      <Toasts onOpenDrawer={() => setDrawer(true)} />
      <StatusDrawer open={drawer} onClose={closeDrawer} />
    </>
  );
}

function Panel({ id, current, children }: { id: TabId; current: TabId; children: React.ReactNode }) {
  return (
    <div role="tabpanel" id={`panel-${id}`} aria-labelledby={`tab-${id}`} hidden={id !== current} className="tabpanel">
      <Suspense fallback={<p className="muted">Loading…</p>}>{children}</Suspense>
    </div>
  );
}

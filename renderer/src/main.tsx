import { createRoot } from 'react-dom/client';
import { getLab, onBridgeStatus } from '../lab/getLab';
import { App } from './App';
import { LabStore, setStore } from './store';
import './theme.css';

const lab = getLab();
const store = new LabStore(lab);
setStore(store);
lab.subscribe(store.ingest);
// The first 'state' event may have gone out before we subscribed.
void store.resync();
// The log lines the engine kept from before this page (or from while its link was down).
const loadHistory = (): void => {
  lab.getLogHistory({}).then((r) => store.logs.merge(r?.lines ?? []), () => undefined);
};
loadHistory();
onBridgeStatus((status) => {
  if (status === 'open') {
    void store.resync();
    loadHistory();
  }
});

createRoot(document.getElementById('root')!).render(<App />);

import { createRoot } from 'react-dom/client';
import { getLab } from '../lab/getLab';
import { App } from './App';
import { LabStore, setStore } from './store';
import './theme.css';

const lab = getLab();
const store = new LabStore(lab);
setStore(store);
lab.subscribe(store.ingest);
// The first 'state' event may have gone out before we subscribed.
void store.resync();

createRoot(document.getElementById('root')!).render(<App />);

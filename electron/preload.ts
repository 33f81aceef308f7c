// Exposes exactly the LabApi as window.lab: one method per LabApi method and
// subscribe(). No ipcRenderer, no channel names, nothing else reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { LabApi, LabEvent } from '../shared/api';
import { LAB_METHODS, unwrapLabResult, type LabResult } from '../shared/labMethods';

const calls = Object.fromEntries(
  LAB_METHODS.map((method) => [
    method,
    async (request: unknown) => unwrapLabResult((await ipcRenderer.invoke('lab:call', method, request)) as LabResult<unknown>),
  ]),
);

const lab = {
  ...calls,
  subscribe(listener: (event: LabEvent) => void) {
    const forward = (_event: IpcRendererEvent, labEvent: LabEvent) => listener(labEvent);
    ipcRenderer.on('lab:event', forward);
    return () => {
      ipcRenderer.removeListener('lab:event', forward);
    };
  },
} as LabApi;

contextBridge.exposeInMainWorld('lab', lab);

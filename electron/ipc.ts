// Binds the LabApi to ipcMain for one window. Calls from any other frame are
// refused; requests are validated by the service before any handler runs.
import { ipcMain, type WebContents } from 'electron';
import type { LabService } from './engine/labService';

export function bindLabApi(service: LabService, contents: WebContents): void {
  ipcMain.handle('lab:call', async (event, method: unknown, request: unknown) => {
    const frame = event.senderFrame;
    if (event.sender !== contents || !frame || frame !== contents.mainFrame || !frame.url.startsWith('file://')) {
      console.error(`LabApi: refused ${String(method).slice(0, 64)} from ${frame?.url ?? 'an unknown frame'}`);
      return { ok: false, error: { kind: 'invalid-input', message: 'LabApi calls are accepted from the app window only' } };
    }
    return service.call(method, request);
  });
  const unsubscribe = service.subscribe((event) => {
    if (!contents.isDestroyed()) contents.send('lab:event', event);
  });
  contents.once('destroyed', () => {
    unsubscribe();
    ipcMain.removeHandler('lab:call');
  });
}

// The Electron shell: one sandboxed window, a strict CSP, nothing else allowed.
// All behaviour lives in the engine; this file only hosts it.
import { app, BrowserWindow, session, shell } from 'electron';
import { join } from 'node:path';
import { createEngineService } from './engine/index';
import { bindLabApi } from './ipc';
import { contentSecurityPolicy, isSafeExternalUrl } from './security';

app.enableSandbox();

const service = createEngineService({
  shell: 'electron',
  version: app.getVersion(),
  dataDir: app.getPath('userData'),
  log: (line) => console.error(line),
  openExternal: async (url) => {
    if (isSafeExternalUrl(url)) await shell.openExternal(url);
  },
});

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1280,
    minHeight: 800,
    title: 'OpAMP Lab',
    show: false,
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.once('ready-to-show', () => win.show());
  void win.loadFile(join(__dirname, '..', 'renderer', 'index.html'));
  return win;
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy('electron')] } }),
  );
  bindLabApi(service, createWindow().webContents);
  if (process.argv.includes('--embedded')) void service.call('connect', { target: { kind: 'embedded' } });
});

app.on('window-all-closed', () => {
  void service.close().finally(() => app.quit());
});

// The one accessor for the LabApi. In Electron the preload has put it on
// window.lab; in a browser it is the web shell's WebSocket bridge, authorised
// by the per-launch token in the page URL.
import type { LabApi } from '../../shared/api';
import { createWebBridge, type BridgeStatus, type WebBridge } from './webBridge';

let bridge: WebBridge | undefined;

function webSocketUrl(): string {
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}/lab?token=${encodeURIComponent(token)}`;
}

export function getLab(): LabApi {
  if (window.lab) return window.lab;
  bridge ??= createWebBridge(webSocketUrl(), {
    serverAnswers: () => fetch('/', { method: 'HEAD', cache: 'no-store' }).then((r) => r.ok, () => false),
  });
  // Same surface as Electron's preload, so scripts and tests can reach it alike.
  window.lab = bridge.api;
  return bridge.api;
}

/** The state of the link to Node: always "open" in Electron, the socket's state in a browser. */
export function bridgeStatus(): BridgeStatus {
  return bridge ? bridge.status() : 'open';
}

export function onBridgeStatus(listener: (status: BridgeStatus) => void): () => void {
  return bridge ? bridge.onStatus(listener) : () => undefined;
}

/** The browser version (web shell), where the page itself can open a tab; false in Electron. */
export function isWebVersion(): boolean {
  return bridge !== undefined;
}

import type { LabApi } from '../../shared/api';

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge) or, in a browser, by getLab(). */
    lab?: LabApi;
  }
}

export {};

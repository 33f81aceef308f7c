// The LabApi's method names and its result envelope, free of zod, so the
// Electron preload (bundled into a sandboxed script) stays tiny.
import type { LabErrorInfo } from './state';

export const LAB_METHODS = [
  'getInfo',
  'getSnapshot',
  'listContexts',
  'listNamespaces',
  'connect',
  'disconnect',
  'restartRollout',
  'validateOverlay',
  'pushOverlay',
  'readFile',
  'terminalOpen',
  'terminalWrite',
  'terminalResize',
  'terminalClose',
  'runStepAction',
  'setGuideProgress',
  'checkGuideNow',
  'injectFault',
  'resetLab',
  'openExternal',
  'checkTelemetry',
  // Dashboard views (issue 15): log history, one-off pod logs, object YAML, the agent ConfigMap.
  'getLogHistory',
  'readPodLog',
  'getObjectYaml',
  'applyConfigMap',
] as const;

export type LabMethod = (typeof LAB_METHODS)[number];

/** What crosses every bridge for a call: errors as data, so their kind survives IPC. */
export type LabResult<T> = { ok: true; value: T } | { ok: false; error: LabErrorInfo };

export class LabApiError extends Error {
  readonly kind: LabErrorInfo['kind'];
  readonly detail?: string;
  constructor(info: LabErrorInfo) {
    super(info.message);
    this.name = 'LabApiError';
    this.kind = info.kind;
    this.detail = info.detail;
  }
}

/** Turns a LabResult back into a value or a thrown LabApiError (used by both client bridges). */
export function unwrapLabResult<T>(result: LabResult<T>): T {
  if (result.ok) return result.value;
  throw new LabApiError(result.error);
}

export function isLabMethod(value: unknown): value is LabMethod {
  return typeof value === 'string' && (LAB_METHODS as readonly string[]).includes(value);
}

// The Node side of the LabApi, independent of any shell: validates each call,
// runs its handler and returns a LabResult. Shells (Electron IPC, web socket,
// tests) only move LabResults and LabEvents.
import {
  parseLabCall,
  type AppInfo,
  type LabEvent,
  type LabMethod,
  type LabRequest,
  type LabResponses,
  type LabResult,
} from '../../shared/api';
import { EngineError, toLabErrorInfo } from './errors';
import { StateStore } from './stateStore';

export type LabHandlers = {
  [M in LabMethod]: (req: LabRequest<M>) => Promise<LabResponses[M]>;
};

export interface LabService {
  call(method: unknown, request: unknown): Promise<LabResult<unknown>>;
  subscribe(listener: (event: LabEvent) => void): () => void;
  close(): Promise<void>;
}

export interface LabServiceOptions {
  shell: AppInfo['shell'];
  version: string;
  /** Handlers that the engine provides; methods left out answer "not available". */
  handlers?: Partial<LabHandlers>;
  store?: StateStore;
  onClose?: () => Promise<void>;
  /** Unexpected errors are reported here once (the shells log them). */
  onUnexpectedError?: (method: string, err: unknown) => void;
}

export function createLabService(options: LabServiceOptions): LabService {
  const store = options.store ?? new StateStore();
  const base: Partial<LabHandlers> = {
    getInfo: async () => ({ name: 'OpAMP Lab', version: options.version, shell: options.shell, embeddedLab: true }),
    getSnapshot: async () => store.snapshot(),
  };
  const handlers: Partial<LabHandlers> = { ...base, ...options.handlers };

  return {
    async call(method, request) {
      const parsed = parseLabCall(method, request);
      if (!parsed.ok) return parsed;
      const handler = handlers[parsed.method] as ((req: unknown) => Promise<unknown>) | undefined;
      try {
        if (!handler) throw new EngineError('not-found', `${parsed.method} is not available in this build`);
        return { ok: true, value: await handler(parsed.request) };
      } catch (err) {
        if (!(err instanceof EngineError)) options.onUnexpectedError?.(parsed.method, err);
        return { ok: false, error: toLabErrorInfo(err) };
      }
    },
    subscribe: (listener) => store.subscribe(listener),
    async close() {
      await options.onClose?.();
    },
  };
}

// Errors the engine expects and the UI shows: each carries a kind (see LabErrorKind).
// Anything else is unexpected: logged once at the boundary, shown as "internal".
import type { LabErrorInfo, LabErrorKind } from '../../shared/state';

export class EngineError extends Error {
  readonly kind: LabErrorKind;
  readonly detail?: string;
  constructor(kind: LabErrorKind, message: string, options?: { detail?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EngineError';
    this.kind = kind;
    this.detail = options?.detail;
  }
}

export function toLabErrorInfo(err: unknown): LabErrorInfo {
  if (err instanceof EngineError) {
    return err.detail === undefined ? { kind: err.kind, message: err.message } : { kind: err.kind, message: err.message, detail: err.detail };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'internal', message: message || 'unexpected error' };
}

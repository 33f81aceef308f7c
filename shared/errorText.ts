// Any thrown or reported error as one line of text for a person: what the UI
// shows and what the lab and the engine log (never a stack trace). Libraries
// reject with things that are not Errors (a Kubernetes Status, a WebSocket
// ErrorEvent, a plain object); String() of those is "[object Object]".
export function describeError(err: unknown): string {
  return describe(err).replace(/\s*\n\s*/g, ' ');
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const prefix = err.name && err.name !== 'Error' ? `${err.name}: ` : '';
    return `${prefix}${err.message || err.name}${typeof code === 'string' ? ` (${code})` : ''}`;
  }
  if (typeof err === 'string') return err;
  if (err && typeof err === 'object') {
    const o = err as Record<string, unknown>;
    if (typeof o.message === 'string' && o.message) return o.message;
    // A WebSocket ErrorEvent and the like carry the real error inside.
    if (o.error !== undefined && o.error !== null && o.error !== err) return describe(o.error);
    for (const key of ['reason', 'status', 'code', 'type']) {
      const v = o[key];
      if ((typeof v === 'string' && v) || typeof v === 'number') return `${key} ${v}`;
    }
    try {
      const json = JSON.stringify(err);
      if (json && json !== '{}') return json;
    } catch {
      // Circular: fall through to the constructor's name.
    }
    return `${(err as object).constructor?.name ?? 'unknown'} error without a message`;
  }
  return String(err);
}

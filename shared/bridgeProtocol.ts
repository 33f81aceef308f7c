// The web shell's wire format: JSON text frames on one WebSocket.
//   page → Node: { id, method, request }
//   Node → page: { id, result } for a call, { event } for a LabEvent
import type { LabEvent } from './api';
import type { LabResult } from './labMethods';

export interface BridgeCall {
  id: number;
  method: string;
  request: unknown;
}

export type BridgeReply = { id: number; result: LabResult<unknown> } | { event: LabEvent };

/** The largest call frame the web shell accepts (an overlay is at most 1 MB of text). */
export const MAX_CALL_BYTES = 2 * 1024 * 1024;

/** Parses one untrusted frame from the page; undefined when it is not a well-formed call. */
export function parseBridgeCall(raw: string): BridgeCall | undefined {
  if (raw.length > MAX_CALL_BYTES) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, method, request } = value as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return undefined;
  if (typeof method !== 'string' || method.length > 64) return undefined;
  return { id, method, request };
}

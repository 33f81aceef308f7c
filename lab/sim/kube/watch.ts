// Watches over HTTP: one JSON event per line, resumable from a resourceVersion,
// with bookmarks, the initial-events protocol (sendInitialEvents) and a 410
// ERROR event for versions the store no longer keeps.
import type { ServerResponse } from 'node:http';
import type { ResourceInfo } from './resources';
import type { Selector } from './selectors';
import { ApiError } from './status';
import type { ObjectStore } from './store';
import { toTable } from './tables';
import type { KubeObject, StoredEvent } from './types';

export interface WatchRequest {
  info: ResourceInfo;
  namespace?: string;
  labels: Selector;
  fields: Selector;
  resourceVersion?: string;
  sendInitialEvents: boolean;
  allowBookmarks: boolean;
  timeoutSeconds?: number;
  asTable: boolean;
  bookmarkIntervalMs?: number;
}


/** Event bytes a watcher may leave unread before it is dropped. */
export const MAX_UNSENT_WATCH_BYTES = 16 * 1024 * 1024;

export function serveWatch(store: ObjectStore, req: WatchRequest, res: ServerResponse, onClose: (fn: () => void) => void): void {
  const { info } = req;
  const known = new Set<string>();
  let tableHeadersSent = false;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();

  const write = (type: string, object: unknown): void => {
    if (res.writableEnded || res.destroyed) return;
    // A watcher that stops reading is closed, as the real watch cache drops an unresponsive watcher
    // (its client lists and watches again), instead of buffering events here without bound.
    if (live && res.writableLength > MAX_UNSENT_WATCH_BYTES) {
      finish();
      res.destroy();
      return;
    }
    res.write(JSON.stringify({ type, object }) + '\n');
  };
  const emitObject = (type: string, obj: KubeObject): void => {
    if (!req.asTable) return write(type, obj);
    write(type, toTable(info.plural, [obj], obj.metadata.resourceVersion ?? '', null, !tableHeadersSent));
    tableHeadersSent = true;
  };
  const bookmark = (rv: number, annotations?: Record<string, string>): void => {
    write('BOOKMARK', { kind: info.kind, apiVersion: info.group ? `${info.group}/${info.version}` : info.version, metadata: { resourceVersion: String(rv), ...(annotations ? { annotations } : {}) } });
  };
  const inScope = (obj: KubeObject): boolean => req.namespace === undefined || obj.metadata.namespace === req.namespace;
  const matches = (obj: KubeObject): boolean => inScope(obj) && req.labels(obj) && req.fields(obj);
  const keyOf = (obj: KubeObject): string => `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;

  // Like the watch cache: an object leaving the selection is DELETED for this watcher.
  const deliver = (event: StoredEvent): void => {
    if (event.resource !== info.plural || !inScope(event.object)) return;
    const key = keyOf(event.object);
    if (event.type === 'DELETED') {
      if (known.delete(key) || matches(event.object)) emitObject('DELETED', event.object);
      return;
    }
    if (matches(event.object)) {
      emitObject(known.has(key) ? 'MODIFIED' : 'ADDED', event.object);
      known.add(key);
    } else if (known.delete(key)) emitObject('DELETED', event.object);
  };

  const rv = req.resourceVersion;
  const initial = (): void => {
    for (const obj of store.list(info.plural, req.namespace)) {
      if (!matches(obj)) continue;
      known.add(keyOf(obj));
      emitObject('ADDED', obj);
    }
  };
  let unsubscribe = (): void => {};
  let timers: NodeJS.Timeout[] = [];
  /** After the initial events (written at once, whatever their size) the unsent-bytes limit applies. */
  let live = false;
  try {
    if (req.sendInitialEvents) {
      initial();
      bookmark(store.resourceVersion, { 'k8s.io/initial-events-end': 'true' });
    } else if (rv === undefined || rv === '' || rv === '0') {
      initial();
    } else {
      const from = Number(rv);
      if (!Number.isInteger(from)) throw new ApiError(400, 'BadRequest', `invalid resource version: ${rv}`);
      // What the client already has: objects that existed at `from` (not ADDED since).
      const changes = store.changesSince(from);
      const firstChange = new Map<string, StoredEvent>();
      for (const e of changes) if (e.resource === info.plural && !firstChange.has(keyOf(e.object))) firstChange.set(keyOf(e.object), e);
      for (const obj of store.list(info.plural, req.namespace)) {
        if (matches(obj) && firstChange.get(keyOf(obj))?.type !== 'ADDED') known.add(keyOf(obj));
      }
      // Objects changed or deleted since `from` without being created since existed then, too.
      for (const [key, e] of firstChange) if (e.type !== 'ADDED' && matches(e.object)) known.add(key);
      for (const event of changes) deliver(event);
    }
    unsubscribe = store.subscribe(deliver);
    live = true;
  } catch (err) {
    if (err instanceof ApiError) write('ERROR', err.toStatus());
    res.end();
    return;
  }

  timers = [];
  if (req.allowBookmarks) timers.push(setInterval(() => bookmark(store.resourceVersion), req.bookmarkIntervalMs ?? 30_000));
  // As the API server: timeoutSeconds 0 (or none) means its own default, a minimum request timeout
  // of 30 minutes stretched by a random factor up to 2, so watchers do not all reconnect at once.
  const timeoutMs = req.timeoutSeconds && req.timeoutSeconds > 0 ? req.timeoutSeconds * 1000 : 1800_000 * (1 + Math.random());
  timers.push(setTimeout(() => finish(), timeoutMs));
  function finish(): void {
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    if (!res.writableEnded) res.end();
  }
  onClose(finish);
}

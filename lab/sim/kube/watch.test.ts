// Watches over real HTTP: resuming from a resourceVersion replays what
// changed as ADDED/MODIFIED/DELETED, label selectors turn leaving objects into
// DELETED, and sendInitialEvents ends with the initial-events-end bookmark.
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimCluster } from './cluster';
import { createMiniSandbox, isTestImage } from './testing/miniSandbox';

let cluster: SimCluster;

beforeAll(async () => {
  cluster = await SimCluster.start({ createSandbox: createMiniSandbox, isKnownImage: isTestImage });
});
afterAll(async () => {
  await cluster.stop();
});

/** Reads watch events until `count` arrived (or the stream ends). */
function watchEvents(query: string, count: number, onEvent: (n: number) => void = () => {}): Promise<{ type: string; name?: string; annotations?: Record<string, string> }[]> {
  return new Promise((resolve, reject) => {
    const events: { type: string; name?: string; annotations?: Record<string, string> }[] = [];
    const req = request(`${cluster.apiUrl}/api/v1/namespaces/default/configmaps?watch=true&${query}`, { ca: cluster.caPem, headers: { Authorization: `Bearer ${cluster.token}` } }, (res) => {
      let buffer = '';
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const e = JSON.parse(buffer.slice(0, nl)) as { type: string; object: { metadata: { name?: string; annotations?: Record<string, string> } } };
          buffer = buffer.slice(nl + 1);
          events.push({ type: e.type, name: e.object.metadata.name, ...(e.object.metadata.annotations ? { annotations: e.object.metadata.annotations } : {}) });
          onEvent(events.length);
          if (events.length >= count) {
            req.destroy();
            resolve(events);
          }
        }
      });
      res.on('end', () => resolve(events));
    });
    req.on('error', (err) => (events.length >= count ? undefined : reject(err)));
    req.end();
  });
}

describe('watch', () => {
  it('resumes from a resourceVersion with the right event types', async () => {
    const before = cluster.api.create('configmaps', 'default', { metadata: { name: 'old', labels: { keep: 'yes' } }, data: {} });
    const rv = before.metadata.resourceVersion ?? '';
    cluster.api.patch('configmaps', 'default', 'old', 'merge', JSON.stringify({ data: { a: '1' } }));
    cluster.api.create('configmaps', 'default', { metadata: { name: 'new', labels: { keep: 'yes' } } });
    cluster.api.delete('configmaps', 'default', 'old');
    expect(await watchEvents(`resourceVersion=${rv}`, 3)).toEqual([
      { type: 'MODIFIED', name: 'old' },
      { type: 'ADDED', name: 'new' },
      { type: 'DELETED', name: 'old' },
    ]);
  });

  it('reports an object that stops matching the selector as DELETED', async () => {
    // The label changes once the watch has shown the object, however slow the machine.
    const events = watchEvents('labelSelector=keep%3Dyes', 2, (n) => n === 1 && cluster.api.patch('configmaps', 'default', 'new', 'merge', JSON.stringify({ metadata: { labels: { keep: 'no' } } })));
    expect(await events).toEqual([{ type: 'ADDED', name: 'new' }, { type: 'DELETED', name: 'new' }]);
  });

  it('sends initial events and the initial-events-end bookmark for sendInitialEvents', async () => {
    cluster.api.create('configmaps', 'default', { metadata: { name: 'initial' } });
    const events = await watchEvents('sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true', 3);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'ADDED', 'BOOKMARK']);
    expect(events[2]?.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
  });
});

describe('watch timeouts', () => {
  /** How the watch ended within `waitMs`: 'ended' when the server closed it, 'open' otherwise. */
  function watchFor(query: string, waitMs: number): Promise<'ended' | 'open'> {
    return new Promise((resolve, reject) => {
      const req = request(`${cluster.apiUrl}/api/v1/namespaces/default/configmaps?watch=true&${query}`, { ca: cluster.caPem, headers: { Authorization: `Bearer ${cluster.token}` } }, (res) => {
        res.resume();
        res.on('end', () => {
          clearTimeout(timer);
          resolve('ended');
        });
      });
      const timer = setTimeout(() => {
        req.destroy();
        resolve('open');
      }, waitMs);
      req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
      req.end();
    });
  }

  it('timeoutSeconds=0 is the server default (not an immediate close); a positive one ends the watch', async () => {
    expect(await watchFor('timeoutSeconds=0', 1500)).toBe('open');
    expect(await watchFor('timeoutSeconds=1', 10_000)).toBe('ended');
  });
});

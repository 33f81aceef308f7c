// A watch client of the API emulator that stops reading is dropped once 16 MiB of events wait
// unsent (the real watch cache closes unresponsive watchers too), instead of growing the process;
// watchers that read keep every event.
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimCluster } from '../../lab/sim/kube/cluster';
import { createMiniSandbox, isTestImage } from '../../lab/sim/kube/testing/miniSandbox';
import { MAX_UNSENT_WATCH_BYTES } from '../../lab/sim/kube/watch';

let cluster: SimCluster;

beforeAll(async () => {
  cluster = await SimCluster.start({ createSandbox: createMiniSandbox, isKnownImage: isTestImage, speed: 20 });
});

afterAll(async () => {
  await cluster?.stop();
});

function watch(): { received: () => number; closed: Promise<void>; pause(): void; resume(): void } {
  const url = new URL(cluster.apiUrl);
  const socket = connect({ host: '127.0.0.1', port: Number(url.port), rejectUnauthorized: false });
  let bytes = 0;
  socket.on('data', (d: Buffer) => (bytes += d.length));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write(`GET /api/v1/namespaces/default/configmaps?watch=true HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${cluster.token}\r\n\r\n`);
  return { received: () => bytes, closed, pause: () => socket.pause(), resume: () => socket.resume() };
}

describe('API emulator watch streams', () => {
  it('drops a watcher that does not read, keeps one that does', async () => {
    const slow = watch();
    const fast = watch();
    await new Promise((r) => setTimeout(r, 300));
    slow.pause();
    const value = 'v'.repeat(512 * 1024);
    const count = 56;
    for (let i = 0; i < count; i++) {
      cluster.api.create('configmaps', 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `big-${i}` }, data: { value } });
      await new Promise((r) => setTimeout(r, 10));
    }
    const total = count * value.length;
    await new Promise((r) => setTimeout(r, 500));
    slow.resume();
    await slow.closed;
    // What was still unsent when it was dropped never arrives.
    expect(slow.received()).toBeLessThan(total - MAX_UNSENT_WATCH_BYTES);
    for (const deadline = Date.now() + 20_000; fast.received() < total && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 100));
    expect(fast.received()).toBeGreaterThan(total);
  }, 60_000);
});

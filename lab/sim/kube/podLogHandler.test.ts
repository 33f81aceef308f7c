// GET pods/{name}/log?follow=true over HTTPS against the emulated API server:
// following a container instance that has already ended answers its lines and
// closes, instead of throwing inside the handler.
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimCluster } from './cluster';
import { createMiniSandbox, isTestImage } from './testing/miniSandbox';

let cluster: SimCluster;
const stderr: string[] = [];
const originalError = console.error;

function getLog(pod: string, query: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${cluster.apiUrl}/api/v1/namespaces/default/pods/${pod}/log?${query}`, { ca: cluster.caPem, headers: { Authorization: `Bearer ${cluster.token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setTimeout(5000, () => req.destroy(new Error('log request did not end within 5 s')));
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  console.error = (...args: unknown[]) => stderr.push(args.map(String).join(' '));
  cluster = await SimCluster.start({ createSandbox: createMiniSandbox, isKnownImage: isTestImage, speed: 50 });
  cluster.api.create('pods', 'default', { metadata: { name: 'crash' }, spec: { containers: [{ name: 'main', image: 'test/crash:1' }] } });
  const deadline = Date.now() + 10_000;
  while (!cluster.api.get('pods', 'default', 'crash').status?.containerStatuses?.[0]?.lastState?.terminated) {
    if (Date.now() > deadline) throw new Error('crash pod never restarted');
    await new Promise((r) => setTimeout(r, 20));
  }
});
afterAll(async () => {
  console.error = originalError;
  await cluster.stop();
});

describe('pod log handler', () => {
  it('follow of an ended (previous) instance answers its lines and ends, with nothing logged', async () => {
    const { status, body } = await getLog('crash', 'container=main&previous=true&follow=true');
    expect(status).toBe(200);
    expect(body).toMatch(/^starting \w+\nfatal: crashing\n$/);
    expect(stderr).toEqual([]);
  });

  it('follow with limitBytes reached by the history ends at once too', async () => {
    const { status, body } = await getLog('crash', 'container=main&previous=true&follow=true&limitBytes=4');
    expect(status).toBe(200);
    expect(body).toBe('star');
    expect(stderr).toEqual([]);
  });
});

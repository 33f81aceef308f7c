// pods/exec at the byte level with a raw WebSocket client: channel bytes,
// resize on channel 4, v5's close-stdin (255, 0) and the Status on channel 3.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SimCluster } from './cluster';
import { createMiniSandbox, isTestImage } from './testing/miniSandbox';

let cluster: SimCluster;
let pod = '';

beforeAll(async () => {
  cluster = await SimCluster.start({ createSandbox: createMiniSandbox, isKnownImage: isTestImage, speed: 50 });
  cluster.api.create('pods', 'default', { metadata: { name: 'shell' }, spec: { containers: [{ name: 'main', image: 'test/printer:1' }] } });
  const deadline = Date.now() + 10_000;
  while (cluster.api.get('pods', 'default', 'shell').status?.phase !== 'Running') {
    if (Date.now() > deadline) throw new Error('pod did not start');
    await new Promise((r) => setTimeout(r, 20));
  }
  pod = 'shell';
});
afterAll(async () => {
  await cluster.stop();
});

function open(query: string, protocol: string): Promise<{ ws: WebSocket; frames: Buffer[]; closed: Promise<void> }> {
  const url = `${cluster.apiUrl.replace('https', 'wss')}/api/v1/namespaces/default/pods/${pod}/exec?${query}`;
  const ws = new WebSocket(url, [protocol], { ca: cluster.caPem, headers: { Authorization: `Bearer ${cluster.token}` } });
  const frames: Buffer[] = [];
  ws.on('message', (d: Buffer) => frames.push(d));
  const closed = new Promise<void>((r) => ws.on('close', () => r()));
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve({ ws, frames, closed }));
    ws.on('error', reject);
  });
}

describe('exec channel protocol', () => {
  it('v5: stdin, resize, close-stdin, then Success on channel 3', async () => {
    const { ws, frames, closed } = await open('command=cat&container=main&stdin=true&stdout=true&tty=true', 'v5.channel.k8s.io');
    expect(ws.protocol).toBe('v5.channel.k8s.io');
    ws.send(Buffer.concat([Buffer.from([4]), Buffer.from(JSON.stringify({ Width: 120, Height: 40 }))]));
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('typed\n')]));
    ws.send(Buffer.from([255, 0]));
    await closed;
    const stdout = frames.filter((f) => f[0] === 1).map((f) => f.subarray(1).toString()).join('');
    expect(stdout).toContain('resized 120x40\n');
    expect(stdout).toContain('typed\n');
    const status = frames.find((f) => f[0] === 3);
    expect(JSON.parse(status?.subarray(1).toString() ?? '{}')).toEqual({ metadata: {}, status: 'Success' });
  });

  it('v4: stderr on channel 2 and a NonZeroExitCode Status', async () => {
    const { ws, frames, closed } = await open('command=fail&command=oops&container=main&stdout=true&stderr=true', 'v4.channel.k8s.io');
    expect(ws.protocol).toBe('v4.channel.k8s.io');
    await closed;
    expect(frames.find((f) => f[0] === 2)?.subarray(1).toString()).toBe('oops\n');
    expect(JSON.parse(frames.find((f) => f[0] === 3)?.subarray(1).toString() ?? '{}')).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '2' }] } });
  });

  it('refuses an upgrade without the token, and for an unknown container', async () => {
    const noToken = new WebSocket(`${cluster.apiUrl.replace('https', 'wss')}/api/v1/namespaces/default/pods/${pod}/exec?command=echo`, ['v5.channel.k8s.io'], { ca: cluster.caPem });
    const status = await new Promise<number>((resolve) => noToken.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(401);
    await expect(open('command=echo&container=nope', 'v5.channel.k8s.io')).rejects.toThrow(/400/);
  });
});

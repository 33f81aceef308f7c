// The agent client's dial errors read like the real supervisor's (Go) log lines, against real sockets.
import { afterEach, describe, expect, it } from 'vitest';
import { startLabServer, type LabServer } from '../../lab/server/index';
import { SimpleAgent } from '../../lab/opamp-client/simpleAgent';
import { parseEndpoint } from '../../lab/opamp-client/endpoint';
import { bytesToUuid } from '../../shared/opamp/index';
import { eventually } from '../conformance/eventually';
import { freePort } from './freePort';

const agents: SimpleAgent[] = [];
let server: LabServer | undefined;
afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.stop()));
  await server?.close();
  server = undefined;
});

function agent(endpoint: string, extra: Partial<ConstructorParameters<typeof SimpleAgent>[0]> = {}): SimpleAgent {
  const a = new SimpleAgent({ endpoint, reconnect: { initialMs: 20, maxMs: 100 }, ...extra });
  agents.push(a);
  return a.start();
}

describe('OpampAgentClient dial errors', () => {
  it('connection refused and unknown host, with the cluster name kept in the message', async () => {
    const port = await freePort();
    const refused = agent(`wss://127.0.0.1:${port}/v1/opamp`);
    expect(await eventually('refused', () => refused.connectFailures[0])).toBe(`dial tcp 127.0.0.1:${port}: connect: connection refused`);
    const unknown = agent('wss://opamp-server.opamp.svc.cluster.local:4320/v1/opamp', {
      resolve: () => ({ ok: false, error: 'ENOTFOUND' }),
    });
    expect(await eventually('lookup', () => unknown.connectFailures[0])).toBe('dial tcp: lookup opamp-server.opamp.svc.cluster.local: no such host');
  });

  it('a non-101 answer is "websocket: bad handshake"; the dial override reaches the real server and reconnects after it returns', async () => {
    server = await startLabServer({ opampPort: 0, uiPort: 0, restPort: false });
    const wrongPath = agent(`wss://127.0.0.1:${server.opampPort}/v2/nope`);
    expect(await eventually('bad handshake', () => wrongPath.connectFailures[0])).toBe('websocket: bad handshake');

    const port = server.opampPort;
    const viaName = agent('wss://opamp-server.opamp.svc.cluster.local:4320/v1/opamp', {
      resolve: (host, p) => (host === 'opamp-server.opamp.svc.cluster.local' && p === 4320 ? { ok: true, host: '127.0.0.1', port } : { ok: false, error: 'ENOTFOUND' }),
    });
    const uid = bytesToUuid(viaName.client.instanceUid);
    await eventually('connected through the override', () => server!.registry.agents.get(uid)?.connected);
    const seqBefore = viaName.client.sequenceNum;
    await server.close();
    server = await startLabServer({ opampPort: port, uiPort: 0, restPort: false });
    await eventually('re-registered after server restart', () => server!.registry.agents.get(uid)?.status.agentDescription, 10_000);
    expect(viaName.client.sequenceNum).toBeGreaterThan(seqBefore);
  });

  it('parses endpoints and rejects unknown schemes like the supervisor', () => {
    expect(parseEndpoint('wss://a.b:4320/v1/opamp')).toEqual({ transport: 'ws', secure: true, host: 'a.b', port: 4320, path: '/v1/opamp' });
    expect(parseEndpoint('http://x/v1/opamp').port).toBe(80);
    expect(() => parseEndpoint('tcp://x')).toThrow('invalid scheme "tcp" for OpAMP endpoint, must be one of "http", "https", "ws", or "wss"');
  });
});

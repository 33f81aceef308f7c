// client-node's KubeConfig made a new HTTPS agent for every request; shareAgents keeps one
// keep-alive agent per cluster and credentials.
import type { Agent } from 'node:https';
import * as k8s from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { shareAgents } from './session';

function kubeconfig(token: string, server = 'https://127.0.0.1:6443'): string {
  return `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "${server}", insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: ${token} } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`;
}

async function agentOf(kc: k8s.KubeConfig): Promise<Agent> {
  const opts: { agent?: Agent } = {};
  await kc.applyToHTTPSOptions(opts);
  return opts.agent!;
}

describe('shareAgents', () => {
  it('gives every request of a session one keep-alive agent', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromString(kubeconfig('t1'));
    const unshared = [await agentOf(kc), await agentOf(kc)];
    expect(unshared[0]).not.toBe(unshared[1]);
    shareAgents(kc);
    const a = await agentOf(kc);
    expect(await agentOf(kc)).toBe(a);
    expect((a as Agent & { keepAlive: boolean }).keepAlive).toBe(true);
    // The token travels in a header, not in the agent: the agent stays the same when it changes.
    expect((await kc.applyToFetchOptions({})).agent).toBe(a);
  });

  it('a different cluster gets its own agent', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromString(kubeconfig('t1'));
    shareAgents(kc);
    const a = await agentOf(kc);
    kc.loadFromString(kubeconfig('t1', 'https://127.0.0.2:6443'));
    expect(await agentOf(kc)).not.toBe(a);
  });
});

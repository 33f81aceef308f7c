// The real kubectl v1.35 against the embedded lab with the real pod runtime,
// for what streams or reaches into pods: port-forward (the WebSocket-tunnelled
// SPDY default and plain SPDY), the API server proxy, attach and debug; and
// pod start as the kubelet reports it (get -w, availability in a rollout).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sim } from '../../lab/sim/boot';
import { eventually } from './eventually';
import { kubectl, shell, startKubectl, tempCacheDir, type BackgroundKubectl, type KubectlEnv } from './kubectl';

let sim: Sim;
let env: KubectlEnv;
const k = (...args: string[]) => kubectl(env, ['-n', 'opamp', ...args], { timeoutMs: 60_000 });

/**
 * kubectl stamps a restart with the time in whole seconds and refuses a second one within the same second
 * ("if restart has already been triggered within the past second"), as it does on a real cluster; the lab
 * runs at 10x here, so a rollout can finish inside that second. Waits for the next second first.
 */
const lastRestartSecond = new Map<string, number>();
async function rolloutRestart(deployment: string) {
  while (Math.floor(Date.now() / 1000) <= (lastRestartSecond.get(deployment) ?? 0)) await new Promise((r) => setTimeout(r, 50));
  const r = await k('rollout', 'restart', `deploy/${deployment}`);
  lastRestartSecond.set(deployment, Math.floor(Date.now() / 1000));
  expect(r.stderr).toBe('');
  return r;
}

beforeAll(async () => {
  const { startSim } = await import('../../lab/sim/boot');
  sim = await startSim({ kubeconfigPath: join(mkdtempSync(join(tmpdir(), 'sim-streams-')), 'kubeconfig'), speed: 10 });
  env = { kubeconfig: sim.kubeconfigPath, cacheDir: tempCacheDir() };
  await eventually('both pods Running', async () => (await k('get', 'pods')).stdout.split('\n').filter((l) => / 1\/1 +Running /.test(l)).length === 2, 60_000);
}, 120_000);

afterAll(async () => {
  await sim?.close();
});

/** Waits for each `Forwarding from 127.0.0.1:LOCAL -> REMOTE` line; returns the local ports by remote port. */
async function forwarded(pf: BackgroundKubectl, remotes: number[]): Promise<Map<number, number>> {
  return eventually(`kubectl forwarding ${remotes.join(', ')}`, async () => {
    const ports = new Map<number, number>();
    for (const m of pf.output().matchAll(/Forwarding from 127\.0\.0\.1:(\d+) -> (\d+)/g)) ports.set(Number(m[2]), Number(m[1]));
    return remotes.every((r) => ports.has(r)) ? ports : undefined;
  }, 20_000);
}

async function fetchText(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, text: await res.text() };
}

describe('kubectl port-forward', () => {
  for (const [transport, extraEnv] of [['WebSocket-tunnelled SPDY (the default)', {}], ['plain SPDY/3.1', { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }]] as const) {
    it(`svc/ with two ports and many concurrent connections over ${transport}`, async () => {
      const pf = await startKubectl(env, ['-n', 'opamp', 'port-forward', 'svc/opamp-server', ':4321', ':4320'], extraEnv);
      try {
        const ports = await forwarded(pf, [4321, 4320]);
        const pages = await Promise.all(Array.from({ length: 12 }, () => fetchText(`http://127.0.0.1:${ports.get(4321)}/`)));
        for (const page of pages) {
          expect(page.status).toBe(200);
          expect(page.text).toContain('<title>OpAMP Server</title>');
        }
        // 4320 is the OpAMP port: a plain GET of its path is answered by the server behind it, not by kubectl.
        const opamp = await fetch(`http://127.0.0.1:${ports.get(4320)}/v1/opamp`, { signal: AbortSignal.timeout(10_000) });
        expect(opamp.status).toBeGreaterThanOrEqual(400);
        expect(pf.output()).toContain('Handling connection for');
      } finally {
        await pf.stop();
      }
    });
  }

  it('deploy/ and pod/ targets; a port nothing listens on is reported on the error stream', async () => {
    const pf = await startKubectl(env, ['-n', 'opamp', 'port-forward', 'deploy/opamp-server', ':4321']);
    try {
      const ports = await forwarded(pf, [4321]);
      expect((await fetchText(`http://127.0.0.1:${ports.get(4321)}/`)).status).toBe(200);
    } finally {
      await pf.stop();
    }
    const pod = (await k('get', 'pod', '-l', 'app=opamp-server', '-o', 'name')).stdout.trim();
    const refused = await startKubectl(env, ['-n', 'opamp', 'port-forward', pod, ':4399']);
    const ports = await forwarded(refused, [4399]);
    await fetch(`http://127.0.0.1:${ports.get(4399)}/`, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toMatch(/error forwarding port 4399 to pod opamp-server-\w+-\w{5}, uid [0-9a-f-]+: failed to connect to localhost:4399 .*connection refused/);
  });

  it('ends with "lost connection to pod" when a rollout restart replaces the server pod; a new port-forward reaches the new one', async () => {
    const pf = await startKubectl(env, ['-n', 'opamp', 'port-forward', 'svc/opamp-server', ':4321']);
    const ports = await forwarded(pf, [4321]);
    expect((await fetchText(`http://127.0.0.1:${ports.get(4321)}/`)).status).toBe(200);
    expect((await rolloutRestart('opamp-server')).code).toBe(0);
    expect(await pf.exited).toBe(1);
    expect(pf.output()).toContain('error: lost connection to pod');
    expect((await k('rollout', 'status', 'deploy/opamp-server', '--timeout=60s')).code).toBe(0);
    const again = await startKubectl(env, ['-n', 'opamp', 'port-forward', 'svc/opamp-server', ':4321']);
    try {
      const next = await forwarded(again, [4321]);
      const page = await eventually('the UI through the new pod', async () => {
        const r = await fetchText(`http://127.0.0.1:${next.get(4321)}/`).catch(() => undefined);
        return r?.status === 200 ? r : undefined;
      });
      expect(page.text).toContain('<title>OpAMP Server</title>');
    } finally {
      await again.stop();
    }
  }, 90_000);
});

describe('the API server proxy', () => {
  it('`kubectl get --raw` reaches the server UI through the service and pod proxy; errors as the API server words them', async () => {
    const viaService = await k('get', '--raw', '/api/v1/namespaces/opamp/services/opamp-server:4321/proxy/');
    expect(viaService.code).toBe(0);
    expect(viaService.stdout).toContain('<title>OpAMP Server</title>');
    const pod = (await k('get', 'pod', '-l', 'app=opamp-server', '-o', 'jsonpath={.items[0].metadata.name}')).stdout;
    const viaPod = await k('get', '--raw', `/api/v1/namespaces/opamp/pods/${pod}:4321/proxy/`);
    expect(viaPod.stdout).toContain('<title>OpAMP Server</title>');
    const noPort = await k('get', '--raw', '/api/v1/namespaces/opamp/services/opamp-server:4399/proxy/');
    expect(noPort.stderr).toBe('Error from server (ServiceUnavailable): no endpoints available for service "opamp-server"\n');
    const refused = await k('get', '--raw', `/api/v1/namespaces/opamp/pods/${pod}:4399/proxy/`);
    expect(refused.stderr).toMatch(/^Error from server \(ServiceUnavailable\): error trying to reach service: dial tcp 10\.244\.0\.\d+:4399: connect: connection refused\n$/);
  });

  it('`kubectl proxy` serves the UI under …/services/opamp-server:4321/proxy/ (the bare path redirects there)', async () => {
    const proxy = await startKubectl(env, ['proxy', '--port=0']);
    try {
      const port = await eventually('kubectl proxy listening', async () => /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(proxy.output())?.[1]);
      const base = `http://127.0.0.1:${port}/api/v1/namespaces/opamp/services/opamp-server:4321/proxy`;
      const bare = await fetch(base, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
      expect(bare.status).toBe(301);
      expect(bare.headers.get('location')).toBe('/api/v1/namespaces/opamp/services/opamp-server:4321/proxy/');
      const page = await fetchText(`${base}/`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<title>OpAMP Server</title>');
    } finally {
      await proxy.stop();
    }
  });
});

describe('kubectl attach and debug', () => {
  const agentPod = async () => (await k('get', 'pod', '-l', 'app=opamp-agent', '-o', 'jsonpath={.items[0].metadata.name}')).stdout;

  it('attach follows the agent container from now on (it has no stdin): the reconnect after a server restart shows up', async () => {
    const attach = await startKubectl(env, ['-n', 'opamp', 'attach', await agentPod(), '-c', 'agent']);
    try {
      await eventually('attached', async () => attach.output().includes('If you don\'t see a command prompt'));
      expect(attach.output()).not.toContain('Connected to the server.');
      expect((await rolloutRestart('opamp-server')).code).toBe(0);
      await eventually('the supervisor reconnected, seen through attach', async () => attach.output().includes('"msg":"Connected to the server."'), 60_000);
    } finally {
      await attach.stop();
    }
  }, 90_000);

  it('`run -i` attaches to a shell that reads stdin; the pod ends Failed with the shell\'s exit code', async () => {
    const r = await kubectl(env, ['-n', 'opamp', 'run', 'scratch', '--image=busybox', '-i', '--tty=false', '--restart=Never', '--', 'sh'], { stdin: 'echo hello from $(hostname)\nexit 3\n', timeoutMs: 60_000 });
    expect(r.stdout).toBe('hello from scratch\n');
    expect(r.code).toBe(3);
    expect((await k('get', 'pod', 'scratch', '-o', 'jsonpath={.status.phase} {.status.containerStatuses[0].state.terminated.exitCode}')).stdout).toBe('Failed 3');
    await k('delete', 'pod', 'scratch', '--wait=false');
  });

  it('`debug -it POD --image=busybox --target=agent` adds an ephemeral container whose shell sees the agent\'s processes', async () => {
    const pod = await agentPod();
    const r = await shell(env, `printf 'ps\\nexit\\n' | script -qec "kubectl -n opamp debug -it ${pod} --image=busybox --target=agent" /dev/null`, { timeoutMs: 60_000 });
    expect(r.stdout).toContain('Targeting container "agent".');
    expect(r.stdout).toMatch(/Defaulting debug container name to debugger-\w{5}\./);
    expect(r.stdout).toMatch(/ +1 root +0:00 \/opampsupervisor --config=\/supervisor\.yaml/);
    expect(r.stdout).toMatch(/otelcol-contrib/);
    const statuses = await k('get', 'pod', pod, '-o', 'jsonpath={.spec.ephemeralContainers[0].targetContainerName} {.status.ephemeralContainerStatuses[0].state.terminated.reason}');
    expect(statuses.stdout).toBe('agent Completed');
    const changed = await k('patch', 'pod', pod, '--subresource=ephemeralcontainers', '--type=json', '-p', '[{"op":"replace","path":"/spec/ephemeralContainers/0/image","value":"alpine"}]');
    expect(changed.stderr).toMatch(/Forbidden: existing ephemeral containers "debugger-\w{5}" may not be removed or changed/);
  });

  it('`debug node/…` gets a clear Forbidden: the emulated node has no host to share', async () => {
    const r = await k('debug', 'node/opamp-lab-control-plane', '--image=busybox');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Error from server \(Forbidden\): pods "node-debugger-opamp-lab-control-plane-\w{5}" is forbidden: the embedded lab's node is emulated and has no host file system or namespaces to share \(hostPath "\/"\); debug a pod instead: kubectl debug -it POD --image=busybox --target=agent/);
  });
});

describe('pod start as the kubelet reports it', () => {
  it('`get pods -w` shows a new pod ContainerCreating, then Running', async () => {
    const watch = await startKubectl(env, ['-n', 'opamp', 'get', 'pods', '-w', '-l', 'app=opamp-agent']);
    try {
      await eventually('the first listing', async () => /opamp-agent-\w+-\w{5} +1\/1 +Running/.test(watch.output()));
      expect((await rolloutRestart('opamp-agent')).code).toBe(0);
      expect((await k('rollout', 'status', 'deploy/opamp-agent', '--timeout=60s')).code).toBe(0);
      const lines = await eventually('ContainerCreating then Running for the new pod', async () => {
        const out = watch.output().split('\n');
        const creating = out.findIndex((l) => /^opamp-agent-\w+-\w{5} +0\/1 +ContainerCreating +0 /.test(l));
        const name = out[creating]?.split(/ +/)[0];
        const running = out.findIndex((l, i) => i > creating && l.startsWith(`${name} `) && / 1\/1 +Running +0 /.test(l));
        return creating >= 0 && running > creating ? out : undefined;
      });
      expect(lines[0]).toMatch(/^NAME +READY +STATUS +RESTARTS +AGE$/);
    } finally {
      await watch.stop();
    }
  }, 90_000);

  it('a supervisor that exits at once is never available: the old agent pod keeps running while `rollout status` waits', async () => {
    const original = (await k('get', 'cm', 'opamp-agent-config', '-o', 'jsonpath={.data.supervisor\\.yaml}')).stdout;
    expect(original).toContain('server:');
    const before = (await k('get', 'pod', '-l', 'app=opamp-agent', '-o', 'jsonpath={.items[0].metadata.name}')).stdout;
    const patch = (text: string) => k('patch', 'cm', 'opamp-agent-config', '--type=merge', '-p', JSON.stringify({ data: { 'supervisor.yaml': text } }));
    expect((await patch('server: [unclosed\n')).code).toBe(0);
    try {
      expect((await rolloutRestart('opamp-agent')).code).toBe(0);
      const status = await k('rollout', 'status', 'deploy/opamp-agent', '--timeout=5s');
      expect(status.code).toBe(1);
      expect(status.stdout).toContain('Waiting for deployment "opamp-agent" rollout to finish: 1 old replicas are pending termination...');
      expect(status.stderr).toBe('error: timed out waiting for the condition\n');
      const pods = (await k('get', 'pods', '-l', 'app=opamp-agent')).stdout;
      expect(pods).toMatch(new RegExp(`${before} +1/1 +Running +0 `));
      expect(pods).toMatch(/opamp-agent-\w+-\w{5} +0\/1 +(Error|CrashLoopBackOff) +\d+ /);
      expect((await k('get', 'deploy', 'opamp-agent', '-o', 'jsonpath={.status.availableReplicas} {.status.unavailableReplicas}')).stdout).toBe('1 1');
    } finally {
      expect((await patch(original)).code).toBe(0);
    }
    expect((await rolloutRestart('opamp-agent')).code).toBe(0);
    expect((await k('rollout', 'status', 'deploy/opamp-agent', '--timeout=60s')).code).toBe(0);
  }, 90_000);
});

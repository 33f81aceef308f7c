// Every kubectl command of the lab guide (Steps 4–10 and Troubleshooting),
// verbatim but for the kubeconfig (KUBECONFIG), run by the real kubectl v1.35
// through /bin/sh against `startSim` with the real pod runtime (lab/sim/pod),
// checked against the outputs the guide promises.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sim } from '../../lab/sim/boot';
import { eventually } from './eventually';
import { repoRoot, shell, tempCacheDir, type KubectlEnv } from './kubectl';

const GET_POD = `POD=$(kubectl -n opamp get pod -l app=opamp-agent -o jsonpath='{.items[0].metadata.name}')`;

let sim: Sim;
let env: KubectlEnv;
const sh = (script: string, cwd?: string) => shell(env, script, { cwd, timeoutMs: 120_000 });
/** The guide's snippets run after `POD=$(...)`, as an attendee types them. */
const withPod = (script: string) => sh(`${GET_POD}\n${script}`);
const TTY_WARNING = 'Unable to use a TTY - input is not a terminal or the right kind of file\n';

describe('the lab guide, command by command', () => {
  beforeAll(async () => {
    const { startSim } = await import('../../lab/sim/boot');
    sim = await startSim({ kubeconfigPath: join(mkdtempSync(join(tmpdir(), 'sim-guide-')), 'kubeconfig'), speed: 10 });
    env = { kubeconfig: sim.kubeconfigPath, cacheDir: tempCacheDir() };
    // The guide starts once the agent has connected.
    await eventually('the supervisor connected', async () => (await sh('kubectl -n opamp logs deploy/opamp-agent -c agent')).stdout.includes('Connected to the server.'), 60_000);
  }, 120_000);

  afterAll(async () => {
    await sim?.close();
  });

  it('kubectl apply -k lab/k8s: the lab is already there, unchanged', async () => {
    const r = await sh('kubectl apply -k lab/k8s');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('deployment.apps/opamp-agent unchanged');
  });

  it('Step 4: create configmap --dry-run=client -o yaml | kubectl apply -f -', async () => {
    const r = await sh(`kubectl -n opamp create configmap opamp-agent-config \\
  --from-file=supervisor.yaml \\
  --from-file=collector.yaml \\
  -o yaml --dry-run=client | kubectl apply -f -`, join(repoRoot, 'lab/agent'));
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^configmap\/opamp-agent-config (unchanged|configured)\n$/);
  });

  it('Step 5: rollout restart, then rollout status until successfully rolled out', async () => {
    const r = await sh(`kubectl -n opamp rollout restart deploy/opamp-agent
kubectl -n opamp rollout status deploy/opamp-agent --timeout=180s`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^deployment\.apps\/opamp-agent restarted\n/);
    expect(r.stdout).toMatch(/deployment "opamp-agent" successfully rolled out\n$/);
    await eventually('one agent pod left', async () => (await sh("kubectl -n opamp get pod -l app=opamp-agent -o name")).stdout.trim().split('\n').length === 1, 30_000);
    await eventually('the new supervisor connected', async () => (await sh('kubectl -n opamp logs deploy/opamp-agent -c agent')).stdout.includes('Connected to the server.'), 30_000);
  });

  it('Step 6: ps -ef shows the supervisor as PID 1 and the collector as its child', async () => {
    const r = await withPod(`kubectl -n opamp exec -it $POD -c agent -- sh -c \\
'ps -ef | egrep "opampsupervisor|otelcol-contrib"'`);
    expect(r.stderr).toBe(TTY_WARNING);
    expect(r.stdout).toMatch(/^\s*1 root\s+\S+ \/opampsupervisor --config=\/supervisor\.yaml$/m);
    expect(r.stdout).toMatch(/^\s*\d+ root\s+\S+ \/otelcol-contrib .*$/m);
  });

  it('Step 7: the supervisor log shows "Supervisor starting" and "Connected to the server."', async () => {
    const r = await sh('kubectl -n opamp logs deploy/opamp-agent -c agent --since=5m');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Supervisor starting');
    expect(r.stdout).toContain('Connected to the server.');
  });

  it('Step 8: /storage/effective.yaml exists and starts with the composed config', async () => {
    const r = await withPod(`kubectl -n opamp exec -it $POD -c agent -- sh -c \\
'ls -l /storage/effective.yaml && head -n 40 /storage/effective.yaml'`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^-rw\S* +\d+ root +root +\d+ .+ \/storage\/effective\.yaml\n/);
    expect(r.stdout).toContain('receivers:');
  });

  it('Steps 9–10: an overlay saved in the UI shows up in effective.yaml', async () => {
    const overlay = 'processors:\n  attributes/test_opamp:\n    actions:\n      - key: opamp.ui_test\n        value: "hello-from-ui"\n        action: insert\n\nservice:\n  pipelines:\n    traces:\n      processors: [attributes/test_opamp]\n';
    const instance = await eventually('the agent listed in the UI', async () => {
      const html = await (await fetch(`${sim.uiUrl}/`)).text();
      return /instanceid=([0-9a-f-]{36})/.exec(html)?.[1];
    }, 30_000);
    const saved = await fetch(`${sim.uiUrl}/save_config`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ instanceid: instance, config: overlay }) });
    expect(saved.status).toBe(303);
    const r = await eventually('the overlay applied', async () => {
      const out = await withPod(`kubectl -n opamp exec -it $POD -c agent -- sh -c \\
'grep -R "test_opamp" -n /storage/effective.yaml'`);
      return out.stdout.includes('attributes/test_opamp') ? out : undefined;
    }, 30_000);
    expect(r.stdout).toMatch(/^\d+:.*attributes\/test_opamp/m);
  }, 70_000);

  it('Troubleshooting: ps -ef, logs --tail=50, cat effective.yaml, ls -la /storage/', async () => {
    const ps = await withPod('kubectl -n opamp exec -it $POD -c agent -- ps -ef');
    expect(ps.stdout).toMatch(/^PID +USER +TIME +COMMAND$/m);
    expect(ps.stdout).toMatch(/^\s*1 root .*\/opampsupervisor --config=\/supervisor\.yaml$/m);
    const logs = await sh('kubectl -n opamp logs deploy/opamp-agent -c agent --tail=50');
    expect(logs.code).toBe(0);
    expect(logs.stdout.trim().split('\n').length).toBeLessThanOrEqual(50);
    const cat = await withPod('kubectl -n opamp exec -it $POD -c agent -- cat /storage/effective.yaml');
    expect(cat.stdout).toContain('service:');
    const ls = await withPod('kubectl -n opamp exec -it $POD -c agent -- ls -la /storage/');
    expect(ls.stdout).toMatch(/ effective\.yaml$/m);
    const restart = await sh('kubectl -n opamp rollout restart deploy/opamp-agent');
    expect(restart.stdout).toBe('deployment.apps/opamp-agent restarted\n');
  });
});

// Guide actions and fault exercises on the embedded lab, through client-node:
// each fault edits the ConfigMap and restarts the rollout for real; with the
// emulated supervisor (lab/sim/pod) the doctor must name the cause within 10 s.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type Sim } from '../../lab/sim/boot';
import { diagnose } from '../../shared/doctor/diagnose';
import { deployLab, readAgentConfigMap, type GuideDeps } from '../../electron/engine/guide/actions';
import { injectFault, resetLab } from '../../electron/engine/guide/faults';
import { gatherDoctorInput } from '../../electron/engine/guide/doctorInput';
import { eventually } from '../conformance/eventually';


let sim: Sim;
let deps: GuideDeps;

async function restartedAt(): Promise<string | undefined> {
  const d = await deps.apps.readNamespacedDeployment({ name: 'opamp-agent', namespace: 'opamp' });
  return d.spec?.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'];
}

describe('guide actions and faults on the embedded lab', () => {
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doctor-faults-'));
    sim = await startSim({ kubeconfigPath: join(dir, 'kubeconfig'), speed: 10 });
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(sim.kubeconfigPath);
    deps = { core: kc.makeApiClient(k8s.CoreV1Api), apps: kc.makeApiClient(k8s.AppsV1Api), objects: k8s.KubernetesObjectApi.makeApiClient(kc), namespace: 'opamp' };
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('deploys lab/k8s with server-side apply (idempotent, restores edits)', async () => {
    const applied = await deployLab(deps);
    expect(applied).toEqual(expect.arrayContaining(['configmap/opamp-agent-config', 'deployment/opamp-agent', 'service/opamp-server']));
    // A second apply over a hand-edited ConfigMap brings the lab's content back.
    await deps.core.patchNamespacedConfigMap(
      { name: 'opamp-agent-config', namespace: 'opamp', body: { data: { 'supervisor.yaml': 'edited: true\n' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect((await readAgentConfigMap(deps))?.['supervisor.yaml']).toBe('edited: true\n');
    await deployLab(deps);
    expect((await readAgentConfigMap(deps))?.['supervisor.yaml']).toContain('agent:');
  });

  it('a fault edits supervisor.yaml and restarts the rollout; reset restores the lab file', async () => {
    const before = await restartedAt();
    await injectFault(deps, 'invalid-key');
    const cm = await readAgentConfigMap(deps);
    expect(YAML.parse(cm?.['supervisor.yaml'] ?? '').agent.id).toBe('opamp-agent-1');
    const faulted = await restartedAt();
    expect(faulted).not.toBe(before);
    await resetLab(deps);
    // The reset follows within a second: it must still be a new template, or nothing rolls out.
    expect(await restartedAt()).not.toBe(faulted);
    const restored = await readAgentConfigMap(deps);
    expect(YAML.parse(restored?.['supervisor.yaml'] ?? '').agent.id).toBeUndefined();
    await expect(injectFault(deps, 'nope')).rejects.toThrow(/unknown fault "nope"/);
  });

  const cases: [string, string, RegExp][] = [
    ['invalid-key', 'supervisor-invalid-keys', /id/],
    ['bad-endpoint', 'opamp-bad-handshake', /4321|\/opamp/],
    ['no-executable', 'collector-not-running', /otelcol/],
  ];
  for (const [fault, id, detail] of cases) {
    it(`${fault}: the doctor names the cause within 10 s`, async () => {
      // Only a finding on a pod of this fault's rollout counts, not one left over from the previous case.
      const before = new Set((await deps.core.listNamespacedPod({ namespace: 'opamp', labelSelector: 'app=opamp-agent' })).items.map((p) => p.metadata?.name));
      await injectFault(deps, fault);
      const t0 = Date.now();
      const d = await eventually(`diagnosis ${id} on a new pod`, async () => diagnose(await gatherDoctorInput(deps)).find((x) => x.id === id && x.pod !== undefined && !before.has(x.pod)), 10_000);
      expect(`${d.title} ${d.cause}`).toMatch(detail);
      expect(d.evidence.length).toBeGreaterThan(0);
      expect(Date.now() - t0).toBeLessThan(10_000);
      await resetLab(deps);
    }, 30_000);
  }
});

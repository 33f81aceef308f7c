// startSim with the kube side's stand-in pod runtime: the lab from lab/k8s,
// the kubeconfig it writes, --replicas, and the UI published on a local port.
import { readFileSync, mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type Sim } from './boot';
import { createMiniSandbox } from './kube/testing/miniSandbox';

let sim: Sim;

beforeAll(async () => {
  sim = await startSim({
    kubeconfigPath: join(mkdtempSync(join(tmpdir(), 'sim-boot-')), 'kubeconfig'),
    replicas: 2,
    speed: 20,
    runtime: { createSandbox: createMiniSandbox, isKnownImage: () => true },
  });
});
afterAll(async () => {
  await sim.close();
});

describe('startSim', () => {
  it('writes a kubeconfig: context opamp-lab, namespace opamp, bearer token, the API certificate', () => {
    const config = YAML.parse(readFileSync(sim.kubeconfigPath, 'utf8'));
    expect(config['current-context']).toBe('opamp-lab');
    expect(config.contexts[0].context).toMatchObject({ namespace: 'opamp', cluster: 'opamp-lab' });
    expect(config.clusters[0].cluster.server).toBe(sim.apiUrl);
    expect(Buffer.from(config.clusters[0].cluster['certificate-authority-data'], 'base64').toString()).toBe(sim.cluster.caPem);
    expect(config.users[0].user.token).toBe(sim.cluster.token);
  });

  it('applies lab/k8s with the requested agent replicas and recorded last-applied configuration', () => {
    const agent = sim.cluster.api.get('deployments', 'opamp', 'opamp-agent');
    expect(agent.spec.replicas).toBe(2);
    expect(JSON.parse(agent.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] ?? '{}').metadata.name).toBe('opamp-agent');
    expect(sim.cluster.api.get('configmaps', 'opamp', 'opamp-agent-config').data).toHaveProperty('supervisor.yaml');
  });

  it('publishes the server UI port on 127.0.0.1', async () => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const echoed = await new Promise<string>((resolve) => {
        const socket = connect(Number(new URL(sim.uiUrl).port), '127.0.0.1');
        let got = '';
        socket.on('data', (d) => { got += d.toString(); socket.end(); });
        socket.on('close', () => resolve(got));
        socket.on('error', () => resolve(''));
        socket.write('through the service\n');
      });
      if (echoed === 'through the service\n') break;
      if (Date.now() > deadline) throw new Error(`UI port never answered (last: ${JSON.stringify(echoed)})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
});

describe('startSim({ blank: true })', () => {
  it('creates the namespace and nothing else, so the attendee deploys the lab', async () => {
    const blank = await startSim({
      kubeconfigPath: join(mkdtempSync(join(tmpdir(), 'sim-blank-')), 'kubeconfig'),
      blank: true,
      runtime: { createSandbox: createMiniSandbox, isKnownImage: () => true },
    });
    try {
      expect(blank.cluster.api.tryGet('namespaces', undefined, 'opamp')).toBeTruthy();
      for (const plural of ['deployments', 'configmaps', 'services', 'pods', 'replicasets']) {
        expect(blank.cluster.api.list(plural, 'opamp').filter((o) => o.metadata.name !== 'kube-root-ca.crt'), plural).toEqual([]);
      }
    } finally {
      await blank.close();
    }
  });
});

// The whole engine flow on the lab manifests (lab/k8s) in the Kubernetes
// emulator, with the stand-in pods of engineTestLab.ts: the probe script runs in
// real busybox ash, the server speaks the opamp-go example server's UI routes
// (the engine's fallback path). Four criteria pass before the overlay, six after;
// a rollout restart resets them and they come back on their own.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent, LogLine } from '../../shared/api';
import type { AgentPodState, CriterionStatus } from '../../shared/state';
import { createEngineService, type EngineService } from '../../electron/engine/index';
import { startSim, type Sim } from '../../lab/sim/boot';
import { eventually } from '../conformance/eventually';
import { createTestLabRuntime } from './engineTestLab';

const hasBusybox = spawnSync('busybox', ['true']).status === 0;
const overlay = readFileSync(new URL('../../lab/overlays/test_opamp.yaml', import.meta.url), 'utf8');
let sim: Sim;
let service: EngineService;
const lines: LogLine[] = [];
const seen = new Map<string, Set<CriterionStatus>>();
const state = () => service.store.current;
const statuses = (a: AgentPodState | undefined): string => a?.criteria.map((c) => c.status).join() ?? '';
const agentOf = (pod?: string) => state().agents.find((a) => (pod ? a.pod === pod : true));

describe.skipIf(!hasBusybox)('engine flow on the lab manifests (stand-in pods)', () => {
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-flow-'));
    sim = await startSim({ kubeconfigPath: join(dir, 'kubeconfig'), runtime: createTestLabRuntime(), speed: 10 });
    service = createEngineService({ shell: 'test', version: 'test', dataDir: dir });
    service.subscribe((e: LabEvent) => {
      if (e.type === 'logs') lines.push(...e.lines);
      if (e.type === 'patch' && e.patch.agents) {
        for (const a of e.patch.agents) for (const c of a.criteria) if (c.id === 'supervisor-pid1') seen.set(a.pod, (seen.get(a.pod) ?? new Set()).add(c.status));
      }
    });
    const r = await service.call('connect', { target: { kind: 'kubeconfig', kubeconfigPath: sim.kubeconfigPath } });
    expect(r).toEqual({ ok: true, value: undefined });
    expect(state().connection).toMatchObject({ status: 'connected', contextName: 'opamp-lab', namespace: 'opamp' });
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    await sim?.close();
  });

  it('before the overlay: four pass (with evidence), two pending; forwards healthy', async () => {
    await eventually('four passing', () => statuses(agentOf()) === 'pass,pass,pass,pass,pending,pending', 30_000);
    const a = agentOf()!;
    expect(a.criteria[0]?.evidence[0]?.text).toContain('/opampsupervisor --config=/supervisor.yaml');
    expect(a.criteria[1]?.evidence[0]?.text).toContain('/otelcol-contrib');
    expect(a.criteria[2]?.evidence.map((e) => e.text).join()).toContain('Connected to the server.');
    expect(a.probe.status).toBe('running');
    expect(a.effectiveConfig.at(-1)?.origins.includes('overlay')).toBe(false);
    await eventually('both forwards up', () => state().forwards.length === 2 && state().forwards.every((f) => f.health === 'up'), 15_000);
    // The server's agent list is polled separately from the forwards, so it can lag them.
    await eventually('one agent on the server', () => state().serverAgents.length === 1, 15_000);
    await eventually('agent.log says ready', () => lines.some((l) => l.source === 'agent.log' && l.text.includes('Everything is ready')), 15_000);
  }, 60_000);

  it('push-overlay: all six pass; the overlay lines are attributed to it', async () => {
    const r = await service.call('pushOverlay', { text: overlay });
    expect(r.ok).toBe(true);
    await eventually('six passing', () => statuses(agentOf()) === 'pass,pass,pass,pass,pass,pass', 30_000);
    const v = agentOf()!.effectiveConfig.at(-1)!;
    const lineNo = v.content.split('\n').findIndex((l) => l.trim() === 'attributes/test_opamp:');
    expect(v.origins[lineNo]).toBe('overlay');
    expect(v.origins[v.content.split('\n').findIndex((l) => l.trim() === 'verbosity: detailed')]).toBe('base');
    expect(agentOf()!.effectiveConfig.length).toBeGreaterThanOrEqual(2);
    await eventually('overlay applied', () => state().overlay.status === 'applied', 10_000);
    const file = await service.call('readFile', { pod: agentOf()!.pod, path: '/storage/effective.yaml' });
    expect(file.ok && (file.value as { content: string }).content).toContain('attributes/test_opamp');
  }, 60_000);

  it('rollout restart: criteria reset on the new pod and come back on their own; forwards and logs carry on', async () => {
    const oldPod = agentOf()!.pod;
    const r = await service.call('restartRollout', {});
    expect(r.ok).toBe(true);
    expect((r as { value: { messages: string[] } }).value.messages.at(-1)).toBe('deployment "opamp-agent" successfully rolled out');
    const newPod = await eventually('the new pod tracked', () => state().agents.find((a) => a.pod !== oldPod)?.pod, 30_000);
    await eventually('six passing on the new pod', () => statuses(agentOf(newPod)) === 'pass,pass,pass,pass,pass,pass', 30_000);
    expect(seen.get(newPod)?.has('pending')).toBe(true);
    await eventually('old pod dropped', () => !state().agents.some((a) => a.pod === oldPod), 30_000);
    // "Connected" can pass from the server's agent list before the new pod's log line is streamed and
    // batched out to subscribers, so the log is waited for, not read at the moment the six turn green.
    await eventually('the new pod\'s log followed', () => lines.some((l) => l.pod === newPod && l.text.includes('Connected to the server.')), 15_000);
    expect(lines.some((l) => l.pod === newPod && l.marker?.kind === 'new-pod')).toBe(true);
    await eventually('forwards up after the restart', () => state().forwards.length === 2 && state().forwards.every((f) => f.health === 'up'), 15_000);
  }, 90_000);
});

// The whole engine against the embedded lab (real lab server, emulated
// supervisor and collector): four criteria pass before the overlay, six after
// push-overlay; a rollout restart resets them and they come back on their own.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent, LogLine } from '../../shared/api';
import type { AgentPodState, CriterionStatus } from '../../shared/state';
import { createEngineService, type EngineService } from '../../electron/engine/index';
import { eventually } from '../conformance/eventually';

const overlay = readFileSync(new URL('../../lab/overlays/test_opamp.yaml', import.meta.url), 'utf8');

let service: EngineService;
const lines: LogLine[] = [];
/** Every status each pod's supervisor-pid1 criterion went through, to see the reset. */
const seen = new Map<string, Set<CriterionStatus>>();
const state = () => service.store.current;
const statuses = (a: AgentPodState | undefined): CriterionStatus[] => a?.criteria.map((c) => c.status) ?? [];
const agentOf = (pod?: string) => state().agents.find((a) => (pod ? a.pod === pod : true));

describe('engine against the embedded lab', () => {
  beforeAll(async () => {
    service = createEngineService({ shell: 'test', version: 'test', dataDir: mkdtempSync(join(tmpdir(), 'engine-embedded-')) });
    service.subscribe((e: LabEvent) => {
      if (e.type === 'logs') lines.push(...e.lines);
      if (e.type === 'patch' && e.patch.agents) {
        for (const a of e.patch.agents) for (const c of a.criteria) if (c.id === 'overlay-visible') seen.set(a.pod, (seen.get(a.pod) ?? new Set()).add(c.status));
      }
    });
    const r = await service.call('connect', { target: { kind: 'embedded' } });
    expect(r).toEqual({ ok: true, value: undefined });
  }, 120_000);

  afterAll(async () => {
    await service?.close();
  });

  it('before the overlay: four criteria pass, two are pending', async () => {
    await eventually('four passing criteria', () => statuses(agentOf()).join() === 'pass,pass,pass,pass,pending,pending', 60_000);
    const a = agentOf()!;
    expect(a.processes.find((p) => p.pid === 1)?.argv[0]).toBe('/opampsupervisor');
    // The probe (`sh -s opamp-lab-probe` in the pod while it runs) is not part of the process tree shown.
    expect(a.processes.map((p) => p.argv[0])).toEqual(['/opampsupervisor', '/otelcol-contrib']);
    expect(a.effectiveConfig.at(-1)?.content).toContain('opamp');
    // Forward health is checked on its own timer, so poll rather than read it once.
    await eventually('forwards up', () => state().forwards.length > 0 && state().forwards.every((f) => f.health === 'up'), 15_000);
    // Log lines arrive in batches of their own, after the criteria may already have passed.
    await eventually('the connected log line', () => lines.some((l) => l.text.includes('Connected to the server.')), 15_000);
  }, 90_000);

  it('after push-overlay all six pass, with the overlay lines attributed to it', async () => {
    const r = await service.call('pushOverlay', { text: overlay });
    expect(r.ok).toBe(true);
    await eventually('all six criteria', () => statuses(agentOf()).every((s) => s === 'pass'), 60_000);
    const v = agentOf()!.effectiveConfig.at(-1)!;
    const idx = v.content.split('\n').findIndex((l) => l.includes('attributes/test_opamp:'));
    expect(v.origins[idx]).toBe('overlay');
    const file = await service.call('readFile', { pod: agentOf()!.pod, path: '/storage/effective.yaml' });
    expect(file.ok && (file.value as { content: string }).content).toContain('test_opamp');
    await eventually('overlay applied', () => state().overlay.status === 'applied', 30_000);
  }, 90_000);

  it('a rollout restart resets the criteria; they come back on their own; forwards and logs carry on', async () => {
    const oldPod = agentOf()!.pod;
    const r = await service.call('restartRollout', {});
    expect(r.ok).toBe(true);
    const newPod = await eventually('the new agent pod', () => state().agents.find((a) => a.pod !== oldPod)?.pod, 60_000);
    await eventually('all six again on the new pod', () => statuses(agentOf(newPod)).every((s) => s === 'pass') && statuses(agentOf(newPod)).length === 6, 90_000);
    expect(seen.get(newPod)?.has('pending')).toBe(true);
    // The six can turn green (server's agent list) before the new pod's log lines are batched out.
    await eventually('the new pod\'s log followed', () => lines.some((l) => l.pod === newPod && !l.marker), 15_000);
    expect(lines.some((l) => l.pod === newPod && l.marker?.kind === 'new-pod')).toBe(true);
    await eventually('forwards up after the restart', () => state().forwards.length > 0 && state().forwards.every((f) => f.health === 'up'), 15_000);
  }, 150_000);
});

// One verdict everywhere, end to end on the embedded lab (real lab server, emulated supervisor and
// collector, real OTLP/HTTP through a real port-forward): a broken overlay is FAILED in the server and in
// the criteria with the collector's own error and the fix; the guide's overlay passes all six, its round
// trip is complete, and the telemetry proof passes with it and fails without it.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentPodState, TelemetryCheckResult } from '../../shared/state';
import { BROKEN_OVERLAYS } from '../../shared/collectorConfig/overlayCases';
import { createEngineService, type EngineService } from '../../electron/engine/index';
import { eventually } from '../conformance/eventually';
import { saveConfig } from '../../electron/engine/server/overlayPush';
import { overlayComponentPaths } from '../../shared/pipelineGraph';

const overlay = readFileSync(new URL('../../lab/overlays/test_opamp.yaml', import.meta.url), 'utf8');
let service: EngineService;
const agent = (): AgentPodState | undefined => service.store.current.agents[0];
const criterion = (id: string) => agent()?.criteria.find((c) => c.id === id);

describe('overlay verdicts and the telemetry proof on the embedded lab', () => {
  beforeAll(async () => {
    service = createEngineService({ shell: 'test', version: 'test', dataDir: mkdtempSync(join(tmpdir(), 'overlay-verdict-')) });
    const r = await service.call('connect', { target: { kind: 'embedded' } });
    expect(r.ok).toBe(true);
    await eventually('collector running', () => criterion('collector-child')?.status === 'pass' && criterion('opamp-connected')?.status === 'pass', 60_000);
  }, 120_000);

  afterAll(async () => {
    await service?.close();
  });

  it('without the overlay the test span arrives but carries no opamp.ui_test: the seventh check fails', async () => {
    const r = await service.call('checkTelemetry', {});
    expect(r.ok).toBe(true);
    const t = (r as { value: TelemetryCheckResult }).value;
    expect(t.status).toBe('fail');
    expect(t.evidence[0]?.text).toMatch(/HTTP 200$/);
    expect(t.hint).toMatch(/attributes\/test_opamp/);
  }, 30_000);

  it('a typo (procesors) sent anyway: FAILED "Config apply timeout exceeded", criteria and timeline say why', async () => {
    const typo = BROKEN_OVERLAYS.find((c) => c.name === 'typo procesors')!;
    const refused = await service.call('validateOverlay', { text: typo.text });
    expect(refused.ok && (refused.value as { collector?: { ok: boolean } }).collector?.ok).toBe(false);
    const r = await service.call('pushOverlay', { text: typo.text, force: true });
    expect(r.ok).toBe(true);
    await eventually('overlay failed', () => service.store.current.overlay.status === 'failed', 30_000);
    expect(service.store.current.overlay.error).toBe('Config apply timeout exceeded');
    await eventually('remote config criterion fails', () => criterion('remote-config-applied')?.status === 'fail', 30_000);
    expect(criterion('remote-config-applied')?.hint).toContain("'' has invalid keys: procesors");
    expect(criterion('remote-config-applied')?.hint).toContain('rename "procesors" to "processors"');
    expect(criterion('collector-child')?.hint ?? '').not.toMatch(/agent\.executable/);
    await eventually('overlay-visible fails', () => criterion('overlay-visible')?.status === 'fail', 30_000);
    await eventually('timeline verdict', () => agent()?.overlayTimeline?.steps.find((s) => s.id === 'verdict')?.status === 'failed', 10_000);
    const steps = agent()?.overlayTimeline?.steps.map((s) => [s.id, s.status]);
    expect(steps).toEqual(expect.arrayContaining([['written', 'done'], ['verdict', 'failed']]));
  }, 90_000);

  it("the guide's overlay: six pass, the round trip is complete, and the test span carries opamp.ui_test", async () => {
    const r = await service.call('pushOverlay', { text: overlay });
    expect(r.ok).toBe(true);
    await eventually('all six criteria', () => agent()?.criteria.every((c) => c.status === 'pass') ?? false, 60_000);
    const t = await service.call('checkTelemetry', {});
    expect(t.ok && (t.value as TelemetryCheckResult).status).toBe('pass');
    expect((t as { value: TelemetryCheckResult }).value.evidence.at(-1)?.text).toContain('-> opamp.ui_test: Str(hello-from-ui)');
    await eventually(`timeline complete`, () => agent()?.overlayTimeline?.steps.every((s) => s.status === 'done') ?? false, 10_000).catch((e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify(agent()?.overlayTimeline?.steps)}`);
    });
    const at = agent()!.overlayTimeline!.steps.map((s) => s.at ?? 0);
    expect(at[5]! - at[0]!).toBeGreaterThanOrEqual(4000); // APPLIED comes with config_apply_timeout (5 s)
  }, 120_000);

  it('an overlay sent from the server UI (not by the app) is marked by provenance in the viewer and the graph', async () => {
    const ui = service.store.current.forwards.find((f) => f.name === 'ui')!;
    const uid = agent()!.server!.instanceUid;
    const other = overlay.replaceAll('attributes/test_opamp', 'attributes/from_ui');
    await saveConfig(`http://127.0.0.1:${ui.localPort!}/`, uid, other);
    await eventually('effective.yaml with attributes/from_ui', () => agent()?.effectiveConfig.at(-1)?.content.includes('attributes/from_ui') ?? false, 30_000);
    await eventually('provenance', () => {
      const v = agent()!.effectiveConfig.at(-1)!;
      return overlayComponentPaths(v.content, v.origins).some((p) => p.join('.') === 'processors.attributes/from_ui');
    }, 15_000);
  }, 60_000);
});

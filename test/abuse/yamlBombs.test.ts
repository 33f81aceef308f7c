// Issue 10: a 12 KB YAML alias bomb sent to validateOverlay kept the engine's event loop at 100 % for
// about ten minutes, and an 11-byte self-referencing alias validated as OK, then crashed the emulated
// supervisor ("Maximum call stack size exceeded"). Both now get a clear error at once, through the
// LabApi's validator and through a real lab server pushing them to the emulated supervisor, which
// reports FAILED and goes on to apply a good overlay.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngineService, type EngineService } from '../../electron/engine/index';
import { startLabServer, type LabServer } from '../../lab/server/index';
import { createPodSandbox } from '../../lab/sim/pod/sandbox';
import type { PodSandbox, SimNetwork } from '../../lab/sim/pod/types';
import { validateOverlay } from '../../shared/overlay';
import { eventually } from '../conformance/eventually';

/** Each level lists `fan` aliases of the one before: 20 levels of 130 expand to 10 x 130^20 nodes. */
function aliasBomb(levels: number, fan: number): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i <= levels; i += 1) lines.push(`a${i}: &a${i} [${Array.from({ length: fan }, () => `*a${i - 1}`).join(',')}]`);
  return `${lines.join('\n')}\n`;
}

const BOMB = aliasBomb(20, 130);
const SELF = 'a: &a [*a]\n';
const SUP = readFileSync(new URL('../../lab/agent/supervisor.yaml', import.meta.url), 'utf8');
const COL = readFileSync(new URL('../../lab/agent/collector.yaml', import.meta.url), 'utf8');
const OVERLAY = readFileSync(new URL('../../lab/overlays/test_opamp.yaml', import.meta.url), 'utf8');

let server: LabServer | undefined;
let pod: PodSandbox | undefined;
let service: EngineService | undefined;
afterEach(async () => {
  await pod?.destroy();
  await server?.close();
  await service?.close();
  pod = server = service = undefined;
});

describe('YAML alias bombs and self-references', () => {
  it('are the sizes the issue measured', () => {
    expect(BOMB.length).toBeGreaterThan(11_000);
    expect(BOMB.length).toBeLessThan(13_000);
    expect(SELF.length).toBe(11);
  });

  it('validateOverlay refuses both at once with a clear message', () => {
    // The engine has parsed YAML before anyone sends a bomb: time the refusal, not the library's JIT warm-up.
    expect(validateOverlay(OVERLAY).ok).toBe(true);
    for (const [text, why] of [[BOMB, /alias bomb/], [SELF, /refers to its own anchor/]] as const) {
      const started = performance.now();
      const result = validateOverlay(text);
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(result.ok).toBe(false);
      expect(result.errors[0]?.message).toMatch(/^The overlay is refused: YAML /);
      expect(result.errors[0]?.message).toMatch(why);
    }
  });

  it('the LabApi answers validateOverlay and pushOverlay with the same error, and keeps answering', async () => {
    service = createEngineService({ shell: 'test', version: 'test', dataDir: '/tmp/opamp-lab-abuse-yaml' });
    for (const text of [BOMB, SELF]) {
      const started = performance.now();
      const v = await service.call('validateOverlay', { text });
      expect(v).toMatchObject({ ok: true, value: { ok: false, errors: [{ message: expect.stringMatching(/^The overlay is refused: YAML /) }] } });
      const p = await service.call('pushOverlay', { text });
      expect(p.ok).toBe(false);
      expect(performance.now() - started).toBeLessThan(1_000);
    }
    expect(await service.call('getInfo', {})).toMatchObject({ ok: true });
  });

  it('the emulated supervisor reports FAILED with the reason for each, then applies a good overlay', async () => {
    server = await startLabServer({ host: '127.0.0.1', opampPort: 0, uiPort: 0, restPort: false });
    const port = server.opampPort;
    const network: SimNetwork = { resolve: (_ns, host, p) => (host.startsWith('opamp-server') && p === 4320 ? { ok: true, host: '127.0.0.1', port } : { ok: false, error: 'ENOTFOUND' }) };
    pod = createPodSandbox({ namespace: 'opamp', name: 'opamp-agent-abuse', uid: 'u1', ip: '10.0.0.5', network });
    const data = { 'supervisor.yaml': SUP, 'collector.yaml': COL };
    const logs: string[] = [];
    pod.startContainer({
      name: 'agent', image: 'opamp-agent:latest', command: ['/opampsupervisor'], args: ['--config=/supervisor.yaml'],
      volumeMounts: [
        { mountPath: '/supervisor.yaml', source: { kind: 'configMap', name: 'opamp-agent-config', data, subPath: 'supervisor.yaml' } },
        { mountPath: '/collector.yaml', source: { kind: 'configMap', name: 'opamp-agent-config', data, subPath: 'collector.yaml' } },
        { mountPath: '/storage', source: { kind: 'emptyDir', volumeName: 'storage' } },
      ],
    }, { log: (_s, l) => logs.push(l) });
    const rec = await eventually('the agent', () => [...server!.registry.agents.values()][0], 10_000);
    const status = () => rec.status.remoteConfigStatus;
    for (const [text, why] of [[BOMB, /alias bomb/], [SELF, /refers to its own anchor/]] as const) {
      const before = status()?.lastRemoteConfigHash;
      await server.registry.setOverlay(rec.uid, text, 0);
      await eventually('FAILED for the new overlay', () => status()?.status === 3 && status()?.lastRemoteConfigHash !== before, 5_000);
      expect(status()?.errorMessage).toMatch(why);
    }
    expect(logs.join('\n')).not.toMatch(/Maximum call stack|RangeError/);
    await server.registry.setOverlay(rec.uid, OVERLAY, 0);
    await eventually('APPLIED for the good overlay', () => status()?.status === 1, 10_000);
  }, 30_000);
});

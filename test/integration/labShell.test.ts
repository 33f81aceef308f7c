// The lab shell without the browser: the engine on a blank embedded lab opens a
// real pseudo-terminal (bash, as a user's shell) in the lab's folder with
// KUBECONFIG and kubectl set up; the guide's Step 4 typed there deploys the lab,
// and Lab mode credits Steps 2–4 to the attendee from what it saw.
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent, TerminalInfo } from '../../shared/api';
import { createEngineService, type EngineService } from '../../electron/engine/index';
import { eventually } from '../conformance/eventually';

let service: EngineService;
let dataDir: string;
const output = new Map<string, string>();
const exits = new Map<string, number>();

const step = (id: string) => service.store.current.guide.steps.find((s) => s.id === id);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'lab-shell-'));
  service = createEngineService({ shell: 'test', version: 'test', dataDir, sim: { speed: 10 }, labShell: ['/bin/bash', '--norc', '--noprofile'] });
  service.subscribe((e: LabEvent) => {
    if (e.type === 'terminal-output') output.set(e.terminalId, (output.get(e.terminalId) ?? '') + e.data);
    if (e.type === 'terminal-exit') exits.set(e.terminalId, e.code);
  });
  expect(await service.call('connect', { target: { kind: 'embedded', blank: true } })).toEqual({ ok: true, value: undefined });
}, 60_000);

afterAll(async () => {
  await service?.close();
});

async function open(): Promise<string> {
  const r = await service.call('terminalOpen', { kind: 'lab-shell', cols: 120, rows: 30 });
  if (!r.ok) throw new Error(r.error.message);
  const info = r.value as TerminalInfo;
  expect(info.kind).toBe('lab-shell');
  return info.terminalId;
}

describe('lab shell', () => {
  it('is a pty in the lab folder with KUBECONFIG on the embedded lab and kubectl on PATH; Step 4 typed there is credited', async () => {
    const id = await open();
    const seen = (): string => output.get(id) ?? '';
    const kubeconfig = service.store.current.connection.kubeconfig;
    expect(kubeconfig).toBe(join(dataDir, 'embedded.kubeconfig'));
    await eventually('the banner', () => seen().includes(`KUBECONFIG=${kubeconfig} (context opamp-lab, namespace opamp)`), 10_000);
    const type = (line: string) => service.call('terminalWrite', { terminalId: id, data: `${line}\r` });
    await type('tty; pwd; ls; echo "KC=$KUBECONFIG"');
    await eventually('tty, folder and files', () => /\/dev\/pts\/\d+/.test(seen()) && seen().includes(join(dataDir, 'lab-files', 'opamp')) && seen().includes('supervisor.yaml') && seen().includes(`KC=${kubeconfig}`), 10_000);
    expect(statSync(join(dataDir, 'lab-files')).mode & 0o777).toBe(0o700);
    // Before anything is applied Lab mode shows no failure.
    await eventually('Lab mode on the blank lab', () => step('deploy')?.status === 'todo' && step('build-image')?.status === 'in-place', 30_000);

    await type(`kubectl -n opamp create configmap opamp-agent-config \\
  --from-file=supervisor.yaml \\
  --from-file=collector.yaml \\
  -o yaml --dry-run=client | kubectl apply -f -`);
    await eventually('configmap created', () => seen().includes('configmap/opamp-agent-config created'), 30_000);
    await eventually('Steps 2 and 3 credited', () => step('collector-config')?.status === 'done' && step('supervisor-config')?.status === 'done', 15_000);
    expect(step('supervisor-config')?.by).toBe('you');

    await type('kubectl apply -f opamp-server.yaml -f opamp-agent.yaml');
    await eventually('applied', () => seen().includes('deployment.apps/opamp-agent created'), 30_000);
    await eventually('Step 4 credited once the pod runs', () => step('deploy')?.status === 'done', 90_000);

    // A command that fails is an attempt that failed, shown on its step.
    await type('kubectl -n opamp exec deploy/opamp-agent -c agent -- sh -c \'grep -R "test_opamp" -n /storage/effective.yaml\'');
    await eventually('Step 10 failed after the attempt', () => step('verify-applied')?.status === 'failed', 30_000);
    expect(step('verify-applied')?.detail).toContain('kubectl exited with 1');

    await type('exit');
    await eventually('the shell exit', () => exits.has(id), 10_000);
  }, 180_000);

  it('several lab shells at once, each its own process; they close with the service', async () => {
    const a = await open();
    const b = await open();
    expect(a).not.toBe(b);
    await service.call('terminalWrite', { terminalId: a, data: 'echo "pid-a=$$"\r' });
    await service.call('terminalWrite', { terminalId: b, data: 'echo "pid-b=$$"\r' });
    await eventually('both answered', () => /pid-a=\d+/.test(output.get(a) ?? '') && /pid-b=\d+/.test(output.get(b) ?? ''), 10_000);
    const pidA = Number(/pid-a=(\d+)/.exec(output.get(a)!)?.[1]);
    const pidB = Number(/pid-b=(\d+)/.exec(output.get(b)!)?.[1]);
    expect(pidA).not.toBe(pidB);
    await service.close();
    await eventually('both shells gone', () => [pidA, pidB].every((pid) => { try { process.kill(pid, 0); return false; } catch { return true; } }), 10_000);
  }, 60_000);
});

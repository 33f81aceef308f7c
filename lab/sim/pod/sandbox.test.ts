// Integration: a real lab server and an agent sandbox joined by a tiny SimNetwork.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startLabServer, type LabServer } from '../../server/index';
import { BROKEN_OVERLAYS, GOOD_OVERLAY } from '../../../shared/collectorConfig/overlayCases';
import { labBaseConfig } from '../../../shared/collectorConfig/labBase';
import { validateOverlayConfig } from '../../../shared/collectorConfig/validate';
import { findTestSpan, testSpanRequest } from '../../../shared/otlp/testSpan';
import { randomBytes } from 'node:crypto';
import { bytesToHex } from '../../../shared/opamp/index';
import { createPodSandbox } from './sandbox';
import type { ContainerSpec, PodSandbox, RunningContainer, SimNetwork } from './types';

const SUP = readFileSync(new URL('../../agent/supervisor.yaml', import.meta.url), 'utf8');
const COL = readFileSync(new URL('../../agent/collector.yaml', import.meta.url), 'utf8');
const OVERLAY = readFileSync(new URL('../../overlays/test_opamp.yaml', import.meta.url), 'utf8');

async function eventually<T>(fn: () => T | undefined | false, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('eventually: timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

function agentSpec(sup: string): ContainerSpec {
  return {
    name: 'agent', image: 'opamp-agent:latest', command: ['/opampsupervisor'], args: ['--config=/supervisor.yaml'],
    volumeMounts: [
      { mountPath: '/supervisor.yaml', source: { kind: 'configMap', name: 'opamp-agent-config', data: { 'supervisor.yaml': sup, 'collector.yaml': COL }, subPath: 'supervisor.yaml' } },
      { mountPath: '/collector.yaml', source: { kind: 'configMap', name: 'opamp-agent-config', data: { 'supervisor.yaml': sup, 'collector.yaml': COL }, subPath: 'collector.yaml' } },
      { mountPath: '/storage', source: { kind: 'emptyDir', volumeName: 'storage' } },
    ],
  };
}

async function run(c: RunningContainer, script: string): Promise<{ out: string; err: string; code: number }> {
  const s = c.exec({ command: ['sh', '-c', script], tty: false, stdin: false });
  let out = ''; let err = '';
  s.onStdout((d) => { out += new TextDecoder().decode(d); });
  s.onStderr((d) => { err += new TextDecoder().decode(d); });
  const r = await s.exit;
  return { out, err, code: r.code };
}

let server: LabServer | undefined;
let pod: PodSandbox | undefined;
afterEach(async () => { await pod?.destroy(); await server?.close(); pod = undefined; server = undefined; });

async function boot(sup: string) {
  server = await startLabServer({ host: '127.0.0.1', opampPort: 0, uiPort: 0, restPort: false });
  const port = server.opampPort;
  const network: SimNetwork = { resolve: (_ns, host, p) => (host.startsWith('opamp-server') && p === 4320 ? { ok: true, host: '127.0.0.1', port } : host.startsWith('opamp-server') ? { ok: false, error: 'ECONNREFUSED' } : { ok: false, error: 'ENOTFOUND' }) };
  pod = createPodSandbox({ namespace: 'opamp', name: 'opamp-agent-abc', uid: 'u1', ip: '10.0.0.5', network });
  const logs: string[] = [];
  const c = pod.startContainer(agentSpec(sup), { log: (_s, l) => logs.push(l) });
  return { c, logs };
}

describe('agent sandbox against the real lab server', () => {
  it('runs the guide happy path: processes, connection, effective.yaml, overlay APPLIED', async () => {
    const { c, logs } = await boot(SUP);
    await eventually(() => logs.some((l) => l.includes('"msg":"Connected to the server."')));
    expect(logs.some((l) => l.includes('"msg":"Supervisor starting"'))).toBe(true);
    const ps = await run(c, 'ps -ef | egrep "opampsupervisor|otelcol-contrib"');
    expect(ps.out).toContain('    1 root      0:00 /opampsupervisor --config=/supervisor.yaml\n');
    expect(ps.out).toContain('    2 root      0:00 /otelcol-contrib --config /storage/effective.yaml --config=/collector.yaml\n');
    const stat = await run(c, 'cat /proc/2/stat');
    expect(stat.out.split(' ')[3]).toBe('1');
    const eff = await run(c, 'ls -l /storage/effective.yaml && head -n 40 /storage/effective.yaml');
    expect(eff.code).toBe(0);
    expect(eff.out).toMatch(/^-rw-r--r-- +1 root +root +\d+ \w{3} [ \d]\d \d\d:\d\d \/storage\/effective.yaml\n/);
    expect(eff.out).toContain('    opamp:\n');
    const none = await run(c, 'grep -R "test_opamp" -n /storage/effective.yaml');
    expect(none.code).toBe(1);

    const rec = await eventually(() => [...server!.registry.agents.values()][0]);
    await server!.registry.setOverlay(rec.uid, OVERLAY, 0);
    await eventually(() => rec.status.remoteConfigStatus?.status === 1);
    expect(logs.filter((l) => l.includes('connection reset by peer'))).toHaveLength(1);
    const hit = await run(c, 'grep -R "test_opamp" -n /storage/effective.yaml');
    expect(hit.code).toBe(0);
    expect(hit.out).toMatch(/^\d+:    attributes\/test_opamp:\n/m);
    expect(hit.out).toMatch(/^\d+:            processors:\n|- attributes\/test_opamp/m);
    const ps2 = await run(c, 'ps -ef | grep otelcol-contrib | grep -v grep');
    expect(Number(/^ +(\d+) root/.exec(ps2.out)?.[1])).toBeGreaterThan(2);
    const la = await run(c, 'ls -la /storage/');
    expect(la.out).toContain('effective.yaml\n');
    expect(la.out).toContain('persistent_state.yaml\n');
    expect(la.out).toContain('last_recv_remote_config.dat\n');
  }, 20_000);

  it('crashes with the real invalid-keys error for a collector: block', async () => {
    const { c, logs } = await boot(`${SUP}\ncollector:\n  config: /collector.yaml\n`);
    const exit = await c.exited;
    expect(exit.exitCode).toBe(1);
    expect(logs.join('\n')).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d failed to load config: decoding failed due to the following error\(s\):\n\n'' has invalid keys: collector$/);
  });

  it('reports a bad handshake for a wrong path, and runs no collector without an executable', async () => {
    const { logs } = await boot(SUP.replace('/v1/opamp', '/wrong'));
    await eventually(() => logs.some((l) => l.includes('Failed to connect to the server') && l.includes('bad handshake')));
    await pod!.destroy();
    const b = await boot(SUP.replace('/otelcol-contrib', '/nonexistent/otelcol'));
    const exit = await b.c.exited;
    expect(exit.exitCode).toBe(1);
    expect(b.logs.join('\n')).toContain('could not stat agent::executable path: stat /nonexistent/otelcol: no such file or directory');
  }, 20_000);
});

describe('the emulated otelcol-contrib 0.136 refuses what the validator refuses', () => {
  const status = (rec: { status: { remoteConfigStatus?: { status?: number; lastRemoteConfigHash?: Uint8Array; errorMessage?: string } } }, hash: string) => {
    const rc = rec.status.remoteConfigStatus;
    return rc && rc.lastRemoteConfigHash && bytesToHex(rc.lastRemoteConfigHash) === hash && (rc.status === 1 || rc.status === 3) ? rc : undefined;
  };

  it('crash-loops every 5 s on a collector-level error and reports FAILED "Config apply timeout exceeded"', async () => {
    const { c } = await boot(SUP);
    const rec = await eventually(() => [...server!.registry.agents.values()][0]);
    await server!.registry.setOverlay(rec.uid, BROKEN_OVERLAYS[0]!.text, 0);
    const hash = rec.overlay!.hash;
    const pidOf = async () => Number(/^ +(\d+) root/.exec((await run(c, 'ps -ef | grep otelcol-contrib | grep -v grep')).out)?.[1] ?? 0);
    const first = await eventually(() => (rec.status.health?.healthy === false ? rec.status.health : undefined), 3000);
    expect(first.lastError).toMatch(/^Agent process PID=\d+ exited unexpectedly, exit code=1\. Will restart in a bit\.\.\.$/);
    const agentLog = await run(c, 'cat /storage/agent.log');
    expect(agentLog.out).toContain("Error: failed to get config: cannot unmarshal the configuration: decoding failed due to the following error(s):\n\n'' has invalid keys: procesors\n");
    expect(agentLog.out).toMatch(/\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d collector server run finished with error: failed to get config/);
    // Not running between restarts: the previous config is not kept.
    expect(await pidOf()).toBe(0);
    const rc = await eventually(() => status(rec, hash), 8000);
    expect(rc).toMatchObject({ status: 3, errorMessage: 'Config apply timeout exceeded' });
    const before = (await run(c, 'grep -c "collector server run finished" /storage/agent.log')).out.trim();
    await new Promise((r) => setTimeout(r, 5200));
    const after = (await run(c, 'grep -c "collector server run finished" /storage/agent.log')).out.trim();
    expect(Number(after) - Number(before)).toBeGreaterThanOrEqual(1);
    expect(Number(after) - Number(before)).toBeLessThanOrEqual(2);
  }, 30_000);

  it('gives every broken overlay the verdict the validator gives, and the guide overlay APPLIED', async () => {
    const { c, logs } = await boot(SUP.replace('  executable: /otelcol-contrib', '  executable: /otelcol-contrib\n  config_apply_timeout: 400ms'));
    const rec = await eventually(() => [...server!.registry.agents.values()][0]);
    for (const k of BROKEN_OVERLAYS.filter((x) => x.stage !== 'empty')) {
      await server!.registry.setOverlay(rec.uid, k.text, 0);
      const hash = rec.overlay!.hash;
      const rc = await eventually(() => status(rec, hash), 5000);
      expect(rc.status, k.name).toBe(3);
      if (k.stage === 'yaml') {
        expect(rc.errorMessage, k.name).toMatch(k.message ?? /^yaml: /);
        expect(logs.some((l) => l.includes('Error composing merged config. Reporting failed remote config status.'))).toBe(true);
      } else {
        expect(rc.errorMessage, k.name).toBe('Config apply timeout exceeded');
        const verdict = validateOverlayConfig(k.text, labBaseConfig());
        expect(verdict.stage, k.name).toBe(k.stage);
        expect((await run(c, 'cat /storage/agent.log')).out, k.name).toContain(`Error: ${verdict.startupError!}\n`);
      }
    }
    await server!.registry.setOverlay(rec.uid, GOOD_OVERLAY.text, 0);
    const rc = await eventually(() => status(rec, rec.overlay!.hash), 5000);
    expect(rc.status).toBe(1);
    expect((await run(c, 'tail -n 1 /storage/agent.log')).out).toContain('Everything is ready');
  }, 60_000);
});

describe('the telemetry proof against the emulated collector', () => {
  async function sendSpan(): Promise<{ traceId: string; status: number }> {
    const port = await eventually(() => pod!.localPort(4318), 3000);
    const { body, traceId } = testSpanRequest((n) => new Uint8Array(randomBytes(n)));
    const res = await fetch(`http://127.0.0.1:${port}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });
    return { traceId, status: res.status };
  }

  it('without the overlay the span is printed without the attribute; with it, the debug exporter shows opamp.ui_test', async () => {
    const { c } = await boot(SUP);
    const rec = await eventually(() => [...server!.registry.agents.values()][0]);
    const before = await sendSpan();
    expect(before.status).toBe(200);
    const plain = findTestSpan((await run(c, 'cat /storage/agent.log')).out, before.traceId);
    expect(plain.printed).toBe(true);
    expect(plain.evidence).toBeUndefined();
    await server!.registry.setOverlay(rec.uid, OVERLAY, 0);
    await eventually(() => rec.status.remoteConfigStatus?.status === 1 && bytesToHex(rec.status.remoteConfigStatus.lastRemoteConfigHash ?? new Uint8Array()) === rec.overlay!.hash, 9000);
    const after = await sendSpan();
    expect(after.status).toBe(200);
    const log = (await run(c, 'cat /storage/agent.log')).out;
    const seen = findTestSpan(log, after.traceId);
    expect(seen).toMatchObject({ printed: true, evidence: '-> opamp.ui_test: Str(hello-from-ui)' });
    const msg = (JSON.parse(log.split('\n').find((l) => l.includes(after.traceId))!) as { msg: string }).msg;
    expect(msg).toMatch(/^ResourceSpans #0\nResource SchemaURL: \nResource attributes:\n     -> service.name: Str\(opamp-lab\)\nScopeSpans #0\nScopeSpans SchemaURL: \nInstrumentationScope opamp-lab 0.1.0\nSpan #0\n    Trace ID       : [0-9a-f]{32}\n    Parent ID      : \n    ID             : [0-9a-f]{16}\n    Name           : opamp-lab telemetry proof\n    Kind           : Internal\n    Start time     : \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} \+0000 UTC\n/);
  }, 30_000);
});

describe('exec in a pod', () => {
  it('hands piped stdin to commands that read it when it closes; others do not wait for it', async () => {
    const { c } = await boot(SUP);
    const collect = (command: string[]) => {
      const s = c.exec({ command, tty: false, stdin: true });
      let out = '';
      s.onStdout((d) => { out += new TextDecoder().decode(d); });
      return { s, out: () => out };
    };
    const cat = collect(['cat']);
    cat.s.writeStdin(new TextEncoder().encode('piped '));
    cat.s.writeStdin(new TextEncoder().encode('text\n'));
    cat.s.closeStdin();
    expect((await cat.s.exit).code).toBe(0);
    expect(cat.out()).toBe('piped text\n');
    const hash = collect(['sh', '-c', 'sha256sum /supervisor.yaml | head -c 64; echo']);
    expect((await hash.s.exit).code).toBe(0);
    expect(hash.out()).toMatch(/^[0-9a-f]{64}\n$/);
    const unknown = c.exec({ command: ['bash'], tty: false, stdin: false });
    expect(await unknown.exit).toMatchObject({ code: 127, error: expect.stringContaining('exec: "bash": executable file not found in $PATH') });
  });
});

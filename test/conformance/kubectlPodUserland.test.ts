// The alpine userland of the embedded lab's pods through the real kubectl v1.35:
// ps, kubectl cp both ways (busybox tar in the pod), wget and nslookup over the
// lab's Services and cluster DNS, the Kubernetes service variables, and kill
// with its real effects (the supervisor restarts the collector; PID 1 restarts
// the container).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sim } from '../../lab/sim/boot';
import { spawn } from 'node:child_process';
import { ProbeParser, type ProbeMessage } from '../../electron/engine/probe/probeParser';
import { PROBE_COMMAND, probeScript } from '../../electron/engine/probe/probeScript';
import { eventually } from './eventually';
import { ensureKubectl, kubectl, tempCacheDir, type KubectlEnv } from './kubectl';

let sim: Sim;
let env: KubectlEnv;
const k = (...args: string[]) => kubectl(env, ['-n', 'opamp', ...args], { timeoutMs: 60_000 });
const agent = async (): Promise<string> => eventually('a Running agent pod', async () => {
  const r = await k('get', 'pods', '-l', 'app=opamp-agent', '-o', 'jsonpath={.items[?(@.status.phase=="Running")].metadata.name}');
  return r.stdout.trim().split(' ')[0] || undefined;
}, 60_000);
const sh = async (script: string) => k('exec', await agent(), '-c', 'agent', '--', 'sh', '-c', script);

beforeAll(async () => {
  const { startSim } = await import('../../lab/sim/boot');
  sim = await startSim({ kubeconfigPath: join(mkdtempSync(join(tmpdir(), 'sim-userland-')), 'kubeconfig'), speed: 10 });
  env = { kubeconfig: sim.kubeconfigPath, cacheDir: tempCacheDir() };
  await eventually('both pods Running', async () => (await k('get', 'pods')).stdout.split('\n').filter((l) => / 1\/1 +Running /.test(l)).length === 2, 60_000);
}, 120_000);

afterAll(async () => {
  await sim?.close();
});

describe('the agent pod userland through kubectl', () => {
  it('ps -ef lists itself once, under the supervisor and collector', async () => {
    const r = await k('exec', await agent(), '-c', 'agent', '--', 'ps', '-ef');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('PID   USER     TIME  COMMAND');
    expect(lines.filter((l) => l.endsWith(' ps -ef'))).toHaveLength(1);
    expect(lines[1]).toMatch(/^ {4}1 root .* \/opampsupervisor --config=\/supervisor.yaml$/);
    expect(lines.filter((l) => !/sh -s opamp-lab-probe|^ +\d+ root +0:00 (cat|tr|sleep|stat|sha256sum|tail|head)\b/.test(l))).toHaveLength(4);
  });

  it("the engine's probe, started as the engine starts it, is one short line in ps -ef and leaves itself out", async () => {
    const pod = await agent();
    const token = 'Kc7lProbe1';
    const messages: ProbeMessage[] = [];
    const parser = new ProbeParser(token, (m) => messages.push(m));
    const bin = await ensureKubectl();
    const child = spawn(bin, ['-n', 'opamp', 'exec', '-i', pod, '-c', 'agent', '--', ...PROBE_COMMAND], { env: { ...process.env, KUBECONFIG: env.kubeconfig, KUBECACHEDIR: env.cacheDir } });
    try {
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (d: string) => parser.feed(d));
      // The script on stdin, which stays open (as the engine's stream does).
      child.stdin.write(probeScript({ token, interval: 0.2 }));
      const report = await eventually('a probe report', () => messages.find((m): m is Extract<ProbeMessage, { type: 'report' }> => m.type === 'report'), 30_000);
      expect(report.processes.map((p) => p.argv[0])).toEqual(['/opampsupervisor', '/otelcol-contrib']);
      const ps = (await k('exec', pod, '-c', 'agent', '--', 'ps', '-ef')).stdout.trim().split('\n');
      expect(ps.filter((l) => l.includes('opamp-lab-probe'))).toEqual([expect.stringMatching(/^ +\d+ root {6}0:00 sh -s opamp-lab-probe$/)]);
      expect(ps.length).toBeLessThanOrEqual(6);
    } finally {
      child.kill();
    }
  }, 60_000);

  it('kubectl cp copies a file and a folder in and out (busybox tar in the pod)', async () => {
    const pod = await agent();
    const dir = mkdtempSync(join(tmpdir(), 'cp-'));
    writeFileSync(join(dir, 'overlay.yaml'), 'processors:\n  batch: {}\n');
    mkdirSync(join(dir, 'conf', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'conf', 'sub', 'a.txt'), 'ä ünïcode\n');
    expect((await k('cp', join(dir, 'overlay.yaml'), `${pod}:/tmp/overlay.yaml`, '-c', 'agent')).code).toBe(0);
    expect((await k('cp', join(dir, 'conf'), `${pod}:/tmp/conf`, '-c', 'agent')).code).toBe(0);
    expect((await sh('cat /tmp/overlay.yaml; find /tmp/conf | sort; cat /tmp/conf/sub/a.txt')).stdout).toBe('processors:\n  batch: {}\n/tmp/conf\n/tmp/conf/sub\n/tmp/conf/sub/a.txt\nä ünïcode\n');

    const out = mkdtempSync(join(tmpdir(), 'cp-out-'));
    const file = await k('cp', `${pod}:/storage/effective.yaml`, join(out, 'effective.yaml'), '-c', 'agent');
    expect(file.code).toBe(0);
    expect(readFileSync(join(out, 'effective.yaml'), 'utf8')).toBe((await sh('cat /storage/effective.yaml')).stdout);
    expect((await k('cp', `${pod}:/tmp/conf`, join(out, 'conf'), '-c', 'agent')).code).toBe(0);
    expect(readFileSync(join(out, 'conf', 'sub', 'a.txt'), 'utf8')).toBe('ä ünïcode\n');
  });

  it('wget and nslookup reach the lab Services through cluster DNS; a wrong port is refused', async () => {
    const ip = (await k('get', 'svc', 'opamp-server', '-o', 'jsonpath={.spec.clusterIP}')).stdout.trim();
    expect(ip).toMatch(/^10\.96\./);
    const page = await sh('wget -qO- http://opamp-server.opamp.svc:4321/');
    expect(page.code).toBe(0);
    expect(page.stdout).toContain('<title>OpAMP Server</title>');
    const refused = await sh('wget -qO- http://opamp-server:4329/');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`wget: can't connect to remote host (${ip}): Connection refused`);
    expect(refused.stderr).toContain('command terminated with exit code 1');
    const unknown = await sh('wget -q -O /tmp/x http://no-such-svc:4321/');
    expect(unknown.stderr).toContain("wget: bad address 'no-such-svc'");

    // In the pod itself: the collector's OTLP/HTTP receiver answers on localhost (a GET is not its method).
    const local = await sh('wget -qO- http://localhost:4318/v1/traces; netstat -tlnp | grep 4318');
    expect(local.stderr).toContain('wget: server returned error: HTTP/1.1 405 Method Not Allowed');
    expect(local.stdout).toMatch(/^tcp +0 +0 127\.0\.0\.1:4318 +0\.0\.0\.0:\* +LISTEN +\d+\/otelcol-contrib\n$/);

    const ns = await sh('nslookup opamp-server');
    expect(ns.stdout).toBe(`Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\topamp-server.opamp.svc.cluster.local\nAddress: ${ip}\n\n`);
    const nx = await sh('nslookup no-such-svc');
    expect(nx.code).toBe(1);
    expect(nx.stdout).toContain("** server can't find no-such-svc: NXDOMAIN");
    expect((await sh('cat /etc/resolv.conf')).stdout).toBe('search opamp.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    const vars = (await sh('printenv OPAMP_SERVER_SERVICE_HOST OPAMP_SERVER_SERVICE_PORT_UI KUBERNETES_SERVICE_HOST')).stdout;
    expect(vars).toBe(`${ip}\n4321\n10.96.0.1\n`);
  });

  it('kill: the supervisor restarts a killed collector; killing PID 1 restarts the container', async () => {
    const pod = await agent();
    const collectorPid = async (): Promise<string> => (await sh('ps | grep "[o]telcol-contrib --config" | awk \'{ print $1 }\'')).stdout.trim();
    const before = await collectorPid();
    expect(before).toMatch(/^\d+$/);
    expect((await sh(`kill ${before}`)).code).toBe(0);
    expect(await collectorPid()).toBe('');
    const after = await eventually('a new collector', async () => { const p = await collectorPid(); return p && p !== before ? p : undefined; }, 20_000);
    expect(Number(after)).toBeGreaterThan(Number(before));

    expect((await sh('kill -9 1; echo $?')).stdout).toBe('0\n');
    expect((await k('get', 'pod', pod, '-o', 'jsonpath={.status.containerStatuses[0].restartCount}')).stdout).toBe('0');
    await k('exec', pod, '-c', 'agent', '--', 'kill', '1');
    await eventually('the container restarted', async () => (await k('get', 'pod', pod, '-o', 'jsonpath={.status.containerStatuses[0].restartCount}')).stdout === '1', 30_000);
    const ps = await eventually('the supervisor as PID 1 again', async () => { const r = await sh('ps'); return /\n {4}1 root .*\/opampsupervisor/.test(r.stdout) ? r.stdout : undefined; }, 30_000);
    expect(ps).toMatch(/\n {4}2 root .*\/otelcol-contrib/);
  }, 90_000);
});

// A small stand-in lab for the engine's own tests while lab/sim/pod grows, and a
// second, independent peer afterwards: pods of the Kubernetes emulator whose
//  - agent containers have a /proc tree (supervisor PID 1, collector PID 14 with
//    PPID 1) and /storage in a temp folder, and run exec commands in REAL busybox
//    ash with /proc and /storage mapped onto those folders (so the engine's probe
//    script runs as it would in Alpine);
//  - server containers serve the opamp-go example server's UI routes on 4321
//    (/, /agent?instanceid=, POST /save_config → 303) and a TLS WebSocket on 4320.
// Saving a config merges it into effective.yaml like the supervisor (keys sorted,
// 4-space indent) and reports APPLIED shortly after.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttp, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import YAML from 'yaml';
import { createSelfSignedCert } from '../../lab/sim/kube/selfSignedCert';
import type { ContainerExit, ContainerSpec, ExecRequest, ExecSession, PodSandbox, PodSandboxOptions, RunningContainer } from '../../lab/sim/pod/types';
import type { PodRuntime } from '../../lab/sim/podRuntime';

interface TestAgent {
  uid: string;
  host: string;
  config: string;
  failed?: string;
  apply(config: string): void;
}

const BASE = YAML.parse('receivers:\n  otlp:\n    protocols:\n      grpc:\n      http:\nexporters:\n  debug:\n    verbosity: detailed\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [debug]\n') as Record<string, unknown>;

function merge(a: unknown, b: unknown): unknown {
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
    for (const [k, v] of Object.entries(b as Record<string, unknown>)) out[k] = merge(out[k], v);
    return out;
  }
  return b === undefined ? a : b;
}

function compose(uid: string, overlay: string): string {
  const own = { extensions: { opamp: { instance_uid: uid, server: { ws: { endpoint: 'ws://127.0.0.1:40123/v1/opamp' } } } }, service: { extensions: ['opamp'] } };
  const remote = overlay.trim() ? (YAML.parse(overlay) as unknown) : {};
  return YAML.stringify(merge(merge(BASE, own), remote), { indent: 4, sortMapEntries: true, indentSeq: true });
}

function page(agents: Map<string, TestAgent>, uid?: string): string {
  if (!uid) return `<html><title>OpAMP Server</title><h2>Agents</h2><table>${[...agents.values()].map((a) => `<tr><td><a href="agent?instanceid=${a.uid}">${a.uid}</a></td></tr>`).join('')}</table></html>`;
  const a = agents.get(uid);
  if (!a) return '';
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;');
  return `<html><title>OpAMP Server</title><table><tr><td>Instance ID:</td><td>${a.uid}</td></tr><tr><td>Up:</td><td>true</td></tr></table>
<table><tr><td>host.name</td><td>string_value:"${a.host}"</td></tr></table>
<form action="/save_config" method="post"><input type="hidden" name="instanceid" value="${a.uid}"/><textarea rows="20" name="config">${esc(a.config)}</textarea>
${a.failed ? `<span style="color:red">Failed: ${esc(a.failed)}</span>` : ''}<input type="submit" value="Save and Send to Agent"/></form></html>`;
}

export function createTestLabRuntime(): PodRuntime & { agents: Map<string, TestAgent> } {
  const agents = new Map<string, TestAgent>();
  /** Kept per host prefix like our lab server keeps overlays across reconnects. */
  let kept = '';
  const cert = createSelfSignedCert('opamp-test-lab');

  function createSandbox(opts: PodSandboxOptions): PodSandbox {
    const root = mkdtempSync(join(tmpdir(), `testlab-${opts.name}-`));
    const ports = new Map<number, number>();
    const closers: (() => void)[] = [];
    const map = (s: string): string => s.replace(/\/proc\//g, `${root}/proc/`).replace(/\/storage\//g, `${root}/storage/`);
    function exec(req: ExecRequest): ExecSession {
      const out: ((d: Uint8Array) => void)[] = [];
      const err: ((d: Uint8Array) => void)[] = [];
      const child = spawn('busybox', req.command.map(map), { stdio: ['pipe', 'pipe', 'pipe'] });
      child.stdout.on('data', (d: Buffer) => out.forEach((l) => l(d)));
      child.stderr.on('data', (d: Buffer) => err.forEach((l) => l(d)));
      const exit = new Promise<{ code: number; error?: string }>((resolve) => {
        child.on('error', (e) => resolve({ code: 127, error: e.message }));
        child.on('close', (code) => resolve({ code: code ?? 137 }));
      });
      closers.push(() => child.kill('SIGKILL'));
      // The probe's script comes on stdin (sh -s), so its paths are mapped there too.
      return { writeStdin: (d) => child.stdin.write(map(Buffer.from(d).toString('utf8'))), closeStdin: () => child.stdin.end(), resize: () => undefined, onStdout: (l) => out.push(l), onStderr: (l) => err.push(l), exit, kill: () => child.kill('SIGKILL') };
    }
    return {
      ip: opts.ip,
      localPort: (p) => ports.get(p),
      startContainer(spec: ContainerSpec, io): RunningContainer {
        let finish!: (e: ContainerExit) => void;
        const exited = new Promise<ContainerExit>((r) => (finish = r));
        let ready = false;
        if (spec.image.includes('server')) {
          const ui: Server = createHttp((req, res) => {
            const url = new URL(req.url ?? '/', 'http://x');
            if (url.pathname === '/agent') {
              const body = page(agents, url.searchParams.get('instanceid') ?? '');
              return void (body ? res.writeHead(200, { 'content-type': 'text/html' }).end(body) : res.writeHead(404).end());
            }
            if (url.pathname === '/save_config' && req.method === 'POST') {
              let body = '';
              req.on('data', (d) => (body += d));
              req.on('end', () => {
                const form = new URLSearchParams(body);
                const a = agents.get(form.get('instanceid') ?? '');
                if (!a) return void res.writeHead(404).end();
                kept = form.get('config') ?? '';
                a.apply(kept);
                res.writeHead(303, { location: `/agent?instanceid=${a.uid}` }).end();
              });
              return;
            }
            res.writeHead(200, { 'content-type': 'text/html' }).end(page(agents));
          });
          const tls = createHttps({ cert: cert.certPem, key: cert.keyPem });
          const wss = new WebSocketServer({ server: tls, path: '/v1/opamp' });
          let pending = 2;
          const up = (port: number, server: Server) => () => {
            ports.set(port, (server.address() as { port: number }).port);
            if (--pending === 0) ready = true;
          };
          ui.listen(0, '127.0.0.1', up(4321, ui));
          tls.listen(0, '127.0.0.1', up(4320, tls as unknown as Server));
          closers.push(() => { ui.closeAllConnections(); ui.close(); wss.close(); tls.closeAllConnections(); tls.close(); });
        } else {
          mkdirSync(join(root, 'proc', '1'), { recursive: true });
          mkdirSync(join(root, 'storage'), { recursive: true });
          writeFileSync(join(root, 'proc', '1', 'stat'), '1 (opampsupervisor) S 0 1 1 0 -1 4194560 0 0 0 0 1 1 0 0 20 0 9 0 100 0 0\n');
          writeFileSync(join(root, 'proc', '1', 'cmdline'), '/opampsupervisor\0--config=/supervisor.yaml\0');
          // /proc start times are clock ticks (100 Hz) after boot; PID 1 started at tick 100, with the container.
          const containerStart = Date.now();
          let collectorPid = 14;
          const startCollector = (ticks: number): void => {
            const dir = join(root, 'proc', String(collectorPid));
            mkdirSync(dir, { recursive: true });
            writeFileSync(join(dir, 'stat'), `${collectorPid} (otelcol-contrib) S 1 ${collectorPid} 1 0 -1 4194560 0 0 0 0 1 1 0 0 20 0 9 0 ${ticks} 0 0\n`);
            writeFileSync(join(dir, 'cmdline'), '/otelcol-contrib\0--config=/storage/effective.yaml\0--config=/collector.yaml\0');
          };
          startCollector(150);
          const agent: TestAgent = {
            uid: randomUUID(),
            host: opts.name,
            config: kept,
            apply(config) {
              agent.config = config;
              setTimeout(() => {
                writeFileSync(join(root, 'storage', 'effective.yaml'), compose(agent.uid, config));
                // As the supervisor: the collector is restarted on the new file (a new PID, started now).
                rmSync(join(root, 'proc', String(collectorPid)), { recursive: true, force: true });
                collectorPid += 1;
                startCollector(100 + Math.ceil((Date.now() - containerStart) / 10) + 1);
              }, 100);
            },
          };
          io.log('stdout', '{"level":"info","ts":1,"msg":"Supervisor starting"}');
          writeFileSync(join(root, 'storage', 'effective.yaml'), compose(agent.uid, kept));
          writeFileSync(join(root, 'storage', 'agent.log'), '{"level":"info","msg":"Everything is ready. Begin running and processing data."}\n');
          const t = setTimeout(() => {
            agents.set(agent.uid, agent);
            io.log('stdout', '{"level":"info","ts":2,"msg":"Connected to the server."}');
            ready = true;
          }, 100);
          closers.push(() => { clearTimeout(t); agents.delete(agent.uid); });
        }
        return {
          name: spec.name,
          startedAt: new Date(),
          exited,
          isReady: () => ready,
          stop: async () => {
            for (const c of closers.splice(0)) c();
            finish({ exitCode: 0, reason: 'Completed' });
          },
          exec,
        };
      },
      async destroy() {
        for (const c of closers.splice(0)) c();
        rmSync(root, { recursive: true, force: true });
      },
    };
  }
  return { createSandbox, isKnownImage: () => true, agents };
}

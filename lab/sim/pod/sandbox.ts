// One emulated pod: a file system, a process table and containers chosen by image.
import { imageKind } from './images';
import { comm, ProcessTable } from './processTable';
import { addAgentBinaries, populateRootfs } from './rootfs';
import { startExecSession } from './execSession';
import type { Listener } from './applets';
import type { ShellEnv } from './shell';
import { startServerContainer } from './serverContainer';
import { SupervisorEmulator } from './supervisor';
import { Vfs } from './vfs';
import type { ContainerExit, ContainerIo, ContainerSpec, ExecRequest, ExecSession, PodSandbox, PodSandboxOptions, RunningContainer } from './types';

export function createPodSandbox(opts: PodSandboxOptions): PodSandbox {
  const fs = new Vfs();
  const procs = new ProcessTable();
  procs.mount(fs);
  populateRootfs(fs, { namespace: opts.namespace, name: opts.name, ip: opts.ip });
  const ports = new Map<number, number>();
  const stops = new Set<() => Promise<void>>();

  function mount(spec: ContainerSpec): void {
    for (const m of spec.volumeMounts) {
      if (m.source.kind === 'configMap' && m.source.subPath) fs.write(m.mountPath, m.source.data[m.source.subPath] ?? '');
      else if (m.source.kind === 'configMap') { fs.mkdir(m.mountPath); for (const [k, v] of Object.entries(m.source.data)) fs.write(`${m.mountPath}/${k}`, v); }
      else fs.mkdir(m.mountPath);
    }
  }

  let serverPid: number | undefined;

  /** What listens in the pod (netstat): the server's ports, or the supervisor's local OpAMP server and the collector's receivers. */
  function listeners(): Listener[] {
    const out: Listener[] = [];
    const byProgram = (name: string) => [...procs.procs.values()].find((p) => (p.argv[0] ?? '').split('/').pop() === name);
    const server = serverPid === undefined ? undefined : procs.procs.get(serverPid);
    if (server) for (const port of ports.keys()) out.push({ address: '::', port, pid: server.pid, program: comm(server) });
    const sup = byProgram('opampsupervisor');
    const effective = fs.get('/storage/effective.yaml')?.data ?? '';
    const localWs = /ws:\/\/127\.0\.0\.1:(\d+)/.exec(effective);
    if (sup && localWs) out.push({ address: '127.0.0.1', port: Number(localWs[1]), pid: sup.pid, program: 'opampsupervisor' });
    const col = byProgram('otelcol-contrib');
    if (col && !server) {
      // The receivers that really listen (OTLP/HTTP), then the gRPC receiver and the metrics endpoint a real collector adds.
      for (const port of ports.keys()) out.push({ address: '127.0.0.1', port, pid: col.pid, program: 'otelcol-contrib' });
      if (/\bgrpc\b/.test(effective) && !ports.has(4317)) out.push({ address: '127.0.0.1', port: 4317, pid: col.pid, program: 'otelcol-contrib' });
      out.push({ address: '127.0.0.1', port: 8888, pid: col.pid, program: 'otelcol-contrib' });
    }
    return out.sort((a, b) => a.port - b.port);
  }

  /** A command in the pod; with `pid`, the session is that (already spawned) process, as attach needs. */
  function exec(req: ExecRequest, pid: number | undefined, containerEnv: Record<string, string>): ExecSession {
    const vars: Record<string, string> = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOSTNAME: opts.name, ...containerEnv, HOME: '/root' };
    // The runtime sets TERM for a process given a terminal (containerd and CRI-O: xterm).
    if (req.tty) vars.TERM = 'xterm';
    const env: ShellEnv = {
      fs, procs, cwd: '/', vars, hostname: opts.name, network: opts.network, namespace: opts.namespace, podIp: opts.ip,
      localPort: (p) => ports.get(p), listeners,
      ...(req.tty ? { tty: { cols: req.cols ?? 80, rows: req.rows ?? 24 } } : {}),
    };
    const proc = (pid !== undefined ? procs.procs.get(pid) : undefined) ?? procs.spawn([...req.command], 0);
    return startExecSession({ req, env, proc });
  }

  function startContainer(spec: ContainerSpec, io: ContainerIo): RunningContainer {
    mount(spec);
    const kind = imageKind(spec.image);
    const argv = [...(spec.command ?? []), ...(spec.args ?? [])];
    let ready = false;
    let exitResolve!: (e: ContainerExit) => void;
    const exited = new Promise<ContainerExit>((r) => { exitResolve = r; });
    let stop: () => Promise<void> = async () => {};
    let main: ExecSession | undefined;
    if (kind === 'agent') {
      addAgentBinaries(fs);
      procs.restartNamespace();
      const full = argv.length ? argv : ['/opampsupervisor', '--config=/supervisor.yaml'];
      const proc = procs.spawn(full, 0);
      const sup = new SupervisorEmulator({
        fs, procs, io, network: opts.network, namespace: opts.namespace, hostname: opts.name, argv: full,
        listen: (c, p) => ports.set(c, p), unlisten: (c) => ports.delete(c),
      }, proc.pid);
      proc.onSignal = (signal) => sup.signal(signal);
      sup.exited.then((code) => { procs.exit(proc.pid); ready = false; exitResolve({ exitCode: code, reason: code === 0 ? 'Completed' : 'Error' }); });
      sup.start();
      ready = true;
      stop = () => sup.stop();
    } else if (kind === 'server') {
      const proc = procs.spawn(argv.length ? argv : ['node', '/app/lab/server/cli.js', 'server'], 0);
      serverPid = proc.pid;
      const server = startServerContainer(argv, spec.volumeMounts, io);
      void server.failed.then((code) => { procs.exit(proc.pid); exitResolve({ exitCode: code, reason: 'Error' }); });
      void server.listening.then((local) => { for (const [c, p] of local) ports.set(c, p); ready = true; });
      stop = async () => { ready = false; await server.stop(); for (const p of [4320, 4321, 4322]) ports.delete(p); procs.exit(proc.pid); exitResolve({ exitCode: 137, reason: 'Error' }); };
    } else {
      const command = argv.length ? argv : ['sh'];
      const proc = procs.spawn(command, 0);
      ready = true;
      // A shell started with stdin (kubectl run -it, kubectl debug -it) reads what attach sends; it ends the container when it exits.
      if (spec.stdin && command.length === 1 && ['sh', '/bin/sh', 'ash', '/bin/ash'].includes(command[0] ?? '')) {
        const session = exec({ command, tty: spec.tty ?? false, stdin: true }, proc.pid, spec.env ?? {});
        main = session;
        void session.exit.then(({ code }) => exitResolve({ exitCode: code, reason: code === 0 ? 'Completed' : 'Error' }));
        stop = async () => { session.kill(); exitResolve({ exitCode: 137, reason: 'Error' }); };
      } else stop = async () => { procs.exit(proc.pid); exitResolve({ exitCode: 137, reason: 'Error' }); };
    }
    stops.add(stop);
    return {
      name: spec.name, startedAt: new Date(), exited,
      isReady: () => ready,
      async stop() { stops.delete(stop); await stop(); },
      exec: (req) => exec(req, undefined, spec.env ?? {}),
      attach: () => main,
    };
  }

  return {
    ip: opts.ip,
    startContainer,
    localPort: (p) => ports.get(p),
    async destroy() { await Promise.all([...stops].map((s) => s())); stops.clear(); },
  };
}

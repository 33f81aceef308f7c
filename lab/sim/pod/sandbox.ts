// One emulated pod: a file system, a process table and containers chosen by image.
import { imageKind } from './images';
import { ProcessTable } from './processTable';
import { EXECUTABLES } from './applets';
import { Shell, type ShellEnv } from './shell';
import { startServerContainer } from './serverContainer';
import { SupervisorEmulator } from './supervisor';
import { Vfs } from './vfs';
import type { ContainerExit, ContainerIo, ContainerSpec, ExecRequest, ExecSession, PodSandbox, PodSandboxOptions, RunningContainer } from './types';

const enc = new TextEncoder();

export function createPodSandbox(opts: PodSandboxOptions): PodSandbox {
  const fs = new Vfs();
  const procs = new ProcessTable();
  procs.mount(fs);
  fs.write('/etc/hostname', `${opts.name}\n`);
  const ports = new Map<number, number>();
  const stops = new Set<() => Promise<void>>();

  function mount(spec: ContainerSpec): void {
    for (const m of spec.volumeMounts) {
      if (m.source.kind === 'configMap' && m.source.subPath) fs.write(m.mountPath, m.source.data[m.source.subPath] ?? '');
      else if (m.source.kind === 'configMap') { fs.mkdir(m.mountPath); for (const [k, v] of Object.entries(m.source.data)) fs.write(`${m.mountPath}/${k}`, v); }
      else fs.mkdir(m.mountPath);
    }
  }

  /** A command in the pod; with `pid`, the session is that (already spawned) process, as attach needs. */
  function exec(req: ExecRequest, pid?: number): ExecSession {
    const env: ShellEnv = { fs, procs, cwd: '/', vars: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOSTNAME: opts.name, HOME: '/root' }, hostname: opts.name, ...(req.tty ? { tty: { cols: req.cols ?? 80, rows: req.rows ?? 24 } } : {}) };
    const outL: ((d: Uint8Array) => void)[] = [];
    const errL: ((d: Uint8Array) => void)[] = [];
    const proc = pid !== undefined ? { pid } : procs.spawn([...req.command], 0);
    const shell = new Shell(env, proc.pid);
    let done = false;
    let finish!: (r: { code: number; error?: string }) => void;
    const exit = new Promise<{ code: number; error?: string }>((r) => { finish = r; });
    const end = (r: { code: number; error?: string }): void => {
      if (done) return;
      done = true;
      shell.kill();
      procs.exit(proc.pid);
      finish(r);
    };
    const emit = (ls: ((d: Uint8Array) => void)[], s: string) => { if (s && !done) for (const l of ls) l(enc.encode(req.tty ? s.replace(/\n/g, '\r\n') : s)); };
    const io = { out: (s: string) => emit(outL, s), err: (s: string) => emit(req.tty ? outL : errL, s) };
    const interactive = req.command.length === 1 && ['sh', '/bin/sh', 'ash', '/bin/ash'].includes(req.command[0]!);
    // Lines typed while a command runs wait their turn, as in a terminal.
    let queue = Promise.resolve();
    let current: AbortController | undefined;
    let line = '';
    // Non-interactive exec -i: what arrives on stdin is handed over when it closes.
    let piped = '';
    let closeStdin!: () => void;
    const stdin = req.stdin && !interactive ? new Promise<string>((r) => { closeStdin = () => r(piped); }) : '';
    const prompt = (): void => { if (req.tty) io.out('/ # '); };
    const session: ExecSession = {
      writeStdin(data) {
        if (done) return;
        if (!interactive) { if (req.stdin) piped += new TextDecoder().decode(data); return; }
        for (const ch of new TextDecoder().decode(data)) {
          if (ch === '\r' || ch === '\n') {
            if (req.tty) io.out('\n');
            const cmd = line;
            line = '';
            queue = queue.then(async () => {
              if (done) return;
              if (cmd.trim() === 'exit') { end({ code: 0 }); return; }
              current = new AbortController();
              await shell.run(cmd, { ...io, signal: current.signal });
              current = undefined;
              prompt();
            });
          } else if (ch === '\u0004' && line === '') { end({ code: 0 }); return; }
          else if (ch === '\u0003') { line = ''; current?.abort(); io.out('^C\n'); if (!current) prompt(); }
          else if (ch === '\u007f' || ch === '\b') { if (line) { line = line.slice(0, -1); if (req.tty) io.out('\b \b'); } }
          else { line += ch; if (req.tty) io.out(ch); }
        }
      },
      closeStdin() { if (interactive) void queue.then(() => end({ code: shell.lastStatus })); else if (req.stdin) closeStdin(); },
      resize(cols, rows) { if (env.tty) env.tty = { cols, rows }; },
      onStdout(l) { outL.push(l); },
      onStderr(l) { errL.push(l); },
      exit,
      kill() { if (req.stdin && !interactive) closeStdin(); end({ code: 137 }); },
    };
    setTimeout(() => {
      if (interactive) { prompt(); return; }
      const [cmd, ...rest] = req.command;
      const base = (cmd ?? '').split('/').pop()!;
      if (!EXECUTABLES.has(base)) {
        const msg = `exec: "${cmd}": executable file not found in $PATH`;
        end({ code: 127, error: `failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: ${msg}: unknown` });
        return;
      }
      // `sh -c SCRIPT` runs SCRIPT; anything else runs as one quoted command line.
      const script = (base === 'sh' || base === 'ash') ? (rest[0] === '-c' ? rest[1] ?? '' : '') : req.command.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
      void shell.run(script, { ...io, stdin }).then((code) => end({ code }), (err: Error) => { io.err(`sh: ${err.message}\n`); end({ code: 2 }); });
    }, 0);
    return session;
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
      fs.write('/opampsupervisor', 'ELF'); fs.write('/otelcol-contrib', 'ELF');
      fs.get('/opampsupervisor')!.mode = 0o755; fs.get('/otelcol-contrib')!.mode = 0o755;
      const full = argv.length ? argv : ['/opampsupervisor', '--config=/supervisor.yaml'];
      const proc = procs.spawn(full, 0);
      const sup = new SupervisorEmulator({
        fs, procs, io, network: opts.network, namespace: opts.namespace, hostname: opts.name, argv: full,
        listen: (c, p) => ports.set(c, p), unlisten: (c) => ports.delete(c),
      }, proc.pid);
      sup.exited.then((code) => { procs.exit(proc.pid); ready = false; exitResolve({ exitCode: code, reason: code === 0 ? 'Completed' : 'Error' }); });
      sup.start();
      ready = true;
      stop = () => sup.stop();
    } else if (kind === 'server') {
      const proc = procs.spawn(argv.length ? argv : ['node', '/app/lab/server/cli.js', 'server'], 0);
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
        const session = exec({ command, tty: spec.tty ?? false, stdin: true }, proc.pid);
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
      exec,
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

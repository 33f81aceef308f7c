// One emulated pod: a file system, a process table and containers chosen by image.
import { startLabServer, type LabServer } from '../../server/index';
import { imageKind } from './images';
import { ProcessTable } from './processTable';
import { runScript, type ShellEnv } from './shell';
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

  function exec(req: ExecRequest): ExecSession {
    const env: ShellEnv = { fs, procs, cwd: '/', vars: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOSTNAME: opts.name, HOME: '/root' }, hostname: opts.name };
    const outL: ((d: Uint8Array) => void)[] = [];
    const errL: ((d: Uint8Array) => void)[] = [];
    let finish!: (r: { code: number; error?: string }) => void;
    const exit = new Promise<{ code: number; error?: string }>((r) => { finish = r; });
    const emit = (ls: ((d: Uint8Array) => void)[], s: string) => { if (s) for (const l of ls) l(enc.encode(req.tty ? s.replace(/\n/g, '\r\n') : s)); };
    const interactive = req.command.length === 1 && ['sh', '/bin/sh', 'bash', 'ash'].includes(req.command[0]!);
    let line = '';
    const session: ExecSession = {
      writeStdin(data) {
        if (!interactive) return;
        for (const ch of new TextDecoder().decode(data)) {
          if (ch === '\r' || ch === '\n') {
            if (req.tty) emit(outL, '\n');
            if (line.trim() === 'exit') { finish({ code: 0 }); return; }
            const r = runScript(line, env); line = '';
            emit(outL, r.out); emit(req.tty ? outL : errL, r.err);
            if (req.tty) emit(outL, '/ # ');
          } else if (ch === '\u0004' && line === '') { finish({ code: 0 }); return; }
          else if (ch === '\u0003') { line = ''; emit(outL, '^C\n/ # '); }
          else if (ch === '\u007f' || ch === '\b') { if (line) { line = line.slice(0, -1); if (req.tty) emit(outL, '\b \b'); } }
          else { line += ch; if (req.tty) emit(outL, ch); }
        }
      },
      closeStdin() { if (interactive) finish({ code: 0 }); },
      resize() {},
      onStdout(l) { outL.push(l); },
      onStderr(l) { errL.push(l); },
      exit,
      kill() { finish({ code: 137 }); },
    };
    setTimeout(() => {
      if (interactive) { if (req.tty) emit(outL, '/ # '); return; }
      const [cmd, ...rest] = req.command;
      const known = ['sh', 'ps', 'grep', 'egrep', 'ls', 'cat', 'head', 'tail', 'echo', 'test', '[', 'sha256sum', 'md5sum', 'wc', 'true', 'false', 'env', 'hostname', 'id', 'pwd', 'sleep'];
      const base = (cmd ?? '').split('/').pop()!;
      if (!known.includes(base)) {
        const msg = `exec: "${cmd}": executable file not found in $PATH`;
        finish({ code: 127, error: `failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: ${msg}: unknown` });
        return;
      }
      const script = base === 'sh' ? (rest[0] === '-c' ? rest[1] ?? '' : '') : req.command.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
      const r = runScript(script, env);
      emit(outL, r.out); emit(errL, r.err);
      finish({ code: r.code });
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
    if (kind === 'agent') {
      fs.write('/opampsupervisor', 'ELF'); fs.write('/otelcol-contrib', 'ELF');
      fs.get('/opampsupervisor')!.mode = 0o755; fs.get('/otelcol-contrib')!.mode = 0o755;
      const full = argv.length ? argv : ['/opampsupervisor', '--config=/supervisor.yaml'];
      const proc = procs.spawn(full, 0);
      const sup = new SupervisorEmulator({ fs, procs, io, network: opts.network, namespace: opts.namespace, hostname: opts.name, argv: full }, proc.pid);
      sup.exited.then((code) => { procs.exit(proc.pid); ready = false; exitResolve({ exitCode: code, reason: code === 0 ? 'Completed' : 'Error' }); });
      sup.start();
      ready = true;
      stop = () => sup.stop();
    } else if (kind === 'server') {
      const proc = procs.spawn(argv.length ? argv : ['node', '/app/lab/server/cli.js', 'server'], 0);
      let server: LabServer | undefined;
      void startLabServer({ host: '127.0.0.1', opampPort: 0, uiPort: 0, restPort: 0, log: (l) => io.log('stdout', l) }).then((s) => {
        server = s; ports.set(4320, s.opampPort); ports.set(4321, s.uiPort); if (s.restPort) ports.set(4322, s.restPort); ready = true;
      }, (err: Error) => { io.log('stderr', `opamp-lab server: ${err.message}`); procs.exit(proc.pid); exitResolve({ exitCode: 1, reason: 'Error' }); });
      stop = async () => { ready = false; await server?.close(); for (const p of [4320, 4321, 4322]) ports.delete(p); procs.exit(proc.pid); exitResolve({ exitCode: 137, reason: 'Error' }); };
    } else {
      const proc = procs.spawn(argv.length ? argv : ['sh'], 0);
      ready = true;
      stop = async () => { procs.exit(proc.pid); exitResolve({ exitCode: 137, reason: 'Error' }); };
    }
    stops.add(stop);
    return {
      name: spec.name, startedAt: new Date(), exited,
      isReady: () => ready,
      async stop() { stops.delete(stop); await stop(); },
      exec,
    };
  }

  return {
    ip: opts.ip,
    startContainer,
    localPort: (p) => ports.get(p),
    async destroy() { await Promise.all([...stops].map((s) => s())); stops.clear(); },
  };
}

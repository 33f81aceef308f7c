// A tiny PodSandbox for the kube emulator's own tests, independent of the
// real pod emulation: images named test/* behave simply and predictably.
//   test/printer  logs "hello from <pod>" and a counter until stopped
//   test/crash    logs "starting <random id>" and exits 1 shortly after
//   test/stubborn ignores SIGTERM (exits on SIGKILL after the grace period)
//   test/echo     TCP echo servers on its containerPorts; ready once listening
//   test/slow     like printer, but ready only after 1.5 s (env READY_AFTER_MS to change it)
// exec understands: echo ARGS, cat (stdin to stdout), exit N, sh -c "echo ..."
import { createServer, type Server } from 'node:net';
import type { ContainerExit, ContainerIo, ContainerSpec, ExecRequest, ExecSession, PodSandbox, PodSandboxOptions, RunningContainer } from '../../pod/types';

export const isTestImage = (image: string): boolean => /^test\/(printer|crash|stubborn|echo|slow)(:|$)/.test(image);

function execSession(req: ExecRequest): ExecSession {
  const out: ((d: Uint8Array) => void)[] = [];
  const err: ((d: Uint8Array) => void)[] = [];
  let settle!: (v: { code: number; error?: string }) => void;
  const exit = new Promise<{ code: number; error?: string }>((r) => (settle = r));
  const emit = (text: string, to = out): void => { setImmediate(() => to.forEach((l) => l(Buffer.from(text)))); };
  let argv = req.command;
  if (argv[0] === 'sh' && argv[1] === '-c') argv = (argv[2] ?? '').split(/\s+/).filter(Boolean);
  const [cmd, ...args] = argv;
  let catMode = false;
  if (cmd === 'echo') { emit(`${args.join(' ')}\n`); setImmediate(() => setImmediate(() => settle({ code: 0 }))); }
  else if (cmd === 'exit') setImmediate(() => settle({ code: Number(args[0] ?? 0) }));
  else if (cmd === 'fail') { emit(`${args.join(' ')}\n`, err); setImmediate(() => setImmediate(() => settle({ code: 2 }))); }
  else if (cmd === 'cat') catMode = true;
  else setImmediate(() => settle({ code: 127, error: `exec: "${cmd}": executable file not found in $PATH` }));
  return {
    writeStdin: (data) => { if (catMode) out.forEach((l) => l(data)); },
    closeStdin: () => { if (catMode) setImmediate(() => settle({ code: 0 })); },
    resize: (cols, rows) => { if (catMode) emit(`resized ${cols}x${rows}\n`); },
    onStdout: (l) => out.push(l),
    onStderr: (l) => err.push(l),
    exit,
    kill: () => settle({ code: 137 }),
  };
}

export function createMiniSandbox(opts: PodSandboxOptions): PodSandbox {
  const servers = new Map<number, Server>();
  const ports = new Map<number, number>();
  const containers = new Set<{ stop(ms: number): Promise<void> }>();
  const sockets = new Set<import('node:net').Socket>();
  return {
    ip: opts.ip,
    localPort: (p) => ports.get(p),
    startContainer(spec: ContainerSpec, io: ContainerIo): RunningContainer {
      // Images outside test/* stand in for the lab's: a *server* image echoes on its ports.
      const kind = spec.image.startsWith('test/') ? spec.image.replace(/^test\//, '').split(':')[0] : spec.image.includes('server') ? 'echo' : 'printer';
      let finish!: (e: ContainerExit) => void;
      const exited = new Promise<ContainerExit>((r) => (finish = r));
      let done = false;
      const end = (e: ContainerExit): void => { if (!done) { done = true; clearInterval(timer); finish(e); } };
      let n = 0;
      io.log('stdout', kind === 'crash' ? `starting ${Math.random().toString(36).slice(2, 8)}` : `hello from ${opts.name}`);
      const timer = setInterval(() => io.log('stdout', `tick ${++n}`), 100);
      if (kind === 'crash') setTimeout(() => { io.log('stderr', 'fatal: crashing'); end({ exitCode: 1, reason: 'Error' }); }, 50);
      let listening = kind !== 'echo' && kind !== 'slow';
      if (kind === 'slow') setTimeout(() => { listening = true; }, Number(spec.env?.READY_AFTER_MS ?? 1500));
      if (kind === 'echo') {
        let pending = spec.ports?.length ?? 0;
        for (const p of spec.ports ?? []) {
          const server = createServer((s) => {
            sockets.add(s);
            s.on('close', () => sockets.delete(s));
            s.pipe(s);
          });
          server.listen(0, '127.0.0.1', () => {
            const addr = server.address();
            if (addr && typeof addr === 'object') ports.set(p.containerPort, addr.port);
            if (--pending === 0) listening = true;
          });
          servers.set(p.containerPort, server);
        }
      }
      const container = {
        stop: async (graceMs: number): Promise<void> => {
          if (kind === 'stubborn') await new Promise((r) => setTimeout(r, graceMs));
          for (const [p, s] of servers) { s.close(); ports.delete(p); }
          for (const s of sockets) s.destroy();
          end({ exitCode: kind === 'stubborn' ? 137 : 0, reason: kind === 'stubborn' ? 'Error' : 'Completed', ...(kind === 'stubborn' ? { signal: 'SIGKILL' } : {}) });
          await exited;
        },
      };
      containers.add(container);
      void exited.then(() => containers.delete(container));
      return { name: spec.name, startedAt: new Date(), exited, isReady: () => listening && !done, stop: container.stop, exec: execSession };
    },
    async destroy(): Promise<void> {
      await Promise.all([...containers].map((c) => c.stop(0)));
      for (const s of servers.values()) s.close();
    },
  };
}

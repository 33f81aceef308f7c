// `opamp-lab server`: runs the lab OpAMP server until SIGINT/SIGTERM.
import { startLabServer } from './index';

const USAGE = `Usage: opamp-lab server [options]

Runs the lab's OpAMP server: OpAMP on /v1/opamp (WebSocket and HTTP; TLS with a demo-only certificate
unless --no-tls), the web UI and /api, and the opamp-go compatible REST API.

Options:
  --opamp-port N   OpAMP port (default 4320)
  --ui-port N      web UI and /api port (default 4321)
  --rest-port N    REST API port (default 4322; 0 = any free port)
  --no-rest        do not serve the REST API
  --host H         address to listen on (default 127.0.0.1; 0.0.0.0 in a container)
  --no-tls         plain ws:// and http:// instead of wss:// and https://
  --help           show this help`;

function portArg(name: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || n > 65535) throw new Error(`${name} needs a port number 0-65535, got "${value ?? ''}"`);
  return n;
}

export async function runServerCommand(argv: string[]): Promise<number> {
  const opts: Parameters<typeof startLabServer>[0] = { log: (line) => console.log(line) };
  try {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
      const value = () => inline ?? argv[++i];
      switch (flag) {
        case '--help': case '-h': console.log(USAGE); return 0;
        case '--opamp-port': opts.opampPort = portArg(flag, value()); break;
        case '--ui-port': opts.uiPort = portArg(flag, value()); break;
        case '--rest-port': opts.restPort = portArg(flag, value()); break;
        case '--no-rest': opts.restPort = false; break;
        case '--host': { const h = value(); if (!h) throw new Error('--host needs an address'); opts.host = h; break; }
        case '--no-tls': opts.tls = false; break;
        default: throw new Error(`unknown option "${arg}"`);
      }
    }
  } catch (err) {
    console.error(`opamp-lab server: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  let server;
  try {
    server = await startLabServer(opts);
  } catch (err) {
    console.error(`opamp-lab server: ${(err as Error).message}`);
    return 1;
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}

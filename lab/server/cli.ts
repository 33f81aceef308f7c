// `opamp-lab server`: runs the lab OpAMP server until SIGINT/SIGTERM. parseServerArgs is also how the
// embedded lab reads the server container's args (lab/sim/pod), so both accept the same flags.
import { startLabServer, type LabServerOptions } from './index';
import { SERVER_USAGE } from './usage';

function portArg(name: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || n > 65535) throw new Error(`${name} needs a port number 0-65535, got "${value ?? ''}"`);
  return n;
}

const HOST_NAME = /^(\*|\.?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)$/i;

/** Parses the server's flags; throws an Error with a one-line reason on a bad one. `help` for --help. */
export function parseServerArgs(argv: readonly string[]): LabServerOptions & { help?: boolean } {
  const opts: LabServerOptions & { help?: boolean } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--help': case '-h': opts.help = true; break;
      case '--opamp-port': opts.opampPort = portArg(flag, value()); break;
      case '--ui-port': opts.uiPort = portArg(flag, value()); break;
      case '--rest-port': opts.restPort = portArg(flag, value()); break;
      case '--no-rest': opts.restPort = false; break;
      case '--host': { const h = value(); if (!h) throw new Error('--host needs an address'); opts.host = h; break; }
      case '--no-tls': opts.tls = false; break;
      case '--data-dir': { const d = value(); if (!d) throw new Error('--data-dir needs a folder'); opts.dataDir = d; break; }
      case '--allowed-host': {
        const names = (value() ?? '').split(',').map((n) => n.trim()).filter(Boolean);
        const bad = names.find((n) => !HOST_NAME.test(n));
        if (!names.length || bad !== undefined) throw new Error(`--allowed-host needs host names (no ports or schemes), got "${bad ?? ''}"`);
        opts.allowedHosts = [...(opts.allowedHosts ?? []), ...names];
        break;
      }
      default: throw new Error(`unknown option "${arg}"`);
    }
  }
  return opts;
}

export async function runServerCommand(argv: string[]): Promise<number> {
  let opts: ReturnType<typeof parseServerArgs>;
  try {
    opts = parseServerArgs(argv);
  } catch (err) {
    console.error(`opamp-lab server: ${(err as Error).message}\n\n${SERVER_USAGE}`);
    return 2;
  }
  if (opts.help) {
    console.log(SERVER_USAGE);
    return 0;
  }
  let server;
  try {
    server = await startLabServer({ ...opts, log: (line) => console.log(line) });
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

// `opamp-lab sim`: boots the embedded lab and serves it until SIGINT/SIGTERM.
import { startSim } from './boot';
import { SIM_USAGE } from './usage';

interface SimArgs {
  port?: number;
  kubeconfigPath?: string;
  replicas?: number;
  blank?: boolean;
  help?: boolean;
}

export function parseSimArgs(argv: string[]): SimArgs {
  const args: SimArgs = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value`);
      return v;
    };
    const whole = (v: string, min: number, max: number): number => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} must be a whole number from ${min} to ${max}, got "${v}"`);
      return n;
    };
    switch (flag) {
      case '--port': args.port = whole(value(), 0, 65535); break;
      case '--kubeconfig': args.kubeconfigPath = value(); break;
      case '--replicas': args.replicas = whole(value(), 0, 20); break;
      case '--blank': args.blank = true; break;
      case '--help': case '-h': args.help = true; break;
      default: throw new Error(`unknown option ${arg}`);
    }
  }
  return args;
}

export async function runSimCommand(argv: string[]): Promise<number> {
  let args: SimArgs;
  try {
    args = parseSimArgs(argv);
  } catch (err) {
    console.error(`opamp-lab sim: ${(err as Error).message}\n\n${SIM_USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(SIM_USAGE);
    return 0;
  }
  let sim;
  try {
    sim = await startSim({ port: args.port, kubeconfigPath: args.kubeconfigPath, replicas: args.replicas, ...(args.blank ? { blank: true } : {}) });
  } catch (err) {
    console.error(`opamp-lab sim: ${(err as Error).message.replace(/^sim: /, '')}`);
    return 1;
  }
  console.log(`opamp-lab sim ready: kubeconfig=${sim.kubeconfigPath} api=${sim.apiUrl} ui=${sim.uiUrl}`);
  const running = sim;
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await running.close();
  return 0;
}

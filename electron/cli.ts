// `opamp-lab`: one entry point for the embedded lab, the OpAMP server, the
// checks and the web shell. Each subcommand lives in its own module and is
// loaded only when asked for.
import { fileURLToPath } from 'node:url';

interface Subcommand {
  summary: string;
  module: string;
  entry: string;
}

const SUBCOMMANDS: Record<string, Subcommand> = {
  sim: { summary: 'run the embedded lab (an emulated cluster with the lab deployed)', module: '../lab/sim/cli', entry: 'runSimCommand' },
  server: { summary: 'run the OpAMP server (OpAMP 4320, web UI 4321, REST 4322)', module: '../lab/server/cli', entry: 'runServerCommand' },
  verify: { summary: "check the lab's six success criteria and show the evidence", module: './engine/cli/verify', entry: 'runVerifyCommand' },
  'push-overlay': { summary: 'send a config overlay to the agents through the server UI', module: './engine/cli/pushOverlay', entry: 'runPushOverlayCommand' },
  restart: { summary: 'rollout-restart the agent deployment and wait for it', module: './engine/cli/restart', entry: 'runRestartCommand' },
  web: { summary: 'serve OpAMP Lab in your browser on 127.0.0.1', module: './web/cli', entry: 'runWebCommand' },
};

export function usage(): string {
  const width = Math.max(...Object.keys(SUBCOMMANDS).map((name) => name.length));
  const lines = Object.entries(SUBCOMMANDS).map(([name, cmd]) => `  ${name.padEnd(width)}  ${cmd.summary}`);
  return ['Usage: opamp-lab <command> [options]', '', 'Commands:', ...lines, '', 'Run `opamp-lab <command> --help` for its options.'].join('\n');
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  if (!command) {
    console.error(`opamp-lab: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  let run: ((args: string[]) => Promise<number>) | undefined;
  try {
    const mod = (await import(command.module)) as Record<string, unknown>;
    run = typeof mod[command.entry] === 'function' ? (mod[command.entry] as (args: string[]) => Promise<number>) : undefined;
  } catch (err) {
    if (!isModuleMissing(err)) throw err;
  }
  if (!run) {
    console.error(`opamp-lab ${name}: not available in this build yet`);
    return 2;
  }
  return run(rest);
}

function isModuleMissing(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(`opamp-lab: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}

// `opamp-lab`: one entry point for the embedded lab, the OpAMP server, the
// checks and the web shell. Each subcommand lives in its own module and is
// loaded only when asked for.
import { fileURLToPath } from 'node:url';
import { commandEndsProcess } from './engine/cli/common';

type Run = (args: string[]) => Promise<number>;

interface Subcommand {
  summary: string;
  /** A static import() each, so the CLI bundle (scripts/build-cli.mjs) splits every command into
   *  its own chunk and `--help` loads none of them. */
  load: () => Promise<Run>;
}

const SUBCOMMANDS: Record<string, Subcommand> = {
  sim: { summary: 'run the embedded lab (an emulated cluster with the lab deployed)', load: async () => (await import('../lab/sim/cli')).runSimCommand },
  server: { summary: 'run the OpAMP server (OpAMP 4320, web UI 4321, REST 4322)', load: async () => (await import('../lab/server/cli')).runServerCommand },
  verify: { summary: "check the lab's six success criteria and show the evidence", load: async () => (await import('./engine/cli/verify')).runVerifyCommand },
  'push-overlay': { summary: 'send a config overlay to the agents through the server UI', load: async () => (await import('./engine/cli/pushOverlay')).runPushOverlayCommand },
  restart: { summary: 'rollout-restart the agent deployment and wait for it', load: async () => (await import('./engine/cli/restart')).runRestartCommand },
  web: { summary: 'serve OpAMP Lab in your browser on 127.0.0.1', load: async () => (await import('./web/cli')).runWebCommand },
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
  const run = await command.load();
  return run(rest);
}

/**
 * The process entry (bin/opamp-lab.mjs): runs one command and ends the process as soon as that
 * command's work is done and its output is written. The engine's close is awaited first (so the
 * embedded lab, forwards and watches are torn down in order); nothing left behind (a keep-alive
 * socket, a retry timer, a pod's emulated process) may keep a finished command alive.
 */
export async function main(argv: string[]): Promise<never> {
  // A reader that goes away (`opamp-lab verify --watch | head -1`) is a normal end, not a crash.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      process.exit(err.code === 'EPIPE' ? 0 : 1);
    });
  }
  commandEndsProcess.value = true;
  let code: number;
  try {
    code = await runCli(argv);
  } catch (err) {
    console.error(`opamp-lab: ${err instanceof Error ? err.message : String(err)}`);
    code = 1;
  }
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}

/** Resolves once everything written so far to `stream` has been handed to the OS. */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) resolve();
    else stream.write('', () => resolve());
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) void main(process.argv.slice(2));

// `opamp-lab`: one entry point for the embedded lab, the OpAMP server, the
// checks and the web shell. Each subcommand lives in its own module and is
// loaded only when asked for.
import { fileURLToPath } from 'node:url';
import { isCommandName, quickHelp, usage, type CommandName } from './cliUsage';
import { commandEndsProcess } from './engine/cli/common';

type Run = (args: string[]) => Promise<number>;

/** A static import() each, so the CLI bundle (scripts/build-cli.mjs) splits every command into its own
 *  chunk and `--help` loads none of them. */
const LOADERS: Record<CommandName, () => Promise<Run>> = {
  sim: async () => (await import('../lab/sim/cli')).runSimCommand,
  server: async () => (await import('../lab/server/cli')).runServerCommand,
  verify: async () => (await import('./engine/cli/verify')).runVerifyCommand,
  'push-overlay': async () => (await import('./engine/cli/pushOverlay')).runPushOverlayCommand,
  restart: async () => (await import('./engine/cli/restart')).runRestartCommand,
  web: async () => (await import('./web/cli')).runWebCommand,
};

export async function runCli(argv: string[]): Promise<number> {
  const help = quickHelp(argv);
  if (help) {
    console.log(help.text);
    return help.code;
  }
  const [name = '', ...rest] = argv;
  if (!isCommandName(name)) {
    console.error(`opamp-lab: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const run = await LOADERS[name]();
  return run(rest);
}

/**
 * The process entry (bin/opamp-lab.cjs, for anything but a plain help request): runs one command
 * and ends the process as soon as that command's work is done and its output is written. The
 * engine's close is awaited first (so the embedded lab, forwards and watches are torn down in
 * order); nothing left behind (a keep-alive socket, a retry timer, a pod's emulated process) may
 * keep a finished command alive.
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

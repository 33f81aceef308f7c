// Every `opamp-lab` command's help text, and the top-level usage, in a module that loads nothing
// heavy. The launcher (bin/opamp-lab.cjs) answers a plain help request from its CommonJS build
// (dist/cli/help.cjs) before Node's ES module loader starts or the command bundle is read; the
// commands print the same texts when their own parsers see --help or a bad flag.
import { SERVER_USAGE } from '../lab/server/usage';
import { SIM_USAGE } from '../lab/sim/usage';

export const VERIFY_USAGE = `Usage: opamp-lab verify [--telemetry] [--kubeconfig F] [--context C] [-n NS] [--json] [--watch] [--timeout S] [--embedded]

Checks the lab's six success criteria on every opamp-agent pod and prints the
evidence. Exits 0 when all pass, 1 when any does not, 2 on bad usage or a
connection error. --watch keeps printing changes until Ctrl-C or --timeout.
--telemetry adds the seventh check, "the overlay acts on data": one OTLP/HTTP
test span to each agent pod's 4318, found in /storage/agent.log with
opamp.ui_test: hello-from-ui (the guide's overlay) added; it must pass too.`;

export const PUSH_OVERLAY_USAGE = `Usage: opamp-lab push-overlay FILE [--pod P] [--force] [--kubeconfig F] [--context C] [-n NS] [--timeout S] [--embedded]

Checks FILE with otelcol-contrib 0.136's rules (merged onto the lab's collector.yaml),
sends it to the agents through POST /save_config on the server UI (port 4321,
port-forwarded), waits for RemoteConfigStatus APPLIED (or FAILED) and the keys in
effective.yaml, and prints the round trip: saved, sent, received, written,
restarted, APPLIED/FAILED. --force sends an overlay the checks refuse (to practise
the failure).`;

export const RESTART_USAGE = `Usage: opamp-lab restart [--deployment D] [--kubeconfig F] [--context C] [-n NS] [--timeout S] [--embedded]

Restarts deployment D (default opamp-agent) like \`kubectl rollout restart\` and
waits like \`kubectl rollout status\`.`;

export const WEB_USAGE = `Usage: opamp-lab web [--port N] [--embedded] [--open]

Serves OpAMP Lab at http://127.0.0.1:<port>/?token=<random>. Only this machine can reach it,
and only with the token printed here.

Options:
  --port N      port to listen on (default: a free one)
  --embedded    start the embedded lab (no cluster needed) and connect to it
  --open        open the page in your browser
  --help        show this help`;

/** The commands, in the order `--help` lists them. */
export const COMMANDS = {
  sim: { summary: 'run the embedded lab (an emulated cluster with the lab deployed)', usage: SIM_USAGE },
  server: { summary: 'run the OpAMP server (OpAMP 4320, web UI 4321, REST 4322)', usage: SERVER_USAGE },
  verify: { summary: "check the lab's six success criteria and show the evidence", usage: VERIFY_USAGE },
  'push-overlay': { summary: 'send a config overlay to the agents through the server UI', usage: PUSH_OVERLAY_USAGE },
  restart: { summary: 'rollout-restart the agent deployment and wait for it', usage: RESTART_USAGE },
  web: { summary: 'serve OpAMP Lab in your browser on 127.0.0.1', usage: WEB_USAGE },
} as const;

export type CommandName = keyof typeof COMMANDS;

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, cmd]) => `  ${name.padEnd(width)}  ${cmd.summary}`);
  return ['Usage: opamp-lab <command> [options]', '', 'Commands:', ...lines, '', 'Run `opamp-lab <command> --help` for its options.'].join('\n');
}

const TOP_LEVEL_HELP = new Set(['--help', '-h', 'help']);

/**
 * What to print (on stdout) and the exit code, when argv asks only for help: nothing (usage, exit 2),
 * `--help`/`-h`/`help`, or `<command> --help`. Anything else is for the command to read.
 */
export function quickHelp(argv: readonly string[]): { text: string; code: number } | undefined {
  const [first, second] = argv;
  if (first === undefined) return { text: usage(), code: 2 };
  if (argv.length === 1 && TOP_LEVEL_HELP.has(first)) return { text: usage(), code: 0 };
  if (argv.length === 2 && second === '--help' && isCommandName(first)) return { text: COMMANDS[first].usage, code: 0 };
  return undefined;
}

// Reads a kubectl argv (as the lab shell's kubectl wrapper records it, after the
// shell expanded $POD and quotes) well enough to tell which guide step the
// command verifies. Pure; the flag tables follow kubectl's own flag sets.
import { shQuote } from '../shellQuote';

export interface KubectlCall {
  verb?: string;
  namespace?: string;
  container?: string;
  /** Arguments that are not flags, after the verb (e.g. the pod, "deploy/opamp-agent"). */
  positional: string[];
  /** The command after `--` (exec), joined by the remote shell later. */
  remote: string[];
}

// Flags that take the next argument as their value when written without "=".
const SHORT_WITH_VALUE = new Set(['n', 'c', 'l', 'o', 'f', 'k', 's']);
const LONG_WITH_VALUE = new Set([
  'namespace', 'context', 'cluster', 'user', 'kubeconfig', 'server', 'token', 'container', 'selector', 'output', 'filename',
  'kustomize', 'since', 'since-time', 'tail', 'timeout', 'from-file', 'from-literal', 'field-manager', 'template', 'pod-running-timeout',
  'sort-by', 'field-selector', 'request-timeout', 'cache-dir', 'as', 'as-group', 'limit-bytes', 'max-log-requests', 'type', 'dry-run',
]);

export function parseKubectlArgs(argv: readonly string[]): KubectlCall {
  const call: KubectlCall = { positional: [], remote: [] };
  const set = (name: string, value: string): void => {
    if (name === 'n' || name === 'namespace') call.namespace = value;
    if (name === 'c' || name === 'container') call.container = value;
  };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i] ?? '';
    if (a === '--') {
      call.remote = argv.slice(i + 1);
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      if (eq >= 0) set(name, a.slice(eq + 1));
      else if (LONG_WITH_VALUE.has(name) && name !== 'dry-run') set(name, argv[(i += 1)] ?? '');
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      // -n opamp, -nopamp, -it, -c agent
      const name = a[1] ?? '';
      if (SHORT_WITH_VALUE.has(name)) set(name, a.length > 2 ? a.slice(2).replace(/^=/, '') : argv[(i += 1)] ?? '');
      continue;
    }
    if (call.verb === undefined) call.verb = a;
    else call.positional.push(a);
  }
  return call;
}

/** The guide's verification steps a command can stand for. */
export type VerifyStepId = 'verify-processes' | 'verify-connection' | 'verify-effective' | 'verify-applied';

const AGENT_TARGET = /^((pods?|po)\/)?opamp-agent-[a-z0-9]+-[a-z0-9]+$|^(deploy|deployment|deployments)(\.apps)?\/opamp-agent$/;

/** Which verification step a kubectl command performs, if any. */
export function verifyStepOf(argv: readonly string[]): VerifyStepId | undefined {
  const call = parseKubectlArgs(argv);
  const target = call.positional[0] ?? '';
  if (!AGENT_TARGET.test(target)) return undefined;
  if (call.container !== undefined && call.container !== 'agent') return undefined;
  if (call.verb === 'logs') return 'verify-connection';
  if (call.verb !== 'exec') return undefined;
  const remote = call.remote.join(' ');
  if (/effective\.yaml/.test(remote)) return /test_opamp/.test(remote) ? 'verify-applied' : 'verify-effective';
  if (/(^|[\s'";|(])ps(\s|$)|\/proc\b/.test(remote)) return 'verify-processes';
  return undefined;
}

/** How a command reads in a step's detail: the argv re-quoted for a POSIX shell, shortened. */
export function displayCommand(argv: readonly string[], max = 160): string {
  const text = ['kubectl', ...argv].map(shQuote).join(' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

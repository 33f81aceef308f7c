// `opamp-lab verify`: the six success criteria of every agent pod with their
// evidence; exit 0 only when all pass.
import { allPass } from '../../../shared/criteria';
import type { AgentPodState, CriterionResult } from '../../../shared/state';
import { runCliCommand, waitForState } from './common';

const USAGE = `Usage: opamp-lab verify [--telemetry] [--kubeconfig F] [--context C] [-n NS] [--json] [--watch] [--timeout S] [--embedded]

Checks the lab's six success criteria on every opamp-agent pod and prints the
evidence. Exits 0 when all pass, 1 when any does not, 2 on bad usage or a
connection error. --watch keeps printing changes until Ctrl-C or --timeout.
--telemetry adds the seventh check, "the overlay acts on data": one OTLP/HTTP
test span to each agent pod's 4318, found in /storage/agent.log with
opamp.ui_test: hello-from-ui (the guide's overlay) added; it must pass too.`;

const MARK: Record<CriterionResult['status'], string> = { pass: '✔', fail: '✘', pending: '…' };

export function formatAgents(agents: readonly AgentPodState[]): string {
  if (agents.length === 0) return 'no opamp-agent pods found';
  const out: string[] = [];
  for (const a of agents) {
    out.push(`pod ${a.pod}`);
    for (const c of a.criteria) {
      out.push(`  ${MARK[c.status]} ${c.title} [${c.status}]`);
      for (const e of c.evidence) out.push(`      ${e.source ? `${e.source}: ` : ''}${e.text}`);
      if (c.hint && c.status !== 'pass') out.push(`      → ${c.hint}`);
    }
    const t = a.telemetry;
    if (t && t.status !== 'running') {
      out.push(`  ${t.status === 'pass' ? MARK.pass : MARK.fail} The overlay acts on data (test span) [${t.status}]`);
      for (const e of t.evidence) out.push(`      ${e.source ? `${e.source}: ` : ''}${e.text}`);
      if (t.hint && t.status !== 'pass') out.push(`      → ${t.hint}`);
    }
  }
  return out.join('\n');
}

const decided = (agents: readonly AgentPodState[]): boolean => agents.length > 0 && agents.every((a) => a.criteria.length === 6 && a.criteria.every((c) => c.status !== 'pending'));
const passing = (agents: readonly AgentPodState[]): boolean => agents.length > 0 && agents.every((a) => allPass(a.criteria));

export function runVerifyCommand(argv: string[]): Promise<number> {
  return runCliCommand({
    name: 'verify',
    usage: USAGE,
    async run(service, flags) {
      const agents = (): AgentPodState[] => service.store.current.agents;
      const timeoutMs = (flags.timeoutS ?? (flags.watch ? 24 * 3600 : 30)) * 1000;
      const telemetry = flags.extra.telemetry === 'true';
      const telemetryOk = (): boolean => !telemetry || agents().every((a) => a.telemetry?.status === 'pass');
      if (flags.watch) {
        let last = '';
        const print = (): void => {
          const text = flags.json ? JSON.stringify({ pods: agents(), allPass: passing(agents()) }) : formatAgents(agents());
          if (text !== last) {
            last = text;
            console.log(flags.json ? text : `\n${new Date().toISOString()}\n${text}`);
          }
        };
        const unsubscribe = service.subscribe(print);
        print();
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, timeoutMs);
          process.once('SIGINT', () => {
            clearTimeout(t);
            resolve();
          });
        });
        unsubscribe();
      } else {
        // Wait until every criterion has settled (or all pass), within the timeout.
        await waitForState(service, () => passing(agents()) || decided(agents()), timeoutMs);
        if (telemetry) {
          for (const a of agents()) {
            const r = await service.call('checkTelemetry', { pod: a.pod });
            if (!r.ok) console.error(`opamp-lab verify: telemetry on ${a.pod}: ${r.error.message}`);
          }
          await waitForState(service, () => agents().every((a) => a.telemetry && a.telemetry.status !== 'running'), 5000);
        }
        const list = agents();
        console.log(flags.json ? JSON.stringify({ pods: list, allPass: passing(list) }, null, 2) : formatAgents(list));
      }
      return passing(agents()) && telemetryOk() ? 0 : 1;
    },
  }, argv);
}

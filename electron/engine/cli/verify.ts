// `opamp-lab verify`: the six success criteria of every agent pod with their
// evidence; exit 0 only when all pass.
// From state.ts, not criteria.ts: `verify --help` must not load the YAML parser and the validator.
import { allPass, type AgentPodState, type CriterionResult } from '../../../shared/state';
import type { EngineService } from '../index';
import { runCliCommand, waitForState } from './common';
import { VERIFY_USAGE } from '../../cliUsage';

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

/** After the first probe report, how long one-shot `verify` waits for the server to list every agent pod. */
const SETTLE_MS = 5000;

/** The agent pods whose container runs (a pod that is not running has nothing to probe or to report). */
function running(service: EngineService): Set<string> {
  return new Set(service.store.current.pods.filter((p) => p.ready && !p.terminating).map((p) => p.name));
}

/** Every running agent pod has sent its first probe report. */
function probedOnce(service: EngineService): boolean {
  const { agents } = service.store.current;
  const up = running(service);
  return agents.length > 0 && agents.every((a) => a.probe.lastReportAt !== undefined || !up.has(a.pod));
}

/** The server's view has been read and lists every running agent pod. */
function listedByServer(service: EngineService): boolean {
  const up = running(service);
  return service.store.current.agents.every((a) => a.server !== undefined || !up.has(a.pod));
}

const decided = (agents: readonly AgentPodState[]): boolean => agents.length > 0 && agents.every((a) => a.criteria.length === 6 && a.criteria.every((c) => c.status !== 'pending'));
const passing = (agents: readonly AgentPodState[]): boolean => agents.length > 0 && agents.every((a) => allPass(a.criteria));

export function runVerifyCommand(argv: string[]): Promise<number> {
  return runCliCommand({
    name: 'verify',
    usage: VERIFY_USAGE,
    oneLook: (flags) => !flags.watch,
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
        // One look, not a watch: every agent pod probed once, then one fresh server read. What is still
        // pending after that (no overlay sent yet, a grace period running) is the verdict, not a reason to wait.
        const settled = (): boolean => passing(agents()) || decided(agents());
        const deadline = Date.now() + timeoutMs;
        const left = (cap = Infinity): number => Math.max(0, Math.min(cap, deadline - Date.now()));
        if (!settled() && (await waitForState(service, () => settled() || probedOnce(service), left())) && !settled()) {
          // A server read that ran alongside the probe and lists every pod is fresh enough for one look.
          if (!listedByServer(service)) void service.engine.readServerView();
          // The server's answer (through the forward) follows within a moment; a loaded machine may take seconds.
          await waitForState(service, () => settled() || listedByServer(service), left(SETTLE_MS));
          // One more evaluation for the verdicts that combine the server's view with the probe's.
          await waitForState(service, settled, left(250));
        }
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

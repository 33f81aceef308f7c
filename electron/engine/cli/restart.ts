// `opamp-lab restart`: kubectl rollout restart + rollout status for the agent
// deployment, printing kubectl's progress lines, then the fresh criteria.
import { runCliCommand, waitForState } from './common';

const USAGE = `Usage: opamp-lab restart [--deployment D] [--kubeconfig F] [--context C] [-n NS] [--timeout S] [--embedded]

Restarts deployment D (default opamp-agent) like \`kubectl rollout restart\` and
waits like \`kubectl rollout status\`.`;

export function runRestartCommand(argv: string[]): Promise<number> {
  return runCliCommand({
    name: 'restart',
    usage: USAGE,
    async run(service, flags) {
      const deployment = flags.extra.deployment ?? 'opamp-agent';
      let printed = 0;
      const unsubscribe = service.subscribe(() => {
        const m = service.store.current.rollout.messages;
        while (printed < m.length) console.log(m[printed++]);
      });
      await waitForState(service, () => service.store.current.pods.some((p) => p.name.startsWith(`${deployment}-`)), 15_000);
      const r = await service.call('restartRollout', { deployment });
      unsubscribe();
      if (!r.ok) {
        console.error(`opamp-lab restart: ${r.error.message}`);
        return 1;
      }
      const m = (r.value as { messages: string[] }).messages;
      while (printed < m.length) console.log(m[printed++]);
      return 0;
    },
  }, argv);
}

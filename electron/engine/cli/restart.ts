// `opamp-lab restart`: kubectl rollout restart + rollout status for the agent
// deployment, printing kubectl's progress lines, then the fresh criteria.
import { runCliCommand, waitForState } from './common';
import { RESTART_USAGE } from '../../cliUsage';

export function runRestartCommand(argv: string[]): Promise<number> {
  return runCliCommand({
    name: 'restart',
    usage: RESTART_USAGE,
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

// `opamp-lab restart`: kubectl rollout restart + rollout status for the agent
// deployment, printing kubectl's progress lines, then the fresh criteria.
import { connectService, errorText, parseFlags, waitForState } from './common';

const USAGE = `Usage: opamp-lab restart [--deployment D] [--kubeconfig F] [--context C] [-n NS] [--timeout S] [--embedded]

Restarts deployment D (default opamp-agent) like \`kubectl rollout restart\` and
waits like \`kubectl rollout status\`.`;

export async function runRestartCommand(argv: string[]): Promise<number> {
  let flags;
  try {
    flags = parseFlags(argv);
  } catch (err) {
    console.error(`opamp-lab restart: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  let service;
  try {
    service = await connectService(flags, () => undefined);
  } catch (err) {
    console.error(`opamp-lab restart: ${errorText(err)}`);
    return 2;
  }
  try {
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
  } finally {
    await service.close();
  }
}

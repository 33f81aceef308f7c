// `opamp-lab push-overlay FILE`: validate an overlay, send it through the
// server UI's save route like the browser form, and follow it to APPLIED.
import { readFile } from 'node:fs/promises';
import { validateOverlay } from '../../../shared/overlay';
import { formatTimeline } from '../../../shared/overlayTimeline';
import { runCliCommand, waitForState } from './common';
import { PUSH_OVERLAY_USAGE } from '../../cliUsage';

export function runPushOverlayCommand(argv: string[]): Promise<number> {
  let text = '';
  let force = false;
  return runCliCommand({
    name: 'push-overlay',
    usage: PUSH_OVERLAY_USAGE,
    async prepare(flags) {
      const file = flags.positional[0];
      if (!file || flags.positional.length > 1) {
        console.error(`opamp-lab push-overlay: give exactly one overlay file\n\n${PUSH_OVERLAY_USAGE}`);
        return 2;
      }
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        console.error(`opamp-lab push-overlay: cannot read ${file}: ${(err as Error).message}`);
        return 2;
      }
      force = flags.extra.force === 'true';
      const v = validateOverlay(text);
      const problems: { message: string; line?: number; col?: number; suggestion?: string; fix?: string }[] = !v.ok ? v.errors : v.collector && !v.collector.ok ? v.collector.errors : [];
      for (const e of problems) {
        const more = [e.suggestion ? `did you mean "${e.suggestion}"?` : '', e.fix ? `fix: ${e.fix}` : ''].filter(Boolean).join('; ');
        console.error(`${file}${e.line ? `:${e.line}:${e.col}` : ''}: ${e.message.split('\n').filter((l) => l.trim() !== '').join(' ')}${more ? ` (${more})` : ''}`);
      }
      if (problems.length > 0 && !force) {
        console.error(`opamp-lab push-overlay: otelcol-contrib would refuse ${file}; fix it, or send it anyway with --force to practise the failure`);
        return 2;
      }
      return undefined;
    },
    async run(service, flags) {
      const timeoutMs = (flags.timeoutS ?? 60) * 1000;
      const pod = flags.extra.pod;
      const agents = (): number => service.store.current.agents.filter((a) => a.server?.connected && (!pod || a.pod === pod)).length;
      if (!(await waitForState(service, () => agents() > 0, timeoutMs))) {
        console.error('opamp-lab push-overlay: no agent is connected to the server');
        return 1;
      }
      const r = await service.call('pushOverlay', { text, ...(pod ? { pod } : {}), ...(force ? { force: true } : {}) });
      if (!r.ok) {
        console.error(`opamp-lab push-overlay: ${r.error.message}`);
        return 1;
      }
      const { instanceUids, hash } = r.value as { instanceUids: string[]; hash: string };
      console.log(`sent to ${instanceUids.length} agent(s): ${instanceUids.join(', ')} (config hash ${hash.slice(0, 12)}…)`);
      const visible = (): boolean => {
        const list = service.store.current.agents.filter((a) => !pod || a.pod === pod);
        return list.length > 0 && list.every((a) => a.criteria.find((c) => c.id === 'overlay-visible')?.status === 'pass' && a.criteria.find((c) => c.id === 'remote-config-applied')?.status === 'pass');
      };
      const failed = (): boolean => service.store.current.overlay.status === 'failed';
      await waitForState(service, () => visible() || failed(), timeoutMs);
      const mine = () => service.store.current.agents.filter((a) => (!pod || a.pod === pod) && a.overlayTimeline?.hash === hash.toLowerCase());
      // The verdict reaches the timeline with the next evaluation.
      await waitForState(service, () => mine().every((a) => a.overlayTimeline?.steps.find((s) => s.id === 'verdict')?.status !== 'waiting'), 2000);
      printTimelines(mine());
      if (failed()) {
        console.error(`FAILED: ${service.store.current.overlay.error ?? 'the agent rejected the config'}`);
        return 1;
      }
      if (!visible()) {
        console.error(`not applied within ${timeoutMs / 1000} s (overlay status: ${service.store.current.overlay.status})`);
        return 1;
      }
      console.log('APPLIED; every key of the overlay is in /storage/effective.yaml');
      return 0;
    },
  }, argv);
}

function printTimelines(agents: readonly { pod: string; overlayTimeline?: Parameters<typeof formatTimeline>[0] }[]): void {
  for (const a of agents) {
    console.log(`round trip on ${a.pod}:`);
    for (const line of formatTimeline(a.overlayTimeline!)) console.log(`  ${line}`);
  }
}

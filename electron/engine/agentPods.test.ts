// agent.log chunks from the probe become whole lines: a line split across two
// reads is joined, and when the probe skipped bytes the chunk's leading
// fragment is dropped and a note says how much was left out.
import { describe, expect, it } from 'vitest';
import type * as k8s from '@kubernetes/client-node';
import type { LogLine } from '../../shared/api';
import { AgentPods } from './agentPods';

const pod = { metadata: { name: 'a' }, status: { containerStatuses: [{ name: 'agent', ready: true, restartCount: 0, image: '', imageID: '', state: { running: { startedAt: new Date(0) } } }] } } as unknown as k8s.V1Pod;

function feed(chunks: { offset: number; text: string }[]): string[] {
  const pods = new AgentPods();
  pods.updatePod(pod);
  const out: LogLine[] = [];
  let seq = 0;
  for (const c of chunks) pods.onProbe('a', { type: 'agent-log', ...c }, (l) => out.push(...l), () => ++seq);
  return out.map((l) => l.text);
}

describe('agent.log lines', () => {
  it('joins a line split across reads', () => {
    expect(feed([{ offset: 0, text: 'one\ntw' }, { offset: 6, text: 'o\nthree\n' }])).toEqual(['one', 'two', 'three']);
  });

  it('drops the fragment after skipped bytes and says how many were skipped', () => {
    const long = `error: ${'x'.repeat(100)} the end`;
    expect(feed([{ offset: 0, text: 'first\npart' }, { offset: 500, text: `${long.slice(40)}\nwhole line\n` }])).toEqual(['first', '[490 bytes of /storage/agent.log skipped: more than one read of the probe; kubectl exec … cat /storage/agent.log has them]', 'whole line']);
  });

  it('a file that starts over drops the held partial line', () => {
    expect(feed([{ offset: 0, text: 'a\nhalf' }, { offset: 0, text: 'fresh\n' }])).toEqual(['a', 'fresh']);
  });
});

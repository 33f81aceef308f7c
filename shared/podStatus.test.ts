import { describe, expect, it } from 'vitest';
import { humanDuration } from './humanDuration';
import { podStatusText, readyText, restartsText, statusTone } from './podStatus';
import type { ContainerView, PodView } from './state';

const pod = (containers: ContainerView[], extra: Partial<PodView> = {}): PodView => ({ name: 'p', namespace: 'opamp', app: 'opamp-agent', phase: 'Running', ready: false, terminating: false, createdAt: 0, containers, ...extra });
const c = (extra: Partial<ContainerView>): ContainerView => ({ name: 'agent', ready: false, restartCount: 0, state: 'running', ...extra });

describe('pod status as kubectl prints it', () => {
  it('prefers a waiting reason over the phase, Terminating over all', () => {
    expect(podStatusText(pod([c({ ready: true })]))).toBe('Running');
    expect(podStatusText(pod([c({ state: 'waiting', reason: 'CrashLoopBackOff', restartCount: 3 })]))).toBe('CrashLoopBackOff');
    expect(podStatusText(pod([c({ state: 'waiting', reason: 'ContainerCreating' })], { phase: 'Pending' }))).toBe('ContainerCreating');
    expect(podStatusText(pod([c({ state: 'terminated', reason: 'Completed' })], { phase: 'Succeeded' }))).toBe('Completed');
    expect(podStatusText(pod([c({ ready: true })], { terminating: true }))).toBe('Terminating');
    expect(podStatusText(pod([], { phase: 'Pending' }))).toBe('Pending');
  });

  it('colours: running ok, back-offs and errors bad, creating in progress', () => {
    expect(statusTone('Running')).toBe('ok');
    expect(statusTone('CrashLoopBackOff')).toBe('bad');
    expect(statusTone('ImagePullBackOff')).toBe('bad');
    expect(statusTone('Error')).toBe('bad');
    expect(statusTone('ContainerCreating')).toBe('progress');
    expect(statusTone('Terminating')).toBe('done');
  });

  it('READY and RESTARTS columns', () => {
    const p = pod([c({ ready: true }), c({ name: 'x', restartCount: 2, lastTermination: { exitCode: 1, finishedAt: 1_000 } })]);
    expect(readyText(p)).toBe('1/2');
    expect(restartsText(p, 91_000, humanDuration)).toBe('2 (90s ago)');
    expect(restartsText(pod([c({})]), 0, humanDuration)).toBe('0');
  });
});

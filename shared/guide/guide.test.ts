import { describe, expect, it } from 'vitest';
import { emptyLabState, type LabState, type PodView } from '../state';
import { buildGuideObservations, type ClusterFacts } from './observations';
import { evaluateGuide } from './progress';
import { fillCommand, findStep, GUIDE_STEPS } from './steps';

// Same shape as lab/agent (shared tests do no file I/O).
const supervisor = `server:
  endpoint: wss://opamp-server.opamp.svc.cluster.local:4320/v1/opamp
  tls:
    insecure_skip_verify: true
storage:
  directory: /storage
capabilities:
  accepts_remote_config: true
agent:
  executable: /otelcol-contrib
  args: ["--config=/collector.yaml"]
`;
const collector = `receivers:
  otlp:
    protocols: { grpc: null, http: null }
exporters:
  debug: { verbosity: detailed }
service:
  pipelines:
    traces: { receivers: [otlp], exporters: [debug] }
`;

function pod(name: string, app: PodView['app'], running: boolean): PodView {
  return {
    name, namespace: 'opamp', app, phase: running ? 'Running' : 'Pending', ready: running, terminating: false, createdAt: 1,
    containers: [{ name: app === 'opamp-agent' ? 'agent' : 'server', ready: running, restartCount: 0, state: running ? 'running' : 'waiting' }],
  };
}

function labState(criteriaPass: string[]): LabState {
  const s = emptyLabState();
  s.connection = { status: 'connected', namespace: 'opamp' };
  s.pods = [pod('opamp-server-abc-1', 'opamp-server', true), pod('opamp-agent-abc-2', 'opamp-agent', true)];
  s.agents = [{
    pod: 'opamp-agent-abc-2', processes: [], effectiveConfig: [], probe: { status: 'running' },
    criteria: ['supervisor-pid1', 'collector-child', 'opamp-connected', 'effective-config', 'remote-config-applied', 'overlay-visible'].map((id) => ({
      id: id as never, title: id, status: criteriaPass.includes(id) ? 'pass' : 'pending', since: 0, evidence: [],
    })),
  }];
  return s;
}

const facts: ClusterFacts = {
  configMap: { name: 'opamp-agent-config', data: { 'supervisor.yaml': supervisor, 'collector.yaml': collector } },
  deployment: { name: 'opamp-agent', exists: true, rolledOut: true },
};

describe('guide steps', () => {
  it('every step is complete and ids are unique kebab-case', () => {
    expect(new Set(GUIDE_STEPS.map((s) => s.id)).size).toBe(GUIDE_STEPS.length);
    expect(GUIDE_STEPS).toHaveLength(11);
    for (const s of GUIDE_STEPS) {
      expect(s.id).toMatch(/^[a-z0-9-]+$/);
      expect(s.title && s.goal && s.why && s.hint && s.solution).toBeTruthy();
      expect(s.commands.length).toBeGreaterThan(0);
    }
  });

  it('fills namespace and pod into commands', () => {
    const cmd = findStep('verify-applied')!.commands[0]!;
    expect(fillCommand(cmd, { namespace: 'team-a', pod: 'opamp-agent-x' })).toBe('kubectl -n team-a exec opamp-agent-x -c agent -- grep -n test_opamp /storage/effective.yaml');
    expect(fillCommand(cmd, { namespace: 'opamp' })).toContain('exec $POD');
  });

  it('config checks accept the lab files and name what is wrong otherwise', () => {
    const o = buildGuideObservations(labState([]), facts);
    expect(findStep('supervisor-config')!.check(o).ok).toBe(true);
    expect(findStep('collector-config')!.check(o).ok).toBe(true);
    const bad = buildGuideObservations(labState([]), {
      ...facts,
      configMap: { name: 'opamp-agent-config', data: { 'supervisor.yaml': `${supervisor}\ncollector:\n  config: x\n`, 'collector.yaml': 'a: [' } },
    });
    expect(findStep('supervisor-config')!.check(bad).detail).toContain('collector');
    expect(findStep('collector-config')!.check(bad).ok).toBe(false);
    const noCm = buildGuideObservations(labState([]), {});
    expect(findStep('collector-config')!.check(noCm).detail).toContain('not found');
  });

  it('rollout step needs a new restartedAt and a finished rollout', () => {
    const step = findStep('rollout')!;
    expect(step.check(buildGuideObservations(labState([]), facts)).ok).toBe(false);
    const restarted = { ...facts, deployment: { ...facts.deployment!, restartedAt: '2026-11-25T08:00:00Z' } };
    expect(step.check(buildGuideObservations(labState([]), restarted, '2026-11-25T08:00:00Z')).ok).toBe(false);
    expect(step.check(buildGuideObservations(labState([]), restarted, undefined)).ok).toBe(true);
    const rolling = { ...facts, deployment: { ...restarted.deployment, rolledOut: false } };
    expect(step.check(buildGuideObservations(labState([]), rolling)).detail).toContain('still rolling out');
  });

  it('auto-advances: current is the first step whose check does not pass', () => {
    const four = ['supervisor-pid1', 'collector-child', 'opamp-connected', 'effective-config'];
    const g = evaluateGuide(buildGuideObservations(labState(four), facts), { rollout: 'done' }, 1000);
    expect(g.currentStepId).toBe('push-overlay');
    expect(g.steps.filter((s) => s.status === 'done').map((s) => s.id)).toContain('verify-effective');
    const s = labState([...four, 'remote-config-applied', 'overlay-visible']);
    s.overlay = { status: 'applied' };
    const all = evaluateGuide(buildGuideObservations(s, facts), { rollout: 'done' }, 1000);
    expect(all.currentStepId).toBeUndefined();
  });

  it('marks the current step failed after the grace period, and honours skip', () => {
    const o = buildGuideObservations(labState([]), {});
    const g = evaluateGuide(o, { 'build-image': 'skipped' }, 100_000, GUIDE_STEPS, 1_000);
    expect(g.steps[0]?.status).toBe('skipped');
    expect(g.currentStepId).toBe('collector-config');
    expect(g.steps[1]?.status).toBe('failed');
  });
});

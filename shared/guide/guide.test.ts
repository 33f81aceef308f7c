import { describe, expect, it } from 'vitest';
import { emptyLabState, type CriterionId, type Diagnosis, type LabState, type PodView } from '../state';
import { applyEvent, detectEvents, newLedger, settleCredits, takeBaseline, watchedFacts, type GuideLedger } from './credit';
import { buildGuideObservations, type ClusterFacts, type GuideObservations } from './observations';
import { evaluateGuide, tick } from './progress';
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
const ALL: CriterionId[] = ['supervisor-pid1', 'collector-child', 'opamp-connected', 'effective-config', 'remote-config-applied', 'overlay-visible'];
const FOUR: CriterionId[] = ['supervisor-pid1', 'collector-child', 'opamp-connected', 'effective-config'];

function pod(name: string, app: PodView['app'], running: boolean): PodView {
  return {
    name, namespace: 'opamp', app, phase: running ? 'Running' : 'Pending', ready: running, terminating: false, createdAt: 1,
    containers: [{ name: app === 'opamp-agent' ? 'agent' : 'server', ready: running, restartCount: 0, state: running ? 'running' : 'waiting' }],
  };
}

interface World { pass?: CriterionId[]; deployed?: boolean; sentHash?: string; diagnoses?: Diagnosis[]; embedded?: boolean }

function labState(w: World): LabState {
  const s = emptyLabState();
  s.connection = { status: 'connected', namespace: 'opamp', target: w.embedded === false ? { kind: 'kubeconfig' } : { kind: 'embedded' } };
  if (w.deployed !== false) {
    s.pods = [pod('opamp-server-abc-1', 'opamp-server', true), pod('opamp-agent-abc-2', 'opamp-agent', true)];
    s.agents = [{
      pod: 'opamp-agent-abc-2', processes: [], effectiveConfig: [], probe: { status: 'running' },
      criteria: ALL.map((id) => ({ id, title: id, status: w.pass?.includes(id) ? 'pass' : 'pending', since: 0, evidence: [] })),
    }];
  }
  if (w.sentHash) s.serverAgents = [{ instanceUid: 'u1', connected: true, remoteConfig: { status: 'APPLIED', sentHash: w.sentHash, lastHash: w.sentHash } }];
  s.diagnoses = w.diagnoses ?? [];
  return s;
}

const deployedFacts = (sup = supervisor, rv = '10', rs = ['opamp-agent-abc']): ClusterFacts => ({
  configMap: { name: 'opamp-agent-config', data: { 'supervisor.yaml': sup, 'collector.yaml': collector }, resourceVersion: rv },
  deployment: { name: 'opamp-agent', exists: true, rolledOut: true, uid: 'd1' },
  replicaSets: rs.map((name) => ({ name, createdAt: 1 })),
});

const obsOf = (w: World, facts: ClusterFacts = deployedFacts()): GuideObservations => buildGuideObservations(labState(w), facts);
const status = (l: GuideLedger, o: GuideObservations, now = 1_000, id?: string) => {
  const g = evaluateGuide(l, o, now);
  return id ? g.steps.find((s) => s.id === id)?.status : Object.fromEntries(g.steps.map((s) => [s.id, s.status]));
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

  it('uses the guide\'s own commands, with the namespace filled and $POD kept', () => {
    const deploy = findStep('deploy')!.commands[0]!;
    expect(fillCommand(deploy, { namespace: 'opamp' })).toBe(`kubectl -n opamp create configmap opamp-agent-config \\
  --from-file=supervisor.yaml \\
  --from-file=collector.yaml \\
  -o yaml --dry-run=client | kubectl apply -f -`);
    expect(fillCommand(findStep('verify-applied')!.commands[1]!, { namespace: 'team-a', pod: 'p' })).toBe(`kubectl -n team-a exec -it $POD -c agent -- sh -c \\
'grep -R "test_opamp" -n /storage/effective.yaml'`);
  });
});

describe('credit rules', () => {
  it('a blank lab: nothing in place, the first step current, no step failed however long nobody tries', () => {
    const o = obsOf({ deployed: false, embedded: false }, {});
    const l = takeBaseline(newLedger(0), o, 0);
    const st = status(l, o, 10 * 60_000) as Record<string, string>;
    expect(st['build-image']).toBe('current');
    expect(Object.values(st).filter((s) => s === 'todo')).toHaveLength(10);
    expect(Object.values(st)).not.toContain('failed');
  });

  it('the embedded lab ships the image: Step 1 is already in place there', () => {
    const o = obsOf({ deployed: false }, {});
    expect(status(takeBaseline(newLedger(0), o, 0), o, 0, 'build-image')).toBe('in-place');
  });

  it('what passes when Lab mode starts is "already in place", not done; the rollout is current', () => {
    const o = obsOf({ pass: FOUR });
    const l = takeBaseline(newLedger(0), o, 0);
    const g = evaluateGuide(l, o, 1000);
    const st = Object.fromEntries(g.steps.map((s) => [s.id, s.status]));
    for (const id of ['build-image', 'collector-config', 'supervisor-config', 'deploy', 'verify-processes', 'verify-connection', 'verify-effective']) expect(st[id], id).toBe('in-place');
    expect(st['rollout']).toBe('current');
    expect(g.currentStepId).toBe('rollout');
    expect(g.counts).toEqual({ done: 0, inPlace: 7, todo: 4, skipped: 0 });
    expect(g.steps.find((s) => s.id === 'deploy')?.detail).toMatch(/^already in place when Lab mode started/);
  });

  it('the ConfigMap applied from a blank lab credits Steps 2 and 3 to the attendee; the deploy once the pod runs', () => {
    const blank = obsOf({ deployed: false }, {});
    let l = takeBaseline(newLedger(0), blank, 0);
    const prev = watchedFacts({}, blank);
    const withCm: ClusterFacts = { configMap: deployedFacts().configMap! };
    const o1 = obsOf({ deployed: false }, withCm);
    const events = detectEvents(prev, watchedFacts(withCm, o1, prev), { at: 5, appHashes: [] });
    expect(events).toEqual([{ type: 'cluster', trigger: 'configmap', at: 5, by: 'you', how: 'ConfigMap opamp-agent-config created' }]);
    for (const e of events) l = applyEvent(l, e);
    l = settleCredits(l, o1, 6);
    expect(status(l, o1, 6)).toMatchObject({ 'collector-config': 'done', 'supervisor-config': 'done', deploy: 'current' });
    const g = evaluateGuide(l, o1, 6);
    expect(g.steps.find((s) => s.id === 'supervisor-config')).toMatchObject({ by: 'you', detail: 'ConfigMap opamp-agent-config created', doneAt: 6 });
    // The deploy attempt waits for the pod; it fails only after its settle time.
    expect(status(l, o1, 60_000, 'deploy')).toBe('current');
    expect(status(l, o1, 200_000, 'deploy')).toBe('failed');
    const o2 = obsOf({ pass: FOUR });
    l = settleCredits(l, o2, 20_000);
    expect(status(l, o2, 20_000, 'deploy')).toBe('done');
  });

  it('"failed" only after an attempt: a broken supervisor.yaml applied fails Step 3 with what is wrong', () => {
    const o0 = obsOf({ deployed: false }, {});
    let l = takeBaseline(newLedger(0), o0, 0);
    expect(status(l, o0, 999_999, 'supervisor-config')).toBe('todo');
    const broken = { configMap: { ...deployedFacts().configMap!, data: { 'supervisor.yaml': `${supervisor}collector:\n  x: 1\n`, 'collector.yaml': collector } } };
    const o1 = obsOf({ deployed: false }, broken);
    l = applyEvent(l, { type: 'cluster', trigger: 'configmap', at: 10, by: 'you', how: 'ConfigMap opamp-agent-config created' });
    l = settleCredits(l, o1, 11);
    expect(status(l, o1, 11, 'collector-config')).toBe('done');
    expect(status(l, o1, 11, 'supervisor-config')).toBe('current');
    const g = evaluateGuide(l, o1, 10 + 6_000);
    expect(g.steps.find((s) => s.id === 'supervisor-config')).toMatchObject({ status: 'failed', detail: 'supervisor.yaml: unknown top-level key collector — after ConfigMap opamp-agent-config created' });
    expect(g.currentStepId).toBe('supervisor-config');
  });

  it('a rollout restart is a new ReplicaSet beside the old one; the first ReplicaSet of a new Deployment is not', () => {
    const o = obsOf({ pass: FOUR });
    const first = detectEvents({ replicaSets: [], sentHashes: [] }, { replicaSets: ['opamp-agent-abc'], sentHashes: [], deploymentUid: 'd1' }, { at: 1, appHashes: [] });
    expect(first.map((e) => e.type === 'cluster' && e.trigger)).toEqual(['deploy']);
    const prev = watchedFacts(deployedFacts(), o);
    const next = watchedFacts(deployedFacts(supervisor, '10', ['opamp-agent-abc', 'opamp-agent-def']), o, prev);
    const mine = detectEvents(prev, next, { at: 2, appHashes: [] });
    expect(mine).toEqual([{ type: 'cluster', trigger: 'rollout', at: 2, by: 'you', how: 'new ReplicaSet opamp-agent-def' }]);
    const app = detectEvents(prev, next, { at: 2, appHashes: [], appAction: 'Restart it for me' });
    expect(app[0]).toMatchObject({ by: 'app', how: 'new ReplicaSet opamp-agent-def by the app (Restart it for me)' });
    let l = takeBaseline(newLedger(0), o, 0);
    l = settleCredits(applyEvent(l, mine[0]!), o, 3);
    expect(evaluateGuide(l, o, 3).steps.find((s) => s.id === 'rollout')).toMatchObject({ status: 'done', by: 'you' });
  });

  it('Step 9: an overlay arriving through the server UI is the attendee\'s; the app\'s button counts and says so', () => {
    const before = obsOf({ pass: FOUR });
    const after = obsOf({ pass: ALL, sentHash: 'abcdef0123' });
    const prev = watchedFacts(deployedFacts(), before);
    const ui = detectEvents(prev, watchedFacts(deployedFacts(), after, prev), { at: 5, appHashes: [] });
    expect(ui).toEqual([{ type: 'cluster', trigger: 'overlay', at: 5, by: 'you', how: 'config abcdef01 arrived through the server UI' }]);
    const button = detectEvents(prev, watchedFacts(deployedFacts(), after, prev), { at: 5, appHashes: ['abcdef0123'] });
    expect(button[0]).toMatchObject({ by: 'app', how: "config abcdef01 sent with the app's button" });
    // Re-sent to a new pod after a restart: the same hash is no new event.
    const seen = watchedFacts(deployedFacts(), after, prev);
    expect(detectEvents(seen, watchedFacts(deployedFacts(), after, watchedFacts(deployedFacts(), before, seen)), { at: 9, appHashes: [] })).toEqual([]);
    let l = takeBaseline(newLedger(0), before, 0);
    l = settleCredits(applyEvent(l, ui[0]!), after, 6);
    expect(evaluateGuide(l, after, 6).steps.find((s) => s.id === 'push-overlay')).toMatchObject({ status: 'done', by: 'you' });
  });

  it('verification steps are credited by their command in a lab shell; a non-zero exit fails them with the hint', () => {
    const o = obsOf({ pass: FOUR });
    let l = newLedger(0);
    const grep = ['-n', 'opamp', 'exec', '-it', 'opamp-agent-abc-2', '-c', 'agent', '--', 'sh', '-c', 'grep -R "test_opamp" -n /storage/effective.yaml'];
    l = settleCredits(applyEvent(l, { type: 'command', at: 5, argv: grep, exitCode: 1 }), o, 6);
    const g = evaluateGuide(l, o, 6).steps.find((s) => s.id === 'verify-applied');
    expect(g).toMatchObject({ status: 'failed', detail: expect.stringMatching(/^kubectl exited with 1 — after kubectl -n opamp exec -it opamp-agent-abc-2 -c agent -- sh -c 'grep -R "test_opamp" -n \/storage\/effective.yaml' \(exit 1\)$/) });
    const ps = ['-n', 'opamp', 'exec', '-it', 'opamp-agent-abc-2', '-c', 'agent', '--', 'sh', '-c', 'ps -ef | egrep "opampsupervisor|otelcol-contrib"'];
    l = settleCredits(applyEvent(l, { type: 'command', at: 7, argv: ps, exitCode: 0 }), o, 8);
    expect(evaluateGuide(l, o, 8).steps.find((s) => s.id === 'verify-processes')).toMatchObject({ status: 'done', by: 'you' });
    const logs = ['-n', 'opamp', 'logs', 'deploy/opamp-agent', '-c', 'agent', '--since=5m'];
    l = settleCredits(applyEvent(l, { type: 'command', at: 9, argv: logs, exitCode: 0 }), o, 10);
    expect(status(l, o, 10, 'verify-connection')).toBe('done');
    // A command of another pod or container earns nothing.
    const other = applyEvent(newLedger(0), { type: 'command', at: 1, argv: ['exec', 'opamp-server-x-y', '--', 'ps'], exitCode: 0 });
    expect(other.steps).toEqual({});
  });

  it('Check now is an attempt: it fails a step whose check does not pass, and credits a verification that does', () => {
    const o = obsOf({ pass: FOUR });
    let l = newLedger(0);
    l = settleCredits(applyEvent(l, { type: 'verified', at: 5, stepId: 'verify-applied', by: 'check', how: 'Check now', failed: 'waiting for: remote-config-applied, overlay-visible' }), o, 5);
    expect(status(l, o, 5, 'verify-applied')).toBe('failed');
    l = settleCredits(applyEvent(l, { type: 'verified', at: 6, stepId: 'verify-effective', by: 'check', how: 'Check now' }), o, 6);
    expect(evaluateGuide(l, o, 6).steps.find((s) => s.id === 'verify-effective')).toMatchObject({ status: 'done', by: 'check' });
  });

  it('Skip only skips: no credit, and un-skipping brings the step back', () => {
    const o = obsOf({ deployed: false }, {});
    let l = applyEvent(newLedger(0), { type: 'skip', stepId: 'build-image', skipped: true });
    expect(status(l, o, 1)).toMatchObject({ 'build-image': 'skipped', 'collector-config': 'current' });
    expect(evaluateGuide(l, o, 1).counts).toMatchObject({ done: 0, skipped: 1 });
    l = applyEvent(l, { type: 'skip', stepId: 'build-image', skipped: false });
    expect(l.steps['build-image']).toEqual({});
  });

  it('Step 11 needs each failure mode exercised, diagnosed by the doctor and recovered from', () => {
    const diag = (id: string): Diagnosis => ({ id, severity: 'error', title: id, cause: '', fix: '', evidence: [] });
    const faulty = (edit: (s: string) => string, d: Diagnosis[]) => obsOf({ pass: ['supervisor-pid1'], diagnoses: d }, deployedFacts(edit(supervisor)));
    const healthy = obsOf({ pass: FOUR });
    let l = takeBaseline(newLedger(0), healthy, 0);
    expect(status(l, healthy, 0, 'failure-modes')).toBe('todo');
    const modes: [(s: string) => string, string][] = [
      [(s) => s.replace('agent:\n', 'agent:\n  id: x\n'), 'supervisor-invalid-keys'],
      [(s) => s.replace(':4320/v1/opamp', ':4321/opamp'), 'opamp-bad-handshake'],
      [(s) => s.replace('/otelcol-contrib', '/usr/bin/otelcol'), 'collector-not-running'],
    ];
    let t = 1;
    for (const [i, [edit, id]] of modes.entries()) {
      l = settleCredits(l, faulty(edit, []), t++);
      l = settleCredits(l, faulty(edit, [diag(id)]), t++);
      // Fixed the file but the doctor still sees an error: not recovered yet.
      l = settleCredits(l, obsOf({ pass: FOUR, diagnoses: [diag(id)] }), t++);
      expect(evaluateGuide(l, healthy, t).steps.find((s) => s.id === 'failure-modes')?.detail).toContain('diagnosed, now fix it');
      l = settleCredits(l, healthy, t++);
      expect(status(l, healthy, t, 'failure-modes')).toBe(i === 2 ? 'done' : 'todo');
    }
    // Undone before the doctor named it: that exercise starts over.
    let m = settleCredits(newLedger(0), faulty(modes[0]![0], []), 1);
    m = settleCredits(m, healthy, 2);
    expect(m.faults).toEqual({});
  });

  it('time spent accrues to the current step, capped per tick', () => {
    let l = tick(newLedger(0), 'rollout', 1_000);
    l = tick(l, 'rollout', 6_000);
    l = tick(l, 'verify-processes', 10_000);
    l = tick(l, 'verify-processes', 10_000 + 3_600_000);
    expect(l.steps['rollout']?.spentMs).toBe(9_000);
    expect(l.steps['verify-processes']?.spentMs).toBe(30_000);
  });
});

// Credit, not state: the ledger of what the attendee did in Lab mode. Facts the
// engine reads are diffed into events (a ConfigMap applied, a Deployment
// created, a new ReplicaSet, a config arriving at the server, a kubectl command
// run in a lab shell, Check now); events become attempts on steps, and an
// attempt whose check passes becomes the step's credit. What already passed
// when Lab mode started is "in place", never credited. Pure.
import { advanceFaults, faultsDone, type FaultLedger } from './faults';
import { displayCommand, parseKubectlArgs, verifyStepOf } from './kubectlArgs';
import type { ClusterFacts, GuideObservations } from './observations';
import { GUIDE_STEPS, type CreditTrigger, type GuideStep } from './steps';

/** Who did it: the attendee, the app (a button), or the attendee asking the app to check. */
export type Actor = 'you' | 'app' | 'check';

export interface Credit {
  at: number;
  by: Actor;
  how: string;
}

export interface Attempt extends Credit {
  /** Set when the attempt failed outright (e.g. kubectl exited non-zero). */
  failed?: string;
}

export interface StepLedger {
  credit?: Credit;
  attempt?: Attempt;
  inPlace?: boolean;
  skipped?: boolean;
  /** Time the step was the current one, ms. */
  spentMs?: number;
}

export interface GuideLedger {
  version: 2;
  startedAt: number;
  /** When the state found at start was recorded as "already in place". */
  baselineAt?: number;
  steps: Record<string, StepLedger>;
  faults: FaultLedger;
  currentId?: string;
  lastTick?: number;
}

export type GuideEvent =
  | { type: 'cluster'; trigger: 'configmap' | 'deploy' | 'rollout' | 'overlay'; at: number; by: Actor; how: string }
  | { type: 'command'; at: number; argv: string[]; exitCode: number }
  | { type: 'verified'; at: number; stepId: string; by: Actor; how: string; failed?: string }
  | { type: 'skip'; stepId: string; skipped: boolean };

export function newLedger(now: number): GuideLedger {
  return { version: 2, startedAt: now, steps: {}, faults: {} };
}

function withStep(l: GuideLedger, id: string, f: (s: StepLedger) => StepLedger): GuideLedger {
  return { ...l, steps: { ...l.steps, [id]: f({ ...(l.steps[id] ?? {}) }) } };
}

/** Records what passes at the start as "already in place" (steps that allow it). */
export function takeBaseline(l: GuideLedger, obs: GuideObservations, now: number, steps: readonly GuideStep[] = GUIDE_STEPS): GuideLedger {
  let out: GuideLedger = { ...l, baselineAt: now };
  for (const step of steps) {
    if (step.credit.inPlace && step.check(obs).ok) out = withStep(out, step.id, (s) => ({ ...s, inPlace: true }));
  }
  return out;
}

/** The facts whose changes are events. `sentHashes` accumulates every hash ever seen. */
export interface WatchedFacts {
  configMapVersion?: string;
  deploymentUid?: string;
  replicaSets: string[];
  sentHashes: string[];
}

export function watchedFacts(facts: ClusterFacts, obs: GuideObservations, prev?: WatchedFacts): WatchedFacts {
  return {
    ...(facts.configMap?.resourceVersion ? { configMapVersion: facts.configMap.resourceVersion } : {}),
    ...(facts.deployment?.exists && facts.deployment.uid ? { deploymentUid: facts.deployment.uid } : {}),
    replicaSets: (facts.replicaSets ?? []).map((r) => r.name).sort(),
    sentHashes: [...new Set([...(prev?.sentHashes ?? []), ...obs.serverSentHashes])],
  };
}

export interface DetectContext {
  at: number;
  /** The app action running (or just finished): cluster changes now are the app's. */
  appAction?: string;
  /** Config hashes the app itself sent (its overlay button). */
  appHashes: readonly string[];
}

/** Cluster changes between two looks, as events. The first look (no prev) is the baseline: no events. */
export function detectEvents(prev: WatchedFacts | undefined, next: WatchedFacts, ctx: DetectContext): GuideEvent[] {
  if (!prev) return [];
  const by: Actor = ctx.appAction ? 'app' : 'you';
  const via = (how: string): string => (ctx.appAction ? `${how} by the app (${ctx.appAction})` : how);
  const out: GuideEvent[] = [];
  if (next.configMapVersion && next.configMapVersion !== prev.configMapVersion) {
    out.push({ type: 'cluster', trigger: 'configmap', at: ctx.at, by, how: via(`ConfigMap opamp-agent-config ${prev.configMapVersion ? 'updated' : 'created'}`) });
  }
  if (next.deploymentUid && next.deploymentUid !== prev.deploymentUid) {
    out.push({ type: 'cluster', trigger: 'deploy', at: ctx.at, by, how: via('Deployment opamp-agent created') });
  }
  const added = next.replicaSets.filter((r) => !prev.replicaSets.includes(r));
  // The first ReplicaSet comes with the Deployment; only a replacement is a rollout.
  if (added.length > 0 && prev.replicaSets.length > 0) {
    out.push({ type: 'cluster', trigger: 'rollout', at: ctx.at, by, how: via(`new ReplicaSet ${added.join(', ')}`) });
  }
  for (const hash of next.sentHashes.filter((h) => !prev.sentHashes.includes(h))) {
    const mine = ctx.appHashes.includes(hash);
    out.push({
      type: 'cluster', trigger: 'overlay', at: ctx.at, by: mine ? 'app' : 'you',
      how: mine ? `config ${hash.slice(0, 8)} sent with the app's button` : `config ${hash.slice(0, 8)} arrived through the server UI`,
    });
  }
  return out;
}

/** The action steps a kubectl command in a lab shell attempts (verification steps: verifyStepOf). */
function commandTriggers(argv: readonly string[]): CreditTrigger[] {
  const call = parseKubectlArgs(argv);
  if (call.verb === 'create' && ['configmap', 'cm'].includes(call.positional[0] ?? '') && call.positional[1] === 'opamp-agent-config') return ['configmap', 'deploy'];
  if (call.verb === 'apply') return ['deploy'];
  return [];
}

function attempt(l: GuideLedger, steps: readonly GuideStep[], match: (s: GuideStep) => boolean, a: Attempt): GuideLedger {
  let out = l;
  for (const step of steps) {
    if (!match(step) || out.steps[step.id]?.credit) continue;
    out = withStep(out, step.id, (s) => ({ ...s, attempt: a }));
  }
  return out;
}

export function applyEvent(l: GuideLedger, e: GuideEvent, steps: readonly GuideStep[] = GUIDE_STEPS): GuideLedger {
  switch (e.type) {
    case 'skip':
      return withStep(l, e.stepId, (s) => {
        const { skipped: _old, ...rest } = s;
        return e.skipped ? { ...rest, skipped: true } : rest;
      });
    case 'cluster': {
      // Step 4 applies the ConfigMap first: that starts the deploy too.
      const triggers: CreditTrigger[] = e.trigger === 'configmap' ? ['configmap', 'deploy'] : [e.trigger];
      return attempt(l, steps, (s) => triggers.includes(s.credit.trigger), { at: e.at, by: e.by, how: e.how });
    }
    case 'verified':
      return attempt(l, steps, (s) => s.id === e.stepId, { at: e.at, by: e.by, how: e.how, ...(e.failed ? { failed: e.failed } : {}) });
    case 'command': {
      const how = `${displayCommand(e.argv)} (exit ${e.exitCode})`;
      const failed = e.exitCode === 0 ? undefined : `kubectl exited with ${e.exitCode}`;
      const a: Attempt = { at: e.at, by: 'you', how, ...(failed ? { failed } : {}) };
      const verify = verifyStepOf(e.argv);
      let out = verify ? attempt(l, steps, (s) => s.id === verify, a) : l;
      const triggers = commandTriggers(e.argv);
      // `kubectl apply` of something unchanged changes nothing the cluster shows: the command is the evidence.
      if (triggers.length > 0) out = attempt(out, steps, (s) => triggers.includes(s.credit.trigger), a);
      return out;
    }
  }
}

/** Turns attempts whose check now passes into credits, and advances the failure-mode exercises. */
export function settleCredits(l: GuideLedger, obs: GuideObservations, now: number, steps: readonly GuideStep[] = GUIDE_STEPS): GuideLedger {
  let out = l;
  for (const step of steps) {
    const s = out.steps[step.id] ?? {};
    if (s.credit) continue;
    if (step.credit.trigger === 'faults') {
      const supervisorYaml = obs.configMap?.data['supervisor.yaml'];
      const input = { ...(supervisorYaml !== undefined ? { supervisorYaml } : {}), diagnosisIds: obs.diagnoses.map((d) => d.id), healthy: step.check(obs).ok };
      out = { ...out, faults: advanceFaults(out.faults, input, now) };
      if (faultsDone(out.faults)) out = withStep(out, step.id, (x) => ({ ...x, credit: { at: now, by: 'you', how: 'all three failure modes exercised, diagnosed and recovered from' } }));
      continue;
    }
    if (step.credit.trigger === 'image' && !s.inPlace && step.check(obs).ok && !obs.embedded) {
      out = withStep(out, step.id, (x) => ({ ...x, credit: { at: now, by: 'you', how: 'an agent container started from the image' } }));
      continue;
    }
    const a = s.attempt;
    if (!a || a.failed) continue;
    const res = step.check(obs);
    if (res.ok) out = withStep(out, step.id, (x) => ({ ...x, credit: { at: now, by: a.by, how: a.how } }));
  }
  return out;
}

// Hosts Lab mode in the engine: keeps the credit ledger of the current cluster
// session, turns cluster changes, lab-shell commands and button presses into
// credit events (shared/guide/credit.ts), re-evaluates steps and the doctor
// whenever the state changes, and serves the guide's LabApi methods.
import { diagnose } from '../../../shared/doctor/diagnose';
import type { DoctorLogLine } from '../../../shared/doctor/input';
import { applyEvent, detectEvents, newLedger, settleCredits, takeBaseline, watchedFacts, type GuideEvent, type GuideLedger, type WatchedFacts } from '../../../shared/guide/credit';
import { buildGuideObservations, type ClusterFacts, type GuideObservations } from '../../../shared/guide/observations';
import { evaluateGuide, tick } from '../../../shared/guide/progress';
import { fillCommand, findStep } from '../../../shared/guide/steps';
import { TEST_OPAMP_OVERLAY } from '../../../shared/guideOverlays';
import type { LabEvent, StepActionResult } from '../../../shared/api';
import type { CriterionId, GuideState, LabState } from '../../../shared/state';
import { EngineError } from '../errors';
import type { KubeSession } from '../kube/session';
import type { StateStore } from '../stateStore';
import { deployLab, type GuideDeps } from './actions';
import { readClusterFacts } from './clusterFacts';
import { injectFault, resetLab } from './faults';
import { GuideProgressStore } from './progressStore';
import { isVerifyAction, runVerifyAction } from './verifyActions';
import * as k8s from '@kubernetes/client-node';

export interface GuideHostOptions {
  store: StateStore;
  dataDir: string;
  session(): KubeSession | undefined;
  restartRollout(): Promise<unknown>;
  pushOverlay(text: string): Promise<unknown>;
  /** How often cluster facts are read (ms). */
  everyMs?: number;
  /** Lab mode is not in use (a one-look `verify`): no session, no cluster reads, no evaluation. */
  passive?: boolean;
}

const OWN_KEYS = new Set(['guide', 'diagnoses']);
const SETTLED: CriterionId[] = ['supervisor-pid1', 'collector-child', 'opamp-connected', 'effective-config'];
/** How long Lab mode waits for the criteria to settle before recording what is already in place. */
const BASELINE_WAIT_MS = 20_000;
/** Cluster changes this soon after an app action are the app's. */
const APP_WINDOW_MS = 5_000;

export class GuideHost {
  private readonly progress: GuideProgressStore;
  private ledger?: GuideLedger;
  private key?: string;
  private sessionStart = 0;
  private watched?: WatchedFacts;
  private facts: ClusterFacts = {};
  private factsLoaded = false;
  private logs: DoctorLogLine[] = [];
  private appAction?: { label: string; until: number };
  private readonly appHashes = new Set<string>();
  private readonly timer?: ReturnType<typeof setInterval>;
  private pending?: ReturnType<typeof setTimeout>;
  private last = '';
  private saved = '';
  private lastSaveAt = 0;
  private readonly unsubscribe: () => void;

  constructor(private readonly o: GuideHostOptions) {
    this.progress = new GuideProgressStore(o.dataDir);
    if (o.passive) {
      this.unsubscribe = () => undefined;
      return;
    }
    this.unsubscribe = o.store.subscribe((e: LabEvent) => this.onEvent(e));
    this.timer = setInterval(() => void this.refreshFacts(), o.everyMs ?? 2000);
    this.timer.unref?.();
  }

  close(): void {
    this.unsubscribe();
    clearInterval(this.timer);
    if (this.pending) clearTimeout(this.pending);
  }

  /** A kubectl command a lab shell ran (argv after "kubectl", its exit code). */
  onCommand(argv: string[], exitCode: number, at = Date.now()): void {
    this.record({ type: 'command', at, argv, exitCode });
  }

  private record(e: GuideEvent): void {
    if (!this.ledger) return;
    this.ledger = applyEvent(this.ledger, e);
    this.schedule();
  }

  private deps(): GuideDeps {
    const s = this.o.session();
    if (!s) throw new EngineError('not-found', 'Not connected: connect to the embedded lab or a cluster first.');
    return { core: s.core, apps: s.apps, objects: k8s.KubernetesObjectApi.makeApiClient(s.kc), namespace: s.namespace };
  }

  private sessionKey(state: Readonly<LabState>): string | undefined {
    const c = state.connection;
    if (c.status !== 'connected') return undefined;
    return c.target?.kind === 'embedded' ? `embedded:${this.o.session()?.server ?? ''}` : GuideProgressStore.key(c.contextName ?? 'cluster', c.namespace ?? 'default');
  }

  private onEvent(e: LabEvent): void {
    if (e.type === 'logs') {
      for (const l of e.lines) if (l.source === 'pod-log' && !l.marker) this.logs.push({ text: l.text, pod: l.pod, at: l.at });
      if (this.logs.length > 300) this.logs = this.logs.slice(-200);
    } else if (e.type === 'patch' && Object.keys(e.patch).every((k) => OWN_KEYS.has(k))) return;
    if (e.type === 'state' || e.type === 'patch') {
      const hash = this.o.store.current.overlay.hash;
      if (hash) this.appHashes.add(hash);
      const key = this.sessionKey(this.o.store.current);
      if (key !== this.key) void this.startSession(key);
    }
    this.schedule();
  }

  /**
   * A new connection is a new Lab mode session. The embedded lab is new each time
   * (a fresh emulator), so it starts afresh; a real cluster resumes its saved ledger.
   */
  private async startSession(key: string | undefined): Promise<void> {
    this.key = key;
    this.ledger = undefined;
    this.watched = undefined;
    this.facts = {};
    this.factsLoaded = false;
    this.logs = [];
    this.last = '';
    if (!key) return;
    this.sessionStart = Date.now();
    const saved = key.startsWith('embedded:') ? undefined : await this.progress.get(key);
    if (this.key !== key) return;
    this.ledger = saved ?? newLedger(this.sessionStart);
    await this.refreshFacts();
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.evaluate();
    }, 150);
  }

  private async refreshFacts(): Promise<void> {
    const s = this.o.session();
    if (!s || !this.ledger) return;
    const key = this.key;
    try {
      const facts = await readClusterFacts(s);
      if (key !== this.key) return;
      this.facts = facts;
      this.factsLoaded = true;
    } catch {
      // Facts stay as they were; the next tick tries again.
    }
    await this.evaluate();
  }

  private observe(state: Readonly<LabState>): GuideObservations {
    const s = this.o.session();
    const live = new Set(state.pods.map((p) => p.name));
    const svc = state.pods.some((p) => p.app === 'opamp-server') ? { name: 'opamp-server', ports: [{ name: 'opamp', port: 4320 }, { name: 'ui', port: 4321 }, { name: 'rest', port: 4322 }] } : undefined;
    const diagnoses = diagnose({
      namespace: s?.namespace ?? 'opamp',
      pods: state.pods,
      events: state.events,
      // Only pods that still exist: a fixed lab must not be diagnosed from the broken pods' last words.
      logs: this.logs.filter((l) => !l.pod || live.has(l.pod)).slice(-150),
      ...(this.facts.configMap?.data['supervisor.yaml'] !== undefined ? { supervisorYaml: this.facts.configMap.data['supervisor.yaml'] } : {}),
      ...(svc ? { service: svc } : {}),
      serverAgents: state.serverAgents,
      agents: state.agents,
      ...(state.connection.error ? { clusterError: state.connection.error } : {}),
    });
    return buildGuideObservations({ ...state, diagnoses }, this.facts);
  }

  /** The criteria have had their first say on every agent pod (or there is none). */
  private settled(state: Readonly<LabState>): boolean {
    const live = state.pods.filter((p) => p.app === 'opamp-agent' && !p.terminating).map((p) => p.name);
    return live.every((name) => {
      const a = state.agents.find((x) => x.pod === name);
      return a !== undefined && SETTLED.every((id) => a.criteria.find((c) => c.id === id)?.status !== 'pending');
    });
  }

  async evaluate(): Promise<GuideState | undefined> {
    const state = this.o.store.current;
    if (state.connection.status !== 'connected' || !this.ledger) return undefined;
    const now = Date.now();
    const obs = this.observe(state);
    let l = this.ledger;
    if (l.baselineAt === undefined) {
      if (!this.factsLoaded || (!this.settled(state) && now - this.sessionStart < BASELINE_WAIT_MS)) {
        this.publish(obs, evaluateGuide(l, obs, now), 'Lab mode is looking at what is already in place…');
        return undefined;
      }
      l = takeBaseline(l, obs, now);
      this.watched = watchedFacts(this.facts, obs);
    } else if (this.factsLoaded) {
      const next = watchedFacts(this.facts, obs, this.watched);
      const acting = this.appAction && now <= this.appAction.until ? this.appAction.label : undefined;
      for (const e of detectEvents(this.watched, next, { at: now, appHashes: [...this.appHashes], ...(acting ? { appAction: acting } : {}) })) l = applyEvent(l, e);
      this.watched = next;
    }
    l = settleCredits(l, obs, now);
    let guide = evaluateGuide(l, obs, now);
    l = tick(l, guide.currentStepId, now);
    guide = evaluateGuide(l, obs, now);
    this.ledger = l;
    this.publish(obs, guide, this.progress.notice);
    await this.save(now);
    return guide;
  }

  private publish(obs: GuideObservations, guide: GuideState, notice?: string): void {
    const g: GuideState = { ...guide, ...(notice ? { notice } : {}) };
    // Time spent changes every tick; compare without it so an idle lab stays quiet.
    const key = JSON.stringify([obs.diagnoses, g.steps.map((x) => [x.id, x.status, x.detail, x.by, Math.floor((x.spentMs ?? 0) / 5000)]), g.currentStepId, g.notice]);
    if (key === this.last) return;
    this.last = key;
    this.o.store.update({ diagnoses: obs.diagnoses, guide: g });
  }

  private async save(now: number): Promise<void> {
    if (!this.key || this.key.startsWith('embedded:') || !this.ledger) return;
    const text = JSON.stringify({ ...this.ledger, lastTick: 0 });
    if (text === this.saved || now - this.lastSaveAt < 2000) return;
    this.saved = text;
    this.lastSaveAt = now;
    await this.progress.set(this.key, this.ledger).catch(() => undefined);
  }

  /** Runs an app action; cluster changes during it and shortly after are credited to the app. */
  private async asApp<T>(label: string, f: () => Promise<T>): Promise<T> {
    this.appAction = { label, until: Number.POSITIVE_INFINITY };
    try {
      return await f();
    } finally {
      await this.refreshFacts();
      this.appAction = { label, until: Date.now() + APP_WINDOW_MS };
    }
  }

  private firstAgentPod(): string {
    const pod = this.o.store.current.pods.find((p) => p.app === 'opamp-agent' && p.ready && !p.terminating)?.name;
    if (!pod) throw new EngineError('not-found', 'No running opamp-agent pod to run the command in.');
    return pod;
  }

  handlers() {
    return {
      runStepAction: async ({ stepId }: { stepId: string }): Promise<StepActionResult> => {
        const step = findStep(stepId);
        if (!step) throw new EngineError('invalid-input', `unknown guide step "${stepId}"`);
        const action = step.action;
        if (!action) throw new EngineError('invalid-input', `Step "${step.title}" has nothing the app can do for you; follow its commands.`);
        const ns = this.deps().namespace;
        const ran = action.ran.map((r) => fillCommand(r, { namespace: ns }));
        const label = `Do it for me: ${step.title}`;
        if (isVerifyAction(action.id)) {
          const s = this.o.session();
          if (!s) throw new EngineError('not-found', 'Not connected.');
          const r = await runVerifyAction(s, action.id, this.firstAgentPod(), action.ran);
          this.record({ type: 'verified', at: Date.now(), stepId, by: 'app', how: `the app ran ${r.ran.join('; ')}`, ...(r.failed ? { failed: r.failed } : {}) });
          return { ran: r.ran, output: r.output };
        }
        switch (action.id) {
          case 'deploy-lab': {
            const applied = await this.asApp(label, () => deployLab(this.deps()));
            return { ran, output: applied.map((a) => `${a} serverside-applied`).join('\n') };
          }
          case 'rollout-restart':
            await this.asApp(label, () => this.o.restartRollout());
            return { ran };
          case 'push-overlay':
            await this.asApp(label, () => this.o.pushOverlay(TEST_OPAMP_OVERLAY));
            return { ran };
          default:
            throw new EngineError('invalid-input', `Step "${step.title}" has no action the app knows.`);
        }
      },
      setGuideProgress: async ({ stepId, status }: { stepId: string; status: 'skipped' | 'todo' }): Promise<void> => {
        if (!findStep(stepId)) throw new EngineError('invalid-input', `unknown guide step "${stepId}"`);
        if (!this.ledger) throw new EngineError('not-found', 'Lab mode starts once a lab is connected.');
        this.record({ type: 'skip', stepId, skipped: status === 'skipped' });
      },
      checkGuideNow: async ({ stepId }: { stepId?: string }): Promise<void> => {
        if (!this.ledger) throw new EngineError('not-found', 'Lab mode starts once a lab is connected.');
        await this.refreshFacts();
        const id = stepId ?? this.o.store.current.guide.currentStepId;
        const step = id ? findStep(id) : undefined;
        // Step 11 is judged on each exercise as it happens; a broken lab there is the point, not a failure.
        if (!step || this.ledger.steps[step.id]?.credit || step.credit.trigger === 'faults') return;
        const res = step.check(this.observe(this.o.store.current));
        // Check now stands in for a command the app could not see (your own terminal); for any
        // other step it only asks, and a check that does not pass shows the hint.
        if (step.credit.trigger === 'command' || !res.ok) {
          this.record({ type: 'verified', at: Date.now(), stepId: step.id, by: 'check', how: 'Check now', ...(res.ok ? {} : { failed: res.detail }) });
        }
        await this.evaluate();
      },
      injectFault: async ({ fault }: { fault: string }): Promise<StepActionResult> => {
        this.logs = [];
        return this.asApp(`fault ${fault}`, () => injectFault(this.deps(), fault));
      },
      resetLab: async (): Promise<StepActionResult> => {
        this.logs = [];
        return this.asApp('put it right', () => resetLab(this.deps()));
      },
    };
  }
}

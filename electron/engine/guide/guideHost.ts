// Hosts lab mode in the engine: the guide handlers of the LabApi, and the
// re-evaluation of steps and diagnoses whenever the state changes.
import * as k8s from '@kubernetes/client-node';
import { diagnose } from '../../../shared/doctor/diagnose';
import type { DoctorLogLine } from '../../../shared/doctor/input';
import { buildGuideObservations, type ClusterFacts } from '../../../shared/guide/observations';
import { evaluateGuide, type SavedProgress } from '../../../shared/guide/progress';
import { findStep } from '../../../shared/guide/steps';
import type { LabEvent } from '../../../shared/api';
import type { KubeSession } from '../kube/session';
import type { StateStore } from '../stateStore';
import { AGENT_DEPLOYMENT, applyAgentConfigMap, deployLab, readAgentConfigMap, type GuideDeps } from './actions';
import { injectFault, resetLab } from './faults';
import { GuideProgressStore } from './progressStore';
import { readFile } from 'node:fs/promises';
import { LAB_DIR } from './labFiles';
import { join } from 'node:path';

export interface GuideHostOptions {
  store: StateStore;
  dataDir: string;
  session(): KubeSession | undefined;
  restartRollout(): Promise<unknown>;
  pushOverlay(text: string): Promise<unknown>;
  openExternal(url: string): Promise<void>;
}

const OWN_KEYS = new Set(['guide', 'diagnoses']);

export class GuideHost {
  private readonly progress: GuideProgressStore;
  private saved: SavedProgress = {};
  private savedKey?: string;
  private facts: ClusterFacts = {};
  private logs: DoctorLogLine[] = [];
  private timer?: ReturnType<typeof setInterval>;
  private pending?: ReturnType<typeof setTimeout>;
  private currentSince?: { id: string; at: number };
  private last = '';
  private readonly unsubscribe: () => void;

  constructor(private readonly o: GuideHostOptions) {
    this.progress = new GuideProgressStore(o.dataDir);
    this.unsubscribe = o.store.subscribe((e: LabEvent) => this.onEvent(e));
    this.timer = setInterval(() => void this.refreshFacts(), 3000);
    this.timer.unref?.();
  }

  close(): void {
    this.unsubscribe();
    if (this.timer) clearInterval(this.timer);
    if (this.pending) clearTimeout(this.pending);
  }

  private deps(): GuideDeps {
    const s = this.o.session();
    if (!s) throw new Error('Not connected: connect to the embedded lab or a cluster first.');
    return { core: s.core, apps: s.apps, objects: k8s.KubernetesObjectApi.makeApiClient(s.kc), namespace: s.namespace };
  }

  private onEvent(e: LabEvent): void {
    if (e.type === 'logs') {
      for (const l of e.lines) if (l.source === 'pod-log' && !l.marker) this.logs.push({ text: l.text, pod: l.pod, at: l.at });
      if (this.logs.length > 300) this.logs = this.logs.slice(-200);
    } else if (e.type === 'patch' && Object.keys(e.patch).every((k) => OWN_KEYS.has(k))) return;
    this.schedule();
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.evaluate();
    }, 200);
  }

  private async refreshFacts(): Promise<void> {
    const s = this.o.session();
    if (!s) return;
    try {
      const deps = this.deps();
      const data = await readAgentConfigMap(deps);
      let deployment: ClusterFacts['deployment'];
      try {
        const d = await s.apps.readNamespacedDeployment({ name: AGENT_DEPLOYMENT, namespace: s.namespace });
        const want = d.spec?.replicas ?? 1;
        const st = d.status;
        const rolledOut = (st?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) && (st?.updatedReplicas ?? 0) >= want && (st?.availableReplicas ?? 0) >= want && (st?.replicas ?? 0) === (st?.updatedReplicas ?? 0);
        const at = d.spec?.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'];
        const image = d.spec?.template.spec?.containers[0]?.image;
        deployment = { name: AGENT_DEPLOYMENT, exists: true, rolledOut, ...(at ? { restartedAt: at } : {}), ...(image ? { image } : {}) };
      } catch {
        deployment = { name: AGENT_DEPLOYMENT, exists: false, rolledOut: false };
      }
      this.facts = { ...(data ? { configMap: { name: 'opamp-agent-config', data } } : {}), deployment };
      const key = GuideProgressStore.key(this.o.store.current.connection.contextName ?? s.contextName ?? 'cluster', s.namespace);
      if (key !== this.savedKey) {
        this.saved = await this.progress.get(key);
        this.savedKey = key;
      }
    } catch {
      // Facts stay as they were; the next tick tries again.
    }
    this.schedule();
  }

  async evaluate(): Promise<void> {
    const state = this.o.store.current;
    if (state.connection.status !== 'connected') return;
    const s = this.o.session();
    const svc = state.pods.some((p) => p.app === 'opamp-server') ? { name: 'opamp-server', ports: [{ name: 'opamp', port: 4320 }, { name: 'ui', port: 4321 }, { name: 'rest', port: 4322 }] } : undefined;
    const diagnoses = diagnose({
      namespace: s?.namespace ?? 'opamp',
      pods: state.pods,
      events: state.events,
      logs: this.logs.slice(-150),
      ...(this.facts.configMap?.data['supervisor.yaml'] !== undefined ? { supervisorYaml: this.facts.configMap.data['supervisor.yaml'] } : {}),
      ...(svc ? { service: svc } : {}),
      serverAgents: state.serverAgents,
      agents: state.agents,
      ...(state.connection.error ? { clusterError: state.connection.error } : {}),
    });
    const obs = buildGuideObservations({ ...state, diagnoses }, this.facts, this.baseline);
    const now = Date.now();
    let guide = evaluateGuide(obs, this.saved, now, undefined, this.currentSince?.at);
    if (guide.currentStepId !== this.currentSince?.id) {
      this.currentSince = guide.currentStepId ? { id: guide.currentStepId, at: now } : undefined;
      // The restart seen when the step first became current; kept while the rollout
      // briefly makes earlier steps current again (old pod gone, new one starting).
      if (guide.currentStepId === 'rollout' && !this.baselineSet) {
        this.baseline = this.facts.deployment?.restartedAt;
        this.baselineSet = true;
      }
      guide = evaluateGuide(obs, this.saved, now, undefined, this.currentSince?.at);
    }
    const key = JSON.stringify([diagnoses, guide.steps.map((x) => [x.id, x.status, x.detail]), guide.currentStepId]);
    // A finished restart is remembered: later restarts must not undo the step.
    if (guide.steps.find((x) => x.id === 'rollout')?.status === 'done' && !this.saved['rollout'] && this.savedKey) {
      this.saved = await this.progress.set(this.savedKey, 'rollout', 'done');
    }
    if (key === this.last) return;
    this.last = key;
    this.o.store.update({ diagnoses, guide });
  }

  private baseline?: string;
  private baselineSet = false;

  handlers() {
    return {
      runStepAction: async ({ stepId }: { stepId: string }): Promise<void> => {
        const step = findStep(stepId);
        if (!step) throw new Error(`unknown guide step "${stepId}"`);
        switch (step.action?.id) {
          case 'apply-configmap':
            await applyAgentConfigMap(this.deps());
            break;
          case 'deploy-lab':
            await deployLab(this.deps());
            break;
          case 'rollout-restart':
            await this.o.restartRollout();
            break;
          case 'open-server-ui': {
            const ui = this.o.store.current.forwards.find((f) => f.name === 'ui')?.url;
            if (!ui) throw new Error('The server UI forward is not up yet.');
            await this.o.openExternal(ui);
            break;
          }
          case 'push-overlay':
            await this.o.pushOverlay(await readFile(join(LAB_DIR, 'overlays', 'test_opamp.yaml'), 'utf8'));
            break;
          default:
            break; // a step without an action: Skip only marks it
        }
        await this.refreshFacts();
      },
      setGuideProgress: async ({ stepId, status }: { stepId: string; status: 'done' | 'skipped' | 'todo' }): Promise<void> => {
        if (!findStep(stepId)) throw new Error(`unknown guide step "${stepId}"`);
        const s = this.o.session();
        const key = this.savedKey ?? GuideProgressStore.key(this.o.store.current.connection.contextName ?? 'cluster', s?.namespace ?? 'opamp');
        this.saved = await this.progress.set(key, stepId, status);
        this.savedKey = key;
        this.schedule();
      },
      injectFault: async ({ fault }: { fault: string }): Promise<void> => {
        this.logs = [];
        await injectFault(this.deps(), fault);
        await this.refreshFacts();
      },
      resetLab: async (): Promise<void> => {
        this.logs = [];
        await resetLab(this.deps());
        await this.refreshFacts();
      },
    };
  }
}

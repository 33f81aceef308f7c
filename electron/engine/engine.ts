// The lab engine: one cluster session at a time and everything hanging off it —
// watches, forwards, per-pod probes, log follower, server view — folded into
// LabState through the StateStore.
import { join } from 'node:path';
import type * as k8s from '@kubernetes/client-node';
import type { LogLine, OverlayPushResult, RolloutResult } from '../../shared/api';
import type { OverlayFact } from '../../shared/observations';
import { overlayKeyPaths, validateOverlay } from '../../shared/overlay';
import type { ForwardName, ForwardState, LabState, Target, TelemetryCheckResult } from '../../shared/state';
import type { Sim } from '../../lab/sim/boot';
import { AgentPods } from './agentPods';
import { EngineError, toLabErrorInfo } from './errors';
import { PortForwarder } from './forward/portForward';
import { adoptLoginShellPath } from './kube/loginPath';
import { kubeconfigForShells } from './labShell/kubeconfigSelector';
import { patchRestart, waitForRollout } from './kube/rollout';
import { apiGetJson } from './kube/apiGet';
import { kubeError, openSession, type KubeSession } from './kube/session';
import { eventView, isPodReady, podApp, podView, Watchers } from './kube/watchers';
import { LogFollower } from './logs/logFollower';
import { LogHistory } from './logs/logHistory';
import { splitTimestamp } from './logs/logLines';
import { statusMessage } from './kube/statusMessage';
import { configMapView, objectYaml, workloadsView } from './kube/workloadViews';
import type { ObjectKind, PodLogText } from '../../shared/api';
import { emptyWorkloads } from '../../shared/state';
import { PodProbe } from './probe/podProbe';
import { configHash, saveConfig } from './server/overlayPush';
import { readServer, type ServerSnapshot } from './server/serverView';
import { serviceProxyGet } from './server/serviceProxy';
import type { StateStore } from './stateStore';
import { byteOrder } from '../../shared/byteOrder';

export interface EngineOptions {
  shell: 'electron' | 'web' | 'test';
  dataDir: string;
  store: StateStore;
  log?: (line: string) => void;
  /** Embedded lab tuning (tests, benches). */
  sim?: { replicas?: number; speed?: number };
  /** How often the server view is read (ms). */
  serverEveryMs?: number;
  probeInterval?: number;
  /**
   * One look (`opamp-lab verify` without --watch): only what the six verdicts need — the pods listed
   * once, probes, logs, and the server's view through the API server's service proxy (the UI forward
   * as fallback). No watches, no OpAMP-port forward, no kubeconfig for lab shells: the process prints
   * its verdict and ends.
   */
  oneLook?: boolean;
}

const AGENT_DEPLOYMENT = 'opamp-agent';
/** The Service in front of the OpAMP server, as the lab's manifests name it. */
const SERVER_SERVICE = 'opamp-server';

export class LabEngine {
  private session: KubeSession | undefined;
  private sim: Sim | undefined;
  private watchers: Watchers | undefined;
  private forwards = new Map<ForwardName, PortForwarder>();
  private probes = new Map<string, PodProbe>();
  private follower: LogFollower | undefined;
  readonly agents = new AgentPods();
  private serverTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private server: ServerSnapshot | undefined;
  private pushed: OverlayFact | undefined;
  private logSeq = 0;
  private pendingLogs: LogLine[] = [];
  private logTimer: NodeJS.Timeout | undefined;
  private evalScheduled = false;
  private deploymentListeners = new Set<() => void>();
  private generation = 0;
  private serverReading = false;
  /** Every log line sent to the UI, bounded per deployment, so a page that (re)attaches gets them. */
  private readonly logHistory = new LogHistory();
  private watchesSynced = false;

  constructor(private readonly o: EngineOptions) {}

  get kube(): KubeSession | undefined {
    return this.session;
  }

  get embedded(): Sim | undefined {
    return this.sim;
  }

  private get state(): Readonly<LabState> {
    return this.o.store.current;
  }

  async connect(target: Target): Promise<void> {
    // A cluster is reached before the current session is let go, so a bad kubeconfig, a missing
    // context or an unreachable cluster leaves the working one (often the embedded lab) running.
    let reached: KubeSession | undefined;
    if (target.kind !== 'embedded') reached = await this.reachCluster(target);
    await this.disconnect();
    const gen = ++this.generation;
    this.o.store.update({ connection: { status: 'connecting', target } });
    try {
      let session: KubeSession;
      if (target.kind === 'embedded') {
        const { startSim } = await import('../../lab/sim/boot');
        this.sim = await startSim({ kubeconfigPath: join(this.o.dataDir, 'embedded.kubeconfig'), ...(this.o.sim ?? {}), ...(target.blank ? { blank: true } : {}) });
        session = await openSession({ kubeconfigPath: this.sim.kubeconfigPath, namespace: 'opamp' });
      } else {
        session = reached!;
      }
      if (gen !== this.generation) return;
      this.session = session;
      await this.attach(session);
      // What lab shells and the attendee's own terminal use to reach this cluster.
      const kubeconfig = this.o.oneLook ? undefined : await kubeconfigForShells(this.o.dataDir, session, this.sim?.kubeconfigPath).catch(() => session.kubeconfigPath);
      this.o.store.update({
        connection: {
          status: 'connected',
          target,
          contextName: target.kind === 'embedded' ? 'Embedded lab' : session.contextName,
          namespace: session.namespace,
          ...(session.server ? { server: session.server } : {}),
          ...(kubeconfig ? { kubeconfig } : {}),
        },
      });
    } catch (err) {
      const info = toLabErrorInfo(err instanceof EngineError ? err : kubeError(err, 'connect'));
      await this.teardown();
      this.o.store.update({ connection: { status: 'error', target, error: info } });
      throw err instanceof EngineError ? err : new EngineError(info.kind, info.message);
    }
  }

  /**
   * Opens a session on a kubeconfig target (openSession lists a pod to prove it works). On failure
   * the current connection is left as it is; with none, the error is the connection's state.
   */
  private async reachCluster(target: Extract<Target, { kind: 'kubeconfig' }>): Promise<KubeSession> {
    try {
      if (this.o.shell === 'electron') await adoptLoginShellPath();
      return await openSession({ kubeconfigPath: target.kubeconfigPath, context: target.context, namespace: target.namespace });
    } catch (err) {
      const info = toLabErrorInfo(err instanceof EngineError ? err : kubeError(err, 'connect'));
      const current = this.state.connection;
      if (current.status !== 'connected') {
        this.o.store.update({ connection: { status: 'error', target, error: info } });
        throw err instanceof EngineError ? err : new EngineError(info.kind, info.message);
      }
      throw new EngineError(info.kind, `${info.message} Still connected to ${current.contextName ?? 'the current cluster'}.`, info.detail ? { detail: info.detail } : undefined);
    }
  }

  private async attach(session: KubeSession): Promise<void> {
    this.readBaseConfig(session);
    const onForward = (): void => this.o.store.update({ forwards: [...this.forwards.values()].map((f) => f.current) });
    const forwards = this.o.oneLook ? ([['ui', 4321]] as const) : ([['opamp', 4320], ['ui', 4321]] as const);
    for (const [name, port] of forwards) {
      const f = new PortForwarder({ session, name, remotePort: port, onState: onForward });
      this.forwards.set(name, f);
      await f.start();
    }
    // One look reads the server through the API server's proxy, so it need not wait for the pods list.
    if (this.o.oneLook) void this.readServerView();
    this.follower = new LogFollower({ session, emit: (lines) => this.queueLogs(lines) });
    this.watchers = new Watchers(session, (kind) => this.onCluster(kind), (kind, err) => this.o.log?.(`watch ${kind}: ${err instanceof Error ? err.message : String(err)}`), this.o.oneLook ? { only: ['pods'], once: true } : {});
    void this.watchers.synced.then(() => {
      this.watchesSynced = true;
      this.updateWorkloads();
    });
    // The cap's timer is cleared once the watches sync: left running it held a finished `opamp-lab verify` open for 15 s.
    let cap: NodeJS.Timeout | undefined;
    await Promise.race([this.watchers.synced, new Promise((r) => (cap = setTimeout(r, 15_000)))]).finally(() => clearTimeout(cap));
    this.serverTimer = setInterval(() => void this.readServerView(), this.o.serverEveryMs ?? 1000);
    this.sweepTimer = setInterval(() => this.scheduleEvaluate(), 1000);
    void this.readServerView();
  }

  private readBaseConfig(session: KubeSession): void {
    apiGetJson<k8s.V1ConfigMap>(session.kc, `/api/v1/namespaces/${encodeURIComponent(session.namespace)}/configmaps/opamp-agent-config`)
      .then((cm) => {
        this.agents.base = cm.data?.['collector.yaml'];
      })
      .catch(() => undefined);
  }

  private workloadsTimer: NodeJS.Timeout | undefined;

  /** Coalesced: a rollout changes deployments, ReplicaSets and pods many times a second. */
  private updateWorkloads(): void {
    this.workloadsTimer ??= setTimeout(() => {
      this.workloadsTimer = undefined;
      const cache = this.watchers?.cache;
      if (cache) this.o.store.update({ workloads: workloadsView(cache, this.watchesSynced) });
    }, 100);
  }

  private onCluster(kind: 'pods' | 'deployments' | 'events' | 'replicasets' | 'configmaps'): void {
    const cache = this.watchers?.cache;
    if (!cache) return;
    if (kind === 'deployments' || kind === 'replicasets' || kind === 'configmaps') this.updateWorkloads();
    if (kind === 'replicasets' || kind === 'configmaps') return;
    if (kind === 'pods') {
      const pods = [...cache.pods.values()];
      this.o.store.update({ pods: pods.map(podView).sort((a, b) => byteOrder(a.name, b.name)) });
      const agentPods = pods.filter((p) => podApp(p) === 'opamp-agent');
      const names = new Set(agentPods.map((p) => p.metadata?.name ?? ''));
      const known = this.agents.entries.size;
      for (const pod of agentPods) this.trackAgentPod(pod);
      if (this.server && this.agents.entries.size > known) this.applyServerView();
      for (const name of [...this.agents.entries.keys()]) {
        if (!names.has(name)) {
          this.probes.get(name)?.stop();
          this.probes.delete(name);
          this.agents.remove(name);
        }
      }
      this.follower?.sync(agentPods);
      this.retargetForwards(pods);
      this.scheduleEvaluate();
    } else if (kind === 'events') {
      const events = [...cache.events.values()].map(eventView).sort((a, b) => a.at - b.at).slice(-100);
      this.o.store.update({ events });
    } else {
      for (const l of this.deploymentListeners) l();
    }
  }

  private trackAgentPod(pod: k8s.V1Pod): void {
    const name = pod.metadata?.name ?? '';
    const restarted = this.agents.updatePod(pod);
    const entry = this.agents.entries.get(name);
    const running = entry?.obs.containerRunning ?? false;
    const probe = this.probes.get(name);
    if (!running || pod.metadata?.deletionTimestamp) {
      if (probe && pod.metadata?.deletionTimestamp) {
        probe.stop();
        this.probes.delete(name);
      }
      return;
    }
    if (!probe) {
      const session = this.session;
      if (!session) return;
      this.probes.set(
        name,
        new PodProbe({
          session,
          pod: name,
          ...(this.o.probeInterval ? { interval: this.o.probeInterval } : {}),
          onMessage: (m) => {
            this.agents.onProbe(name, m, (lines) => this.queueLogs(lines, false), () => ++this.logSeq);
            this.scheduleEvaluate();
          },
          onStatus: (s) => {
            this.agents.onProbeStatus(name, s);
            this.scheduleEvaluate();
          },
        }),
      );
    } else if (restarted) {
      probe.kick();
    }
  }

  /** The Service's pods: the newest Ready opamp-server pod that is not terminating. */
  private retargetForwards(pods: k8s.V1Pod[]): void {
    const ready = pods
      .filter((p) => podApp(p) === 'opamp-server' && isPodReady(p) && !p.metadata?.deletionTimestamp)
      .sort((a, b) => Date.parse(String(b.metadata?.creationTimestamp ?? 0)) - Date.parse(String(a.metadata?.creationTimestamp ?? 0)));
    const current = this.forwards.get('ui')?.current.pod;
    const keep = ready.find((p) => p.metadata?.name === current);
    const target = (keep ?? ready[0])?.metadata?.name;
    for (const f of this.forwards.values()) f.setTarget(target);
    if (target !== current) void this.readServerView();
  }

  private queueLogs(lines: LogLine[], fromFollower = true): void {
    if (fromFollower) {
      for (const l of lines) l.seq = ++this.logSeq;
      this.agents.onLogLines(lines);
      this.scheduleEvaluate();
    }
    this.logHistory.add(AGENT_DEPLOYMENT, lines);
    this.pendingLogs.push(...lines);
    if (this.pendingLogs.length > 5000) this.pendingLogs.splice(0, this.pendingLogs.length - 5000);
    this.logTimer ??= setTimeout(() => {
      this.logTimer = undefined;
      const batch = this.pendingLogs;
      this.pendingLogs = [];
      if (batch.length > 0) this.o.store.emit({ type: 'logs', lines: batch });
    }, 50);
  }

  private uiBase(): string | undefined {
    const ui = this.forwards.get('ui')?.current;
    return ui?.localPort && ui.pod ? `http://127.0.0.1:${ui.localPort}/` : undefined;
  }

  async readServerView(): Promise<void> {
    const base = this.uiBase();
    if (this.serverReading) return;
    this.serverReading = true;
    try {
      // One look reads through the API server's service proxy (no forward, no pod list needed first);
      // where that is not allowed (RBAC, no proxy) it falls back to the forward, as the app reads.
      const proxy = this.o.oneLook && this.session ? serviceProxyGet(this.session, SERVER_SERVICE, 4321) : undefined;
      const viaProxy = proxy ? await readServer(proxy).then((snap) => ({ ...snap, source: `${snap.source} via the API server's service proxy` }), () => undefined) : undefined;
      this.server = viaProxy ?? (base ? await readServer(base) : undefined);
    } catch {
      this.server = undefined;
    } finally {
      this.serverReading = false;
    }
    const snap = this.server;
    this.applyServerView();
    // The overlay text stays here; its hash tells Lab mode when a new one arrives (server UI or app).
    const serverAgents = (snap?.agents ?? []).map(({ overlayText, ...v }) => (overlayText ? { ...v, overlayHash: configHash(overlayText) } : v));
    const signature = JSON.stringify(serverAgents);
    if (signature !== this.lastServerSignature) {
      this.lastServerSignature = signature;
      this.o.store.update({ serverAgents });
    }
    this.followOverlay();
    this.scheduleEvaluate();
  }

  /** The last server view onto every agent pod entry (also onto pods first seen after the read). */
  private applyServerView(): void {
    const snap = this.server;
    this.agents.onServer(snap?.agents, snap?.source ?? '', this.pushed, (t) => overlayKeyPaths(t) ?? []);
  }

  private followOverlay(): void {
    const ov = this.state.overlay;
    if (!this.pushed || (ov.status !== 'applying' && ov.status !== 'sending')) return;
    const targets = this.server?.agents.filter((a) => a.connected && this.pushedTo.has(a.instanceUid)) ?? [];
    // Only a verdict on this overlay's hash counts (the previous overlay's FAILED may still be listed).
    const forThis = (a: (typeof targets)[number]) => !a.remoteConfig?.lastHash || a.remoteConfig.lastHash.toLowerCase() === this.pushed?.hash?.toLowerCase();
    if (targets.some((a) => a.remoteConfig?.status === 'FAILED' && forThis(a))) {
      const err = targets.find((a) => a.remoteConfig?.status === 'FAILED' && forThis(a))?.remoteConfig?.errorMessage ?? 'the agent reported FAILED';
      this.o.store.update({ overlay: { ...ov, status: 'failed', error: err } });
    } else if (targets.length > 0 && targets.every((a) => a.remoteConfig?.status === 'APPLIED' && (!a.remoteConfig.lastHash || a.remoteConfig.lastHash === this.pushed?.hash))) {
      this.o.store.update({ overlay: { ...ov, status: 'applied' } });
    }
  }

  private pushedTo = new Set<string>();
  private lastAgentsSignature = '';
  private lastServerSignature = '';

  scheduleEvaluate(): void {
    if (this.evalScheduled) return;
    this.evalScheduled = true;
    setImmediate(() => {
      this.evalScheduled = false;
      if (!this.session) return;
      const agents = this.agents.evaluate(Date.now());
      // Only changes reach the UI: the 1 s sweep re-evaluates time-based verdicts but is mostly silent.
      const signature = JSON.stringify(agents.map((a) => ({ ...a, effectiveConfig: a.effectiveConfig.map((v) => [v.sha256, v.origins.join()]) })));
      if (signature === this.lastAgentsSignature) return;
      this.lastAgentsSignature = signature;
      this.o.store.update({ agents });
    });
  }

  /** `force` sends an overlay that is not even a YAML mapping, so attendees can practise the supervisor's FAILED. */
  async pushOverlay(text: string, pod?: string, force = false): Promise<OverlayPushResult> {
    const v = validateOverlay(text);
    if (!v.ok && !force) {
      const first = v.errors[0];
      throw new EngineError('overlay', `The overlay is not valid YAML for the supervisor${first?.line ? ` (line ${first.line}, column ${first.col})` : ''}: ${first?.message ?? 'invalid'}`);
    }
    this.requireSession();
    const base = this.uiBase();
    if (!base) throw new EngineError('unreachable', 'The server UI (4321) is not forwarded: no ready opamp-server pod.');
    // The forward may have just moved to a new server pod, and right after a connect or a restart the
    // supervisor may be seconds from its first report: give both a few seconds, re-reading the server.
    const deadline = Date.now() + 5000;
    const settle = async (ready: () => boolean): Promise<void> => {
      await this.readServerView();
      while (!ready() && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        await this.readServerView();
      }
    };
    await settle(() => Boolean(this.server));
    const server = this.server;
    if (!server) {
      const ui = this.forwards.get('ui')?.current;
      throw new EngineError('unreachable', `The server UI (4321) does not answer through the port-forward${ui?.error ? `: ${ui.error}` : '.'}`);
    }
    const targets = (): string[] => {
      if (pod) {
        const agent = this.agents.entries.get(pod)?.obs.server;
        return agent ? [agent.instanceUid] : [];
      }
      const mine = [...this.agents.entries.values()].map((e) => e.obs.server?.instanceUid).filter((u): u is string => Boolean(u));
      return mine.length > 0 ? mine : (this.server?.agents ?? server.agents).filter((a) => a.connected).map((a) => a.instanceUid);
    };
    let uids = targets();
    if (uids.length === 0) {
      await settle(() => targets().length > 0);
      uids = targets();
    }
    if (uids.length === 0) {
      throw new EngineError('not-found', pod ? `The server does not list the agent of pod ${pod} (yet).` : 'No agent is connected to the server, so there is nobody to send the overlay to.');
    }
    const hash = configHash(text);
    const sentAt = Date.now();
    this.pushed = { text, keyPaths: overlayKeyPaths(text) ?? [], sentAt, hash };
    this.pushedTo = new Set(uids);
    this.o.store.update({ overlay: { status: 'sending', text, hash, sentAt } });
    try {
      await Promise.all(uids.map((uid) => saveConfig(base, uid, text)));
      if (this.pushed?.hash === hash) this.pushed.ackAt = Date.now();
    } catch (err) {
      this.o.store.update({ overlay: { status: 'failed', text, hash, sentAt, error: err instanceof Error ? err.message : String(err) } });
      throw err;
    }
    this.o.store.update({ overlay: { status: 'applying', text, hash, sentAt } });
    await this.readServerView();
    return { instanceUids: uids, hash };
  }

  /** The telemetry proof on one agent pod (default: the first running one). */
  async checkTelemetry(pod?: string): Promise<TelemetryCheckResult> {
    const session = this.requireSession();
    const target = pod ?? [...this.agents.entries.entries()].filter(([, e]) => e.obs.containerRunning).map(([n]) => n).sort()[0];
    if (!target || !this.agents.entries.has(target)) throw new EngineError('not-found', pod ? `No agent pod ${pod}.` : 'No running opamp-agent pod to send a test span to.');
    this.agents.setTelemetry(target, { pod: target, status: 'running', at: Date.now(), evidence: [] });
    this.scheduleEvaluate();
    let result: TelemetryCheckResult;
    try {
      // Loaded on first use: the OTLP types (protobufjs) are not worth parsing on every start of the engine.
      const { runTelemetryProof } = await import('./telemetry/telemetryProof');
      result = await runTelemetryProof(session, target);
    } catch (err) {
      result = { pod: target, status: 'fail', at: Date.now(), evidence: [{ kind: 'note', text: err instanceof Error ? err.message : String(err) }], hint: 'The port-forward to the agent pod could not be opened.' };
    }
    this.agents.setTelemetry(target, result);
    this.scheduleEvaluate();
    return result;
  }

  async restartRollout(deployment = AGENT_DEPLOYMENT, timeoutMs = 180_000): Promise<RolloutResult> {
    const session = this.requireSession();
    const startedAt = Date.now();
    this.o.store.update({ rollout: { status: 'running', deployment, startedAt, messages: [] } });
    try {
      const patched = await patchRestart(session, deployment);
      const minGen = patched.metadata?.generation ?? 0;
      const head = [`deployment.apps/${deployment} restarted`];
      this.o.store.update({ rollout: { status: 'running', deployment, startedAt, messages: head } });
      const messages = await waitForRollout(
        deployment,
        () => {
          const d = this.watchers?.cache.deployments.get(deployment);
          return d && (d.metadata?.generation ?? 0) >= minGen ? d : undefined;
        },
        (cb) => {
          this.deploymentListeners.add(cb);
          return () => this.deploymentListeners.delete(cb);
        },
        (m) => this.o.store.update({ rollout: { status: 'running', deployment, startedAt, messages: [...head, ...m] } }),
        timeoutMs,
      );
      const all = [...head, ...messages];
      this.o.store.update({ rollout: { status: 'done', deployment, startedAt, messages: all } });
      this.scheduleEvaluate();
      return { deployment, messages: all };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.o.store.update({ rollout: { ...this.state.rollout, status: 'failed', error: message } });
      throw err;
    }
  }

  /** The kept history, oldest first (a page that attaches or reloads starts from it). */
  logLines(): LogLine[] {
    return this.logHistory.all();
  }

  /** One container's log read once, as `kubectl logs [--previous] --timestamps --tail=N` prints it. */
  async readPodLog(pod: string, container: string, previous = false, tail = 5000): Promise<PodLogText> {
    const session = this.requireSession();
    let text: string;
    try {
      text = String(await session.core.readNamespacedPodLog({ name: pod, namespace: session.namespace, container, previous, timestamps: true, tailLines: tail + 1 }));
    } catch (err) {
      // A 400 from the kubelet says why (no previous container, waiting to start): pass its message on.
      const message = statusMessage(err);
      if (message) throw new EngineError('not-found', `logs of ${pod}/${container}${previous ? ' (previous)' : ''}: ${message}`);
      throw kubeError(err, `logs of ${pod}/${container}`);
    }
    const raw = text.split('\n').filter((l) => l !== '');
    const truncated = raw.length > tail;
    const lines = raw.slice(-tail).map((l) => {
      const { at, text: body } = splitTimestamp(l);
      return { at, text: body };
    });
    return { pod, container, previous, lines, truncated };
  }

  objectYaml(kind: ObjectKind, name: string): string {
    this.requireSession();
    const yaml = this.watchers ? objectYaml(this.watchers.cache, kind, name) : undefined;
    if (yaml === undefined) throw new EngineError('not-found', `${kind} ${name} is not in namespace ${this.session?.namespace ?? ''} (any more).`);
    return yaml;
  }

  /** Replaces a ConfigMap's data, refusing when it changed since the edit began (optimistic concurrency). */
  async applyConfigMap(name: string, data: Record<string, string>, resourceVersion: string): Promise<{ resourceVersion: string }> {
    const session = this.requireSession();
    const current = this.watchers?.cache.configmaps.get(name);
    if (!current) throw new EngineError('not-found', `ConfigMap ${name} is not in namespace ${session.namespace}.`);
    try {
      const body = { ...current, metadata: { ...current.metadata, resourceVersion }, data };
      delete (body.metadata as { managedFields?: unknown }).managedFields;
      const updated = await session.core.replaceNamespacedConfigMap({ name, namespace: session.namespace, body });
      if (name === 'opamp-agent-config') this.agents.base = updated.data?.['collector.yaml'];
      return { resourceVersion: configMapView(updated).resourceVersion };
    } catch (err) {
      if ((err as { code?: unknown }).code === 409) {
        throw new EngineError('invalid-input', `ConfigMap ${name} changed in the cluster since you started editing (someone applied another version). Your text is kept: look at the new version, then apply again.`);
      }
      const message = statusMessage(err);
      if (message && (err as { code?: unknown }).code === 422) throw new EngineError('invalid-input', `ConfigMap ${name} was refused: ${message}`);
      throw kubeError(err, `apply ConfigMap ${name}`);
    }
  }

  requireSession(): KubeSession {
    if (!this.session) throw new EngineError('not-found', 'Not connected: connect to the embedded lab or a cluster first.');
    return this.session;
  }

  forwardState(name: ForwardName): ForwardState | undefined {
    return this.forwards.get(name)?.current;
  }

  private async teardown(): Promise<void> {
    clearInterval(this.serverTimer);
    clearInterval(this.sweepTimer);
    clearTimeout(this.logTimer);
    this.logTimer = undefined;
    this.pendingLogs = [];
    this.logHistory.clear();
    clearTimeout(this.workloadsTimer);
    this.workloadsTimer = undefined;
    this.watchesSynced = false;
    for (const p of this.probes.values()) p.stop();
    this.probes.clear();
    this.follower?.stop();
    this.follower = undefined;
    await this.watchers?.stop();
    this.watchers = undefined;
    await Promise.all([...this.forwards.values()].map((f) => f.close()));
    this.forwards.clear();
    this.agents.entries.clear();
    this.session = undefined;
    this.server = undefined;
    this.lastAgentsSignature = '';
    this.lastServerSignature = '';
    this.pushed = undefined;
    const sim = this.sim;
    this.sim = undefined;
    await sim?.close();
  }

  async disconnect(): Promise<void> {
    this.generation += 1;
    const was = this.state.connection.status;
    await this.teardown();
    if (was !== 'disconnected') {
      this.o.store.update({ connection: { status: 'disconnected' }, forwards: [], pods: [], agents: [], serverAgents: [], events: [], overlay: { status: 'idle' }, rollout: { status: 'idle', messages: [] }, workloads: emptyWorkloads() });
    }
  }
}

// The kubelet's work for one pod: bind it to the node, mount its volumes
// (a missing ConfigMap keeps it ContainerCreating with FailedMount events),
// create the sandbox, run its containers, publish PodStatus, and on deletion
// stop the containers within the grace period and remove the pod.
import type { ContainerSpec, PodSandbox, VolumeMountSpec } from '../pod/types';
import { ContainerRunner, type ContainerHost } from './containerRunner';
import type { EventRecorder } from './events';
import type { KubeApi } from './kubeApi';
import { PodLogs } from './logStore';
import { serviceEnv } from './serviceEnv';
import { nowIso, type KubeObject } from './types';

type Loose = Record<string, any>;

export interface PodWorkerDeps {
  api: KubeApi;
  events: EventRecorder;
  nodeName: string;
  hostIP: string;
  speed: number;
  allocateIp(): string;
  /** The real folder behind a hostPath volume (lab/sim/kube/hostPath.ts); throws the kubelet's message. */
  hostPath(path: string, type: string | undefined): string;
  createSandbox(pod: KubeObject, ip: string): PodSandbox;
  isKnownImage(image: string): boolean;
}

const SOURCE_KUBELET = (node: string): { component: string; host: string } => ({ component: 'kubelet', host: node });

class MountError extends Error {}

const SANDBOX_SETUP_MS = 500;

export class PodWorker {
  readonly logs = new PodLogs();
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  sandbox?: PodSandbox;
  ip?: string;
  runners: ContainerRunner[] = [];
  /** `kubectl debug` containers: added to the running pod, never restarted. */
  ephemeralRunners: ContainerRunner[] = [];
  private terminating = false;
  private closed = false;
  private statusQueued = false;
  private readonly transitions = new Map<string, { status: string; time: string }>();
  private startTime?: string;
  private mountTimer?: NodeJS.Timeout;
  terminated: Promise<void> | undefined;
  private readonly goneListeners = new Set<() => void>();

  constructor(private readonly deps: PodWorkerDeps, private pod: KubeObject) {
    this.namespace = pod.metadata.namespace ?? 'default';
    this.name = pod.metadata.name ?? '';
    this.uid = pod.metadata.uid ?? '';
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string, source = SOURCE_KUBELET(this.deps.nodeName)): void {
    const current = this.deps.api.tryGet('pods', this.namespace, this.name) ?? this.pod;
    this.deps.events.record(current, type, reason, message, source, fieldPath);
  }

  start(): void {
    const { api, nodeName } = this.deps;
    const bound = api.get('pods', this.namespace, this.name);
    bound.spec.nodeName = nodeName;
    this.pod = api.update('pods', this.namespace, this.name, bound);
    this.startTime = nowIso();
    this.event('Normal', 'Scheduled', `Successfully assigned ${this.namespace}/${this.name} to ${nodeName}`, undefined, { component: 'default-scheduler', host: '' });
    this.runners = ((this.pod.spec?.containers ?? []) as Loose[]).map((c) => new ContainerRunner(this.containerHost(), c, this.runtimeSpec(c, [])));
    this.publishStatus();
    // Mounting volumes and creating the sandbox take the kubelet a moment: the pod is seen ContainerCreating first.
    this.mountTimer = setTimeout(() => this.tryMount(1), SANDBOX_SETUP_MS / this.deps.speed);
  }

  /** Starts the ephemeral containers the pod gained since the last call. */
  syncEphemeral(pod: KubeObject): void {
    if (this.terminating || this.closed || !this.sandbox) return;
    for (const c of (pod.spec?.ephemeralContainers ?? []) as Loose[]) {
      if (this.ephemeralRunners.some((r) => r.name === c.name)) continue;
      const runner = new ContainerRunner({ ...this.containerHost(), restartPolicy: 'Never' }, c, this.runtimeSpec(c, []));
      this.ephemeralRunners.push(runner);
      this.publishStatus();
      runner.start();
    }
  }

  /** Resolves volumes; retries while a ConfigMap is missing, as the kubelet's volume manager does. */
  private tryMount(attempt: number): void {
    if (this.terminating || this.closed) return;
    try {
      const containers = (this.pod.spec?.containers ?? []) as Loose[];
      const specs = containers.map((c) => this.runtimeSpec(c, this.mountsFor(c)));
      this.ip = this.deps.allocateIp();
      this.sandbox = this.deps.createSandbox(this.pod, this.ip);
      this.runners = containers.map((c, i) => new ContainerRunner(this.containerHost(), c, specs[i] as ContainerSpec));
      this.publishStatus();
      for (const r of this.runners) r.start();
    } catch (err) {
      // A missing volume source or a sandbox that fails to start: retried with back-off, as the kubelet does.
      if (err instanceof MountError) this.event('Warning', 'FailedMount', err.message);
      else this.event('Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${err instanceof Error ? err.message : String(err)}`);
      this.sandbox = undefined;
      const delay = Math.min(500 * 2 ** attempt, 120_000) / this.deps.speed;
      this.mountTimer = setTimeout(() => this.tryMount(attempt + 1), delay);
    }
  }

  private mountsFor(container: Loose): VolumeMountSpec[] {
    const volumes = (this.pod.spec?.volumes ?? []) as Loose[];
    return ((container.volumeMounts ?? []) as Loose[]).map((m) => {
      const volume = volumes.find((v) => v.name === m.name);
      if (!volume) throw new MountError(`volume "${m.name}" not found in pod spec`);
      if (volume.configMap) {
        const cmName = String(volume.configMap.name);
        const cm = this.deps.api.tryGet('configmaps', this.namespace, cmName);
        if (!cm && !volume.configMap.optional) throw new MountError(`MountVolume.SetUp failed for volume "${m.name}" : configmap "${cmName}" not found`);
        let data = { ...((cm?.data as Record<string, string> | undefined) ?? {}) };
        if (Array.isArray(volume.configMap.items)) {
          const mapped: Record<string, string> = {};
          for (const item of volume.configMap.items as Loose[]) {
            if (data[item.key] === undefined && !volume.configMap.optional) throw new MountError(`MountVolume.SetUp failed for volume "${m.name}" : configmap references non-existent config key: ${item.key}`);
            if (data[item.key] !== undefined) mapped[item.path] = data[item.key] as string;
          }
          data = mapped;
        }
        return { mountPath: m.mountPath, readOnly: m.readOnly ?? true, source: { kind: 'configMap', name: cmName, data, ...(m.subPath ? { subPath: m.subPath } : {}) } };
      }
      if (volume.emptyDir) return { mountPath: m.mountPath, readOnly: m.readOnly, source: { kind: 'emptyDir', volumeName: m.name } };
      if (volume.hostPath) {
        const path = String(volume.hostPath.path ?? '');
        let hostDir: string;
        try {
          hostDir = this.deps.hostPath(path, volume.hostPath.type);
        } catch (err) {
          throw new MountError(`MountVolume.SetUp failed for volume "${m.name}" : ${(err as Error).message}`);
        }
        return { mountPath: m.mountPath, readOnly: m.readOnly, source: { kind: 'hostPath', volumeName: m.name, path, hostDir } };
      }
      throw new MountError(`MountVolume.SetUp failed for volume "${m.name}" : volume type is not supported by the lab emulator`);
    });
  }

  private runtimeSpec(c: Loose, mounts: VolumeMountSpec[]): ContainerSpec {
    // Service links first (what exists when the container starts), then the container's own env over them.
    const links = this.pod.spec?.enableServiceLinks === false ? [] : this.deps.api.list('services', this.namespace);
    const env: Record<string, string> = serviceEnv([...links, ...(this.namespace === 'default' ? [] : this.deps.api.list('services', 'default').filter((s) => s.metadata.name === 'kubernetes'))]);
    for (const e of (c.env ?? []) as Loose[]) {
      if (typeof e.value === 'string') env[e.name] = e.value;
      const field = e.valueFrom?.fieldRef?.fieldPath;
      if (field === 'metadata.name') env[e.name] = this.name;
      if (field === 'metadata.namespace') env[e.name] = this.namespace;
      if (field === 'status.podIP') env[e.name] = this.ip ?? '';
      if (field === 'spec.nodeName') env[e.name] = this.deps.nodeName;
    }
    return {
      name: String(c.name),
      image: String(c.image),
      ...(c.command ? { command: c.command } : {}),
      ...(c.args ? { args: c.args } : {}),
      env,
      ...(c.stdin ? { stdin: true } : {}),
      ...(c.tty ? { tty: true } : {}),
      ...(c.ports ? { ports: (c.ports as Loose[]).map((p) => ({ containerPort: Number(p.containerPort), ...(p.name ? { name: p.name } : {}) })) } : {}),
      volumeMounts: mounts,
    };
  }

  private containerHost(): ContainerHost {
    return {
      podName: this.name,
      namespace: this.namespace,
      uid: this.uid,
      restartPolicy: this.pod.spec?.restartPolicy ?? 'Always',
      scale: (ms) => ms / this.deps.speed,
      isKnownImage: (image) => this.deps.isKnownImage(image),
      event: (type, reason, message, fieldPath) => this.event(type, reason, message, fieldPath),
      startInSandbox: (spec, log) => {
        if (!this.sandbox) throw new Error('pod sandbox is not ready');
        return this.sandbox.startContainer(spec, { log: (stream, line) => log.append(stream, line) });
      },
      newLog: (container, containerId) => this.logs.startInstance(container, containerId),
      changed: () => this.publishStatus(),
    };
  }

  /** Called once the pod's sandbox is gone (streams into the pod must end then). */
  onGone(listener: () => void): () => void {
    if (this.closed) {
      listener();
      return () => {};
    }
    this.goneListeners.add(listener);
    return () => this.goneListeners.delete(listener);
  }

  runner(container: string | undefined): ContainerRunner | undefined {
    return container ? [...this.runners, ...this.ephemeralRunners].find((r) => r.name === container) : this.runners[0];
  }

  private condition(type: string, ok: boolean, reason?: string, message?: string): Loose {
    const status = ok ? 'True' : 'False';
    const prev = this.transitions.get(type);
    const time = prev && prev.status === status ? prev.time : nowIso();
    this.transitions.set(type, { status, time });
    return { type, status, lastProbeTime: null, lastTransitionTime: time, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
  }

  /** Coalesces status changes into one write per tick. */
  private publishStatus(): void {
    if (this.statusQueued || this.closed) return;
    this.statusQueued = true;
    setImmediate(() => {
      this.statusQueued = false;
      if (this.closed) return;
      const current = this.deps.api.tryGet('pods', this.namespace, this.name);
      if (!current || current.metadata.uid !== this.uid) return;
      this.deps.api.update('pods', this.namespace, this.name, { ...current, status: this.buildStatus(current) }, { subresource: 'status' });
    });
  }

  private buildStatus(current: KubeObject): Loose {
    const statuses = this.runners.map((r) => r.status());
    const unready = this.runners.filter((r) => !r.ready).map((r) => r.name);
    const allReady = unready.length === 0 && this.runners.length > 0 && !this.terminating;
    const allStarted = this.runners.length > 0 && this.runners.every((r) => r.everStarted);
    const notReadyMessage = `containers with unready status: [${unready.join(' ')}]`;
    return {
      ...(current.status ?? {}),
      phase: podPhase(this.pod.spec?.restartPolicy ?? 'Always', this.runners, allStarted),
      conditions: [
        this.condition('PodReadyToStartContainers', this.sandbox !== undefined),
        this.condition('Initialized', true),
        this.condition('Ready', allReady, allReady ? undefined : 'ContainersNotReady', allReady ? undefined : notReadyMessage),
        this.condition('ContainersReady', allReady, allReady ? undefined : 'ContainersNotReady', allReady ? undefined : notReadyMessage),
        this.condition('PodScheduled', true),
      ],
      hostIP: this.deps.hostIP,
      hostIPs: [{ ip: this.deps.hostIP }],
      ...(this.ip ? { podIP: this.ip, podIPs: [{ ip: this.ip }] } : {}),
      startTime: this.startTime,
      containerStatuses: statuses,
      ...(this.ephemeralRunners.length ? { ephemeralContainerStatuses: this.ephemeralRunners.map((r) => r.status()) } : {}),
      qosClass: 'BestEffort',
    };
  }

  /** Graceful termination: SIGTERM, SIGKILL after the grace period, then the pod object goes. */
  terminate(graceSeconds: number): Promise<void> {
    if (this.terminated) return this.terminated;
    this.terminating = true;
    if (this.mountTimer) clearTimeout(this.mountTimer);
    this.publishStatus();
    const graceMs = (graceSeconds * 1000) / this.deps.speed;
    this.terminated = (async () => {
      await Promise.all([...this.runners, ...this.ephemeralRunners].map((r) => r.stop(graceMs)));
      await this.sandbox?.destroy();
      this.closed = true;
      for (const listener of this.goneListeners) listener();
      this.goneListeners.clear();
      const current = this.deps.api.tryGet('pods', this.namespace, this.name);
      if (current && current.metadata.uid === this.uid) this.deps.api.store.remove('pods', this.namespace, this.name);
    })();
    return this.terminated;
  }
}

/**
 * The kubelet's pod phase: Succeeded or Failed once every container has terminated for good
 * (restartPolicy Never, or OnFailure after exit 0); Running once all have started; else Pending.
 */
function podPhase(restartPolicy: string, runners: ContainerRunner[], allStarted: boolean): string {
  const exits = runners.map((r) => r.state.terminated?.exitCode as number | undefined);
  if (runners.length > 0 && exits.every((code) => code !== undefined)) {
    if (restartPolicy === 'Never') return exits.every((code) => code === 0) ? 'Succeeded' : 'Failed';
    if (restartPolicy === 'OnFailure' && exits.every((code) => code === 0)) return 'Succeeded';
  }
  return allStarted ? 'Running' : 'Pending';
}

// One container of a pod, as the kubelet drives it: image pull (or
// ErrImagePull → ImagePullBackOff), create and start, exit, and restarts
// with the CrashLoopBackOff delay (10 s doubling to 5 min, divided by the
// speed factor). It reports its ContainerStatus and logs each instance.
import { createHash, randomBytes } from 'node:crypto';
import type { ContainerExit, ContainerSpec, RunningContainer } from '../pod/types';
import type { ContainerLog } from './logStore';
import { nowIso } from './types';
import { describeError } from '../../../shared/errorText';

type Loose = Record<string, any>;

export interface ContainerHost {
  podName: string;
  namespace: string;
  uid: string;
  restartPolicy: string;
  /** Milliseconds of simulated time → real milliseconds. */
  scale(ms: number): number;
  isKnownImage(image: string): boolean;
  event(type: 'Normal' | 'Warning', reason: string, message: string, fieldPath: string): void;
  startInSandbox(spec: ContainerSpec, log: ContainerLog): RunningContainer;
  newLog(container: string, containerId: string): ContainerLog;
  changed(): void;
}

const BACKOFF_START_MS = 10_000;
const PLEG_RELIST_MS = 1_000;
const BACKOFF_MAX_MS = 300_000;

export function fullImageName(image: string): string {
  const first = image.split('/')[0] ?? '';
  const hasRegistry = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return image;
  return image.includes('/') ? `docker.io/${image}` : `docker.io/library/${image}`;
}

function withTag(image: string): string {
  return /:[^/]+$/.test(image) || image.includes('@') ? image : `${image}:latest`;
}

export class ContainerRunner {
  restartCount = 0;
  everStarted = false;
  ready = false;
  state: Loose = { waiting: { reason: 'ContainerCreating' } };
  lastState: Loose = {};
  containerId?: string;
  running?: RunningContainer;
  private stopping = false;
  private wake?: () => void;
  private readonly imageId: string;
  private readinessTimer?: NodeJS.Timeout;
  done: Promise<void> = Promise.resolve();

  constructor(private readonly host: ContainerHost, readonly spec: Loose, private readonly runtimeSpec: ContainerSpec) {
    const ref = fullImageName(withTag(String(spec.image)));
    this.imageId = `${ref.replace(/:[^/:]+$/, '')}@sha256:${createHash('sha256').update(ref).digest('hex')}`;
  }

  get name(): string {
    return String(this.spec.name);
  }

  private get fieldPath(): string {
    return `spec.containers{${this.name}}`;
  }

  start(): void {
    this.done = this.loop().catch((err) => console.error(`kubelet: container ${this.host.namespace}/${this.host.podName}/${this.name} failed: ${describeError(err)}`));
  }

  status(): Loose {
    return {
      name: this.name,
      state: this.state,
      lastState: this.lastState,
      ready: this.ready,
      restartCount: this.restartCount,
      image: withTag(String(this.spec.image)).replace(/^docker\.io\/(library\/)?/, ''),
      imageID: this.everStarted ? this.imageId : '',
      ...(this.containerId ? { containerID: this.containerId } : {}),
      started: this.state.running !== undefined,
      ...(this.runtimeSpec.volumeMounts.length ? { volumeMounts: this.runtimeSpec.volumeMounts.map((m) => ({ name: m.source.kind === 'configMap' ? m.source.name : m.source.volumeName, mountPath: m.mountPath, ...(m.readOnly ? { readOnly: true } : {}) })) } : {}),
    };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopping) return resolve();
      const timer = setTimeout(done, this.host.scale(ms));
      function done(): void { clearTimeout(timer); resolve(); }
      this.wake = done;
    });
  }

  private async pull(): Promise<boolean> {
    const image = String(this.spec.image);
    const policy = this.spec.imagePullPolicy ?? 'IfNotPresent';
    let backoff = BACKOFF_START_MS;
    for (;;) {
      if (this.stopping) return false;
      if (this.host.isKnownImage(image)) {
        if (policy === 'Always') {
          this.host.event('Normal', 'Pulling', `Pulling image "${image}"`, this.fieldPath);
          await this.sleep(400);
          this.host.event('Normal', 'Pulled', `Successfully pulled image "${image}" in 400ms (400ms including waiting). Image size: 48213367 bytes.`, this.fieldPath);
        } else {
          this.host.event('Normal', 'Pulled', `Container image "${image}" already present on machine`, this.fieldPath);
        }
        return true;
      }
      if (policy === 'Never') {
        const message = `Container image "${image}" is not present with pull policy of Never`;
        this.setWaiting('ErrImageNeverPull', message);
        this.host.event('Warning', 'ErrImageNeverPull', message, this.fieldPath);
        await this.sleep(backoff);
        continue;
      }
      const ref = fullImageName(withTag(image));
      const failure = `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
      this.host.event('Normal', 'Pulling', `Pulling image "${image}"`, this.fieldPath);
      this.host.event('Warning', 'Failed', `Failed to pull image "${image}": ${failure}`, this.fieldPath);
      this.host.event('Warning', 'Failed', 'Error: ErrImagePull', this.fieldPath);
      this.setWaiting('ErrImagePull', failure);
      await this.sleep(1000);
      if (this.stopping) return false;
      this.setWaiting('ImagePullBackOff', `Back-off pulling image "${image}": ErrImagePull: ${failure}`);
      this.host.event('Normal', 'BackOff', `Back-off pulling image "${image}"`, this.fieldPath);
      this.host.event('Warning', 'Failed', 'Error: ImagePullBackOff', this.fieldPath);
      await this.sleep(backoff);
      backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
    }
  }

  private setWaiting(reason: string, message?: string): void {
    this.state = { waiting: { reason, ...(message ? { message } : {}) } };
    this.ready = false;
    this.host.changed();
  }

  private async loop(): Promise<void> {
    let backoff = 0;
    for (;;) {
      if (!(await this.pull())) return;
      this.containerId = `containerd://${randomBytes(32).toString('hex')}`;
      const log = this.host.newLog(this.name, this.containerId);
      this.host.event('Normal', 'Created', `Created container: ${this.name}`, this.fieldPath);
      let running: RunningContainer;
      try {
        running = this.host.startInSandbox(this.runtimeSpec, log);
      } catch (err) {
        log.end();
        const message = err instanceof Error ? err.message : String(err);
        this.host.event('Warning', 'Failed', `Error: ${message}`, this.fieldPath);
        this.recordExit({ exitCode: 128, reason: 'StartError', message }, new Date(), log);
        if (!(await this.backOff(backoff))) return;
        backoff = nextBackoff(backoff);
        continue;
      }
      this.running = running;
      this.host.event('Normal', 'Started', `Started container ${this.name}`, this.fieldPath);
      // The kubelet learns a container runs at its next relist (PLEG, every second): one that has
      // exited by then is never reported running or ready, so it never counts as available.
      const seen = await Promise.race([running.exited.then(() => false), this.sleep(PLEG_RELIST_MS).then(() => true)]);
      this.everStarted = true;
      if (seen) {
        this.state = { running: { startedAt: iso(running.startedAt) } };
        this.host.changed();
        this.watchReadiness(running);
      }
      const exit = await running.exited;
      this.stopReadiness();
      this.running = undefined;
      log.end();
      this.recordExit(exit, running.startedAt, log);
      const ranMs = Date.now() - running.startedAt.getTime();
      if (ranMs > this.host.scale(2 * BACKOFF_MAX_MS)) backoff = 0;
      if (this.stopping) return;
      const restart = this.host.restartPolicy === 'Always' || (this.host.restartPolicy === 'OnFailure' && exit.exitCode !== 0);
      if (!restart) return;
      if (!(await this.backOff(backoff))) return;
      backoff = nextBackoff(backoff);
    }
  }

  private async backOff(ms: number): Promise<boolean> {
    if (ms > 0) {
      const message = `back-off ${Math.round(ms / 1000)}s restarting failed container=${this.name} pod=${this.host.podName}_${this.host.namespace}(${this.host.uid})`;
      this.state = { waiting: { reason: 'CrashLoopBackOff', message } };
      this.host.changed();
      this.host.event('Warning', 'BackOff', `Back-off restarting failed container ${this.name} in pod ${this.host.podName}_${this.host.namespace}(${this.host.uid})`, this.fieldPath);
      await this.sleep(ms);
    } else {
      // The first restart is immediate, after the kubelet notices the exit (PLEG relists every second).
      await this.sleep(1000);
    }
    if (this.stopping) return false;
    this.restartCount += 1;
    return true;
  }

  private recordExit(exit: ContainerExit, startedAt: Date, _log: ContainerLog): void {
    const terminated = {
      exitCode: exit.exitCode,
      reason: exit.reason,
      ...(exit.message ? { message: exit.message } : {}),
      ...(exit.signal ? { signal: signalNumber(exit.signal) } : {}),
      startedAt: iso(startedAt),
      finishedAt: nowIso(),
      containerID: this.containerId,
    };
    this.state = { terminated };
    this.lastState = { terminated };
    this.ready = false;
    this.host.changed();
  }

  private watchReadiness(running: RunningContainer): void {
    const check = (): void => {
      const ready = running.isReady();
      if (ready !== this.ready) {
        this.ready = ready;
        this.host.changed();
      }
    };
    check();
    this.readinessTimer = setInterval(check, 100);
  }

  private stopReadiness(): void {
    if (this.readinessTimer) clearInterval(this.readinessTimer);
    this.readinessTimer = undefined;
  }

  /** Stops the container (SIGTERM, SIGKILL after the grace period) and any pending restart. */
  async stop(graceMs: number): Promise<void> {
    const wasRunning = this.running;
    this.stopping = true;
    this.wake?.();
    if (wasRunning) {
      this.host.event('Normal', 'Killing', `Stopping container ${this.name}`, this.fieldPath);
      await wasRunning.stop(graceMs);
    }
    this.stopReadiness();
    await this.done;
  }
}

function nextBackoff(current: number): number {
  return current === 0 ? BACKOFF_START_MS : Math.min(current * 2, BACKOFF_MAX_MS);
}

function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function signalNumber(signal: string): number {
  return ({ SIGKILL: 9, SIGTERM: 15, SIGINT: 2, SIGHUP: 1 } as Record<string, number>)[signal] ?? 0;
}

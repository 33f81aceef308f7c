// Follows container `agent` of every pod of a deployment, across container
// restarts and new pods: one streaming request per running container, resumed
// from the last timestamp seen (no duplicates, nothing lost), with a divider for
// each new pod and container start. Keeps no lines itself beyond the resume point.
import { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import * as k8s from '@kubernetes/client-node';
import type { LogLine } from '../../../shared/api';
import type { KubeSession } from '../kube/session';
import { levelOf, ResetTracker, ResumePoint, splitTimestamp } from './logLines';

/** How much of a running container's log the first attach reads (the engine's history is bounded alike). */
export const FIRST_ATTACH_LINES = 10_000;

interface PodState {
  resume: ResumePoint;
  resets: ResetTracker;
  startedAt?: string;
  restartCount?: number;
  stream?: { abort: () => void; lastDataAt: number; id: number };
  /** The ended container instance whose log was read once (a crash too quick to be seen running). */
  endedRead?: string;
  gone: boolean;
  retry?: NodeJS.Timeout;
}

export interface LogFollowerOptions {
  session: KubeSession;
  container?: string;
  emit: (lines: LogLine[]) => void;
  /** Silence after which the follower checks whether the stream missed lines. */
  stallCheckMs?: number;
  /** On first attach to a pod, how far back to read; default: from the container's start (at most FIRST_ATTACH_LINES). */
  sinceSeconds?: number;
}

export class LogFollower {
  private readonly pods = new Map<string, PodState>();
  private seq = 0;
  private streamIds = 0;
  private stopped = false;
  private readonly stallTimer: NodeJS.Timeout;
  private readonly container: string;

  constructor(private readonly o: LogFollowerOptions) {
    this.container = o.container ?? 'agent';
    this.stallTimer = setInterval(() => void this.checkStalls(), Math.max(1000, (o.stallCheckMs ?? 15_000) / 3));
    this.stallTimer.unref?.();
  }

  private line(pod: string, text: string, at: number, extra: Partial<LogLine> = {}): LogLine {
    return { seq: ++this.seq, pod, container: this.container, source: 'pod-log', at, text, ...extra };
  }

  private marker(pod: string, kind: NonNullable<LogLine['marker']>['kind'], detail: string): void {
    this.o.emit([this.line(pod, detail, Date.now(), { marker: { kind, detail } })]);
  }

  /** Called with the deployment's current pods (from the pod watch). */
  sync(pods: readonly k8s.V1Pod[]): void {
    if (this.stopped) return;
    const names = new Set<string>();
    for (const pod of pods) {
      const name = pod.metadata?.name;
      if (!name) continue;
      names.add(name);
      let st = this.pods.get(name);
      const status = pod.status?.containerStatuses?.find((c) => c.name === this.container);
      const running = status?.state?.running?.startedAt;
      if (!st) {
        if (!running && !status?.state?.terminated && !status?.lastState?.terminated) continue;
        st = { resume: new ResumePoint(), resets: new ResetTracker(), gone: false };
        this.pods.set(name, st);
        this.marker(name, 'new-pod', `pod ${name}`);
      }
      if (running) {
        const startedAt = new Date(running).toISOString();
        if (startedAt !== st.startedAt) {
          const first = st.startedAt === undefined;
          st.startedAt = startedAt;
          st.restartCount = status?.restartCount;
          this.marker(name, 'container-start', `container ${this.container} started${first ? '' : ` again (restart #${status?.restartCount ?? '?'})`} at ${startedAt}`);
          // The old container's stream ends by itself; start at once if none is open.
          if (!st.stream) this.open(name, st, first);
        } else if (!st.stream && !st.retry) {
          this.open(name, st, false);
        }
      } else {
        this.readEnded(name, st, status);
      }
    }
    for (const [name, st] of this.pods) {
      if (!names.has(name) && !st.gone) {
        st.gone = true;
        clearTimeout(st.retry);
        if (!st.stream) this.pods.delete(name);
      }
    }
  }

  private open(pod: string, st: PodState, firstAttach: boolean): void {
    if (this.stopped || st.gone) return;
    const id = ++this.streamIds;
    const decoder = new StringDecoder('utf8');
    let partial = '';
    const handle = { abort: () => undefined as void, lastDataAt: Date.now(), id };
    st.stream = handle;
    const sink = new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        handle.lastDataAt = Date.now();
        const text = partial + decoder.write(chunk);
        const parts = text.split('\n');
        partial = parts.pop() ?? '';
        this.deliver(pod, st, parts);
        cb();
      },
      final: (cb) => {
        if (partial) this.deliver(pod, st, [partial]);
        cb();
      },
    });
    const since = st.resume.sinceTime();
    const opts: k8s.LogOptions = { follow: true, timestamps: true };
    if (since) opts.sinceTime = since;
    // First attach: the instance from its start (the "Supervisor starting" line the guide asks for), bounded.
    else if (firstAttach) {
      if (this.o.sinceSeconds !== undefined) opts.sinceSeconds = this.o.sinceSeconds;
      else opts.tailLines = FIRST_ATTACH_LINES;
    }
    const ended = (why?: string): void => {
      if (st.stream?.id !== id) return;
      st.stream = undefined;
      if (this.stopped) return;
      if (st.gone) {
        this.marker(pod, 'stream-ended', `log of pod ${pod} ended (pod deleted)`);
        this.pods.delete(pod);
        return;
      }
      // Either the container stopped (the watch brings its successor) or the stream
      // closed early: try again shortly; the resume point drops repeated lines.
      st.retry = setTimeout(() => {
        st.retry = undefined;
        if (!st.stream && !st.gone) this.open(pod, st, false);
      }, why ? 2000 : 500);
    };
    sink.on('finish', () => ended());
    sink.on('error', (e) => ended(e.message));
    new k8s.Log(this.o.session.kc)
      .log(this.o.session.namespace, pod, this.container, sink, opts)
      .then((ctl) => {
        handle.abort = () => ctl.abort();
        if (st.stream?.id !== id || this.stopped) ctl.abort();
      })
      .catch((err: unknown) => ended(err instanceof Error ? err.message : String(err)));
  }

  /**
   * A container that exits before any watch sees it running (a supervisor refusing its config does, in
   * well under a second) is never streamed; its last words are what the attendee needs, so read them once
   * per ended instance: the current log while it is terminated, the previous one once it waits to restart.
   */
  private readEnded(pod: string, st: PodState, status: k8s.V1ContainerStatus | undefined): void {
    const current = status?.state?.terminated;
    const ended = current ?? (status?.state?.waiting ? status.lastState?.terminated : undefined);
    if (!ended || st.stream) return;
    const instance = ended.containerID ?? `${String(ended.startedAt)}/${String(ended.finishedAt)}/${status?.restartCount ?? 0}`;
    if (st.endedRead === instance) return;
    st.endedRead = instance;
    const previous = current === undefined;
    this.marker(pod, 'container-start', `container ${this.container} exited (exit code ${ended.exitCode}${ended.reason ? `, ${ended.reason}` : ''}); its ${previous ? 'previous ' : ''}log follows`);
    this.o.session.core
      .readNamespacedPodLog({ name: pod, namespace: this.o.session.namespace, container: this.container, timestamps: true, previous, limitBytes: 65536 })
      .then((text) => {
        if (!this.stopped) this.deliver(pod, st, String(text).split('\n'));
      })
      .catch(() => {
        // Gone or not kept (a real kubelet keeps one previous instance): the next status tries the next one.
      });
  }

  private deliver(pod: string, st: PodState, raw: string[]): void {
    const out: LogLine[] = [];
    for (const r of raw) {
      if (r === '') continue;
      const { ts, key, at, text } = splitTimestamp(r);
      if (!st.resume.accept(key, ts, text)) continue;
      const line = this.line(pod, text, at);
      const level = levelOf(text);
      if (level) line.level = level;
      const expected = st.resets.isExpected(text, at);
      if (expected !== undefined) line.expected = expected;
      out.push(line);
    }
    if (out.length > 0) this.o.emit(out);
  }

  /** A quiet stream is normal; a stream that misses lines the server has is stalled. */
  private async checkStalls(): Promise<void> {
    const now = Date.now();
    for (const [pod, st] of this.pods) {
      const s = st.stream;
      if (!s || now - s.lastDataAt < (this.o.stallCheckMs ?? 15_000)) continue;
      s.lastDataAt = now;
      try {
        const since = st.resume.sinceTime();
        const text = await this.o.session.core.readNamespacedPodLog({ name: pod, namespace: this.o.session.namespace, container: this.container, timestamps: true, limitBytes: 65536, ...(since ? { sinceTime: since } : { tailLines: 20 }) } as never);
        const missed = String(text).split('\n').filter(Boolean).some((l) => {
          const { key, text: t } = splitTimestamp(l);
          return st.resume.isNew(key, t);
        });
        if (missed && st.stream === s) {
          this.marker(pod, 'stalled', `log stream of ${pod} stalled; reconnecting`);
          st.stream = undefined;
          s.abort();
          this.open(pod, st, false);
          this.marker(pod, 'resumed', `log stream of ${pod} resumed`);
        }
      } catch {
        // The pod may be going away; the watch will tell.
      }
    }
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.stallTimer);
    for (const st of this.pods.values()) {
      clearTimeout(st.retry);
      st.stream?.abort();
    }
    this.pods.clear();
  }
}

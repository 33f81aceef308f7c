// One long-lived exec per agent pod (`sh -s opamp-lab-probe` reading the probe
// script on stdin, in container agent). Stdin stays open: ash runs the loop once it
// has read it, and closing stdin would end the exec on a v4 (pre-v5) stream.
// Reconnects with back-off when the stream ends or goes silent; stops for good
// when told to (pod gone).
import { randomBytes } from 'node:crypto';
import { PassThrough, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import * as k8s from '@kubernetes/client-node';
import { describeError } from '../../../shared/errorText';
import type { KubeSession } from '../kube/session';
import { ProbeParser, type ProbeMessage } from './probeParser';
import { PROBE_COMMAND, probeScript } from './probeScript';

export type ProbeStatus = { status: 'starting' | 'running' | 'reconnecting' | 'stopped'; error?: string };

export interface PodProbeOptions {
  session: KubeSession;
  pod: string;
  container?: string;
  onMessage: (m: ProbeMessage) => void;
  onStatus: (s: ProbeStatus) => void;
  /** Silence longer than this restarts the exec (ticks come every ~5 s). */
  stallMs?: number;
  interval?: number;
}

export class PodProbe {
  private stopped = false;
  private ws: { close(): void } | undefined;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private lastData = Date.now();

  constructor(private readonly o: PodProbeOptions) {
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const token = randomBytes(8).toString('hex');
    const parser = new ProbeParser(token, (m) => {
      if (this.attempt > 0 || m.type === 'report') {
        this.attempt = 0;
      }
      this.o.onStatus({ status: 'running' });
      this.o.onMessage(m);
    });
    const decoder = new StringDecoder('utf8');
    let stderr = '';
    const stdout = new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        this.lastData = Date.now();
        parser.feed(decoder.write(chunk));
        cb();
      },
    });
    const errStream = new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        stderr = (stderr + chunk.toString()).slice(-2000);
        cb();
      },
    });
    let ended = false;
    const end = (why: string): void => {
      if (ended) return;
      ended = true;
      this.ws = undefined;
      this.retry(why);
    };
    try {
      this.o.onStatus({ status: this.attempt === 0 ? 'starting' : 'reconnecting' });
      const script = probeScript({ token, interval: this.o.interval });
      const stdin = new PassThrough();
      stdin.write(script);
      const ws = await new k8s.Exec(this.o.session.kc).exec(this.o.session.namespace, this.o.pod, this.o.container ?? 'agent', [...PROBE_COMMAND], stdout, errStream, stdin, false, (status) => {
        const msg = status.status === 'Success' ? 'probe exited' : `probe ended: ${status.message ?? status.reason ?? 'failure'}`;
        end(stderr.trim() ? `${msg}: ${stderr.trim().split('\n').slice(-2).join(' ')}` : msg);
      });
      if (this.stopped) {
        ws.close();
        return;
      }
      this.ws = ws;
      this.lastData = Date.now();
      ws.on('close', () => end(stderr.trim() ? `probe stream closed: ${stderr.trim().split('\n').pop()}` : 'probe stream closed'));
      ws.on('error', (e: Error) => end(`probe stream error: ${e.message}`));
      this.armWatchdog(ws);
    } catch (err) {
      end(`probe exec failed: ${describeError(err)}`);
    }
  }

  private armWatchdog(ws: { close(): void }): void {
    clearInterval(this.watchdog);
    // Ticks come every 20 loops; a busy pod (or node) stretches loops, so allow four tick periods.
    const stallMs = this.o.stallMs ?? Math.max(20_000, (this.o.interval ?? 0.25) * 20 * 4000);
    this.watchdog = setInterval(() => {
      if (Date.now() - this.lastData > stallMs && this.ws === ws) {
        ws.close();
      }
    }, Math.min(stallMs, 5000));
    this.watchdog.unref?.();
  }

  private retry(why: string): void {
    clearInterval(this.watchdog);
    if (this.stopped) return;
    this.attempt += 1;
    const delay = Math.min(10_000, 250 * 2 ** Math.min(this.attempt, 6));
    this.o.onStatus({ status: 'reconnecting', error: why });
    this.timer = setTimeout(() => void this.connect(), delay);
  }

  /** Reconnect now (e.g. the container restarted). */
  kick(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.attempt = 0;
    if (this.ws) this.ws.close();
    else void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.watchdog);
    this.ws?.close();
    this.o.onStatus({ status: 'stopped' });
  }
}

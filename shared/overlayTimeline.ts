// The round trip of one overlay, as first-seen times: saved → sent with its hash → received by the
// supervisor → effective.yaml written → collector restarted (new PID) → APPLIED/FAILED → test span seen.
// Pure: it advances a timeline from one pod's observations; the engine keeps one per pod and the
// dashboard draws it, `push-overlay` prints it. A step's time is the fact's own time when the pod says
// it (mtime, process start), else when the app first saw it.
import type { PodObservations } from './observations';
import { executableName } from './procfs';

export type TimelineStepId = 'saved' | 'sent' | 'received' | 'written' | 'restarted' | 'verdict' | 'span';
export type TimelineStepStatus = 'done' | 'waiting' | 'failed' | 'skipped';

export interface TimelineStep {
  id: TimelineStepId;
  label: string;
  status: TimelineStepStatus;
  at?: number;
  detail?: string;
}

export interface OverlayTimeline {
  /** The overlay's config hash, hex. */
  hash: string;
  /** Collector PID and effective.yaml hash before the overlay, to tell a restart and a rewrite. */
  before: { pid?: number; effectiveSha?: string };
  steps: TimelineStep[];
}

export const TIMELINE_LABELS: Record<TimelineStepId, string> = {
  saved: 'saved',
  sent: 'sent with hash',
  received: 'received by the supervisor',
  written: 'effective.yaml written',
  restarted: 'collector restarted',
  verdict: 'APPLIED / FAILED',
  span: 'test span seen',
};
const ORDER: TimelineStepId[] = ['saved', 'sent', 'received', 'written', 'restarted', 'verdict', 'span'];

function collectorOf(o: PodObservations) {
  return o.processes?.list.find((p) => executableName(p) === 'otelcol-contrib' || p.comm === 'otelcol-contrib');
}

export interface SpanFact { at: number; ok: boolean; detail: string }

/** Starts a new timeline when the overlay hash changes, then fills the steps the observations show. */
export function advanceTimeline(prev: OverlayTimeline | undefined, o: PodObservations, now: number, span?: SpanFact): OverlayTimeline | undefined {
  const hash = (o.overlay?.hash ?? o.server?.remoteConfig?.sentHash)?.toLowerCase();
  if (!o.overlay || !hash) return prev;
  let t = prev;
  if (!t || t.hash !== hash) {
    t = {
      hash,
      before: { pid: collectorOf(o)?.pid, effectiveSha: o.effective?.sha256 },
      steps: ORDER.map((id) => ({ id, label: TIMELINE_LABELS[id], status: 'waiting' as const })),
    };
  }
  const steps = new Map(t.steps.map((s) => [s.id, { ...s }]));
  const set = (id: TimelineStepId, status: TimelineStepStatus, at?: number, detail?: string): void => {
    const s = steps.get(id)!;
    if (s.status === 'done' || s.status === 'failed') return;
    s.status = status;
    if (at !== undefined) s.at = at;
    if (detail !== undefined) s.detail = detail;
  };
  set('saved', 'done', o.overlay.sentAt);
  const rc = o.server?.remoteConfig;
  const seen = o.server?.at ?? now;
  // The server sends the config as it saves it: its acknowledgement of the save is the send, when known.
  const sentWhen = o.overlay.ackAt ?? seen;
  if (rc?.sentHash?.toLowerCase() === hash || o.overlay.ackAt !== undefined) set('sent', 'done', sentWhen, `hash ${hash.slice(0, 12)}…`);
  const forThis = rc?.lastHash?.toLowerCase() === hash;
  // The pod's clocks: mtime has second resolution on some file systems, hence the second of slack.
  const sentAt = o.overlay.sentAt;
  const eff = o.effective;
  if (eff?.sha256 && (eff.sha256 !== t.before.effectiveSha || (eff.mtime !== undefined && eff.mtime >= sentAt - 1000))) set('written', 'done', eff.mtime !== undefined && eff.mtime >= sentAt ? eff.mtime : eff.at, `sha256 ${eff.sha256.slice(0, 12)}…`);
  if (forThis && rc) {
    if (steps.get('sent')!.status !== 'done') set('sent', 'done', sentWhen, `hash ${hash.slice(0, 12)}…`);
    // The server view is polled; the supervisor received the config before it wrote effective.yaml.
    const written = steps.get('written')!;
    set('received', 'done', written.status === 'done' && written.at !== undefined ? Math.min(seen, written.at) : seen, `RemoteConfigStatus ${rc.status}`);
  }
  const col = collectorOf(o);
  const pidText = (pid: number) => (t.before.pid !== undefined && t.before.pid !== pid ? `PID ${t.before.pid} → ${pid}` : `PID ${pid}`);
  const started = o.collectorStarted;
  if (started && started.at >= sentAt - 1000 && started.pid !== t.before.pid) {
    set('restarted', 'done', Math.max(started.at, sentAt), pidText(started.pid));
  } else if (col && (col.pid !== t.before.pid || (col.startedAt !== undefined && col.startedAt >= sentAt - 1000))) {
    // The process start from /proc (boot time + ticks) can lag the app's clock: then say when it was seen.
    set('restarted', 'done', col.startedAt !== undefined && col.startedAt >= sentAt ? col.startedAt : o.processes?.at, pidText(col.pid));
  }
  if (forThis && rc?.status === 'APPLIED') set('verdict', 'done', seen, 'APPLIED');
  if (forThis && rc?.status === 'FAILED') {
    set('verdict', 'failed', seen, `FAILED${rc.errorMessage ? `: ${rc.errorMessage}` : ''}`);
    // A YAML error stops the supervisor before it writes anything; the collector keeps running.
    if (rc.errorMessage?.startsWith('yaml: ')) { set('written', 'skipped'); set('restarted', 'skipped'); }
    set('span', 'skipped');
  }
  if (span && span.at >= o.overlay.sentAt) set('span', span.ok ? 'done' : 'failed', span.at, span.detail);
  // The save's acknowledgement may come after the agent already has the config: it was sent by then.
  const sent = steps.get('sent')!;
  const received = steps.get('received')!;
  if (sent.at !== undefined && received.at !== undefined && received.at < sent.at) sent.at = received.at;
  // The steps happen in this order; times from coarse clocks (second-resolution mtime and log stamps,
  // polled views) are read as no earlier than the step before.
  let floor = -Infinity;
  for (const id of ORDER) {
    const st = steps.get(id)!;
    if (st.at === undefined) continue;
    if (st.at < floor) st.at = floor;
    floor = st.at;
  }
  return { ...t, steps: ORDER.map((id) => steps.get(id)!) };
}

/** One line per step, times relative to the save, for the CLI. */
export function formatTimeline(t: OverlayTimeline): string[] {
  const t0 = t.steps[0]?.at ?? 0;
  return t.steps.map((s) => {
    const when = s.at !== undefined ? `+${((s.at - t0) / 1000).toFixed(1).padStart(5)} s` : '        ';
    const mark = s.status === 'done' ? '✓' : s.status === 'failed' ? '✗' : s.status === 'skipped' ? '–' : '…';
    return `${mark} ${when}  ${s.label}${s.detail ? `  (${s.detail})` : ''}`;
  });
}

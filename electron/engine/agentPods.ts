// Per agent pod: its observations, effective.yaml versions and criteria. Fed by
// the pod watch, the exec probe, the log follower and the server view; turns
// them into AgentPodState with the pure evaluator. Resets on a new container.
import type * as k8s from '@kubernetes/client-node';
import { linedYamlDocument } from '../../shared/yamlSafe';
import type { LogLine } from '../../shared/api';
import { evaluateCriteria } from '../../shared/criteria';
import { matchServerAgent, type OverlayFact, type PodObservations } from '../../shared/observations';
import { withStartTimes } from '../../shared/procfs';
import { lineOrigins } from '../../shared/provenance';
import { advanceTimeline, type OverlayTimeline, type SpanFact } from '../../shared/overlayTimeline';
import type { AgentPodState, CriterionResult, EffectiveConfigVersion, TelemetryCheckResult } from '../../shared/state';
import type { ProbeMessage } from './probe/probeParser';
import type { ProbeStatus } from './probe/podProbe';
import type { ServerAgentRecord } from './server/serverView';
import { byteOrder } from '../../shared/byteOrder';

const MAX_VERSIONS = 8;
const CONNECTED = /Connected to the server\./;
const AGENT_STARTED = /"msg":"Agent process started"/;
const CONNECT_FAILED = /bad handshake|Failed to connect|connection refused|first record does not look like a TLS handshake|no such host/i;

export interface AgentPodEntry {
  obs: PodObservations;
  criteria: CriterionResult[];
  versions: EffectiveConfigVersion[];
  probe: AgentPodState['probe'];
  instanceUid?: string;
  agentLogPartial: string;
  /** The agent.log byte offset the next chunk should start at (to see skipped bytes). */
  agentLogNext?: number;
  startKey?: string;
  timeline?: OverlayTimeline;
  /** The telemetry proof's last result for this pod (the test span in agent.log). */
  span?: SpanFact;
  telemetry?: TelemetryCheckResult;
}

export class AgentPods {
  readonly entries = new Map<string, AgentPodEntry>();
  base?: string;

  /** Applies the pod object from the watch; true when its agent container (re)started. */
  updatePod(pod: k8s.V1Pod): boolean {
    const name = pod.metadata?.name ?? '';
    let e = this.entries.get(name);
    if (!e) {
      e = { obs: { pod: name, containerRunning: false }, criteria: [], versions: [], probe: { status: 'starting' }, agentLogPartial: '' };
      this.entries.set(name, e);
    }
    const cs = pod.status?.containerStatuses?.find((c) => c.name === 'agent');
    const running = cs?.state?.running?.startedAt;
    const startKey = running ? new Date(running).toISOString() : undefined;
    const restarted = startKey !== undefined && startKey !== e.startKey;
    if (restarted) {
      const overlay = e.obs.overlay;
      e.startKey = startKey;
      e.obs = { pod: name, containerRunning: true, containerStartedAt: Date.parse(startKey), ...(overlay ? { overlay } : {}) };
      e.criteria = [];
      delete e.instanceUid;
    }
    e.obs.containerRunning = Boolean(running) && !pod.metadata?.deletionTimestamp;
    const reason = cs?.state?.waiting?.reason ?? cs?.state?.terminated?.reason ?? (pod.metadata?.deletionTimestamp ? 'Terminating' : undefined);
    if (reason && !e.obs.containerRunning) e.obs.containerReason = reason;
    else delete e.obs.containerReason;
    return restarted;
  }

  remove(name: string): void {
    this.entries.delete(name);
  }

  onProbe(name: string, m: ProbeMessage, emitLogs: (lines: LogLine[]) => void, nextSeq: () => number): void {
    const e = this.entries.get(name);
    if (!e) return;
    const now = Date.now();
    e.probe = { ...e.probe, status: 'running', lastReportAt: now };
    delete e.obs.probeError;
    if (m.type === 'report') {
      e.obs.processes = { at: now, list: withStartTimes(m.processes, e.obs.containerStartedAt) };
      const prev = e.obs.effective;
      const sha = m.content?.sha256 ?? m.file.sha256;
      const content = m.content?.text ?? (prev?.sha256 === sha ? prev?.content : undefined);
      e.obs.effective = { at: now, exists: m.file.exists, ...(m.file.size !== undefined ? { size: m.file.size } : {}), ...(m.file.mtime !== undefined ? { mtime: m.file.mtime } : {}), ...(sha ? { sha256: sha } : {}), ...(content !== undefined ? { content } : {}) };
      if (m.content) {
        this.addVersion(e, { sha256: m.content.sha256, size: m.file.size ?? m.content.text.length, mtime: m.file.mtime ?? now, seenAt: now, content: m.content.text, origins: [] });
        e.instanceUid = instanceUidOf(m.content.text) ?? e.instanceUid;
      }
    } else if (m.type === 'agent-log') {
      const notes: LogLine[] = [];
      let chunk = m.text;
      const expected = e.agentLogNext ?? 0;
      if (m.offset !== expected) {
        // The probe skipped bytes (a flood larger than one read) or the file started over:
        // the partial line held is not continued by this chunk, and a chunk that starts
        // mid-file starts mid-line. Show whole lines only, and say what was left out.
        e.agentLogPartial = '';
        if (m.offset > expected) {
          const nl = chunk.indexOf('\n');
          chunk = nl >= 0 ? chunk.slice(nl + 1) : '';
          notes.push({ seq: nextSeq(), pod: name, container: 'agent', source: 'agent.log', at: now, text: `[${m.offset - expected} bytes of /storage/agent.log skipped: more than one read of the probe; kubectl exec … cat /storage/agent.log has them]` });
        }
      }
      e.agentLogNext = m.offset + Buffer.byteLength(m.text);
      const text = e.agentLogPartial + chunk;
      const parts = text.split('\n');
      e.agentLogPartial = (parts.pop() ?? '').slice(-65536);
      const read: LogLine[] = parts.filter((p) => p !== '').map((p) => ({ seq: nextSeq(), pod: name, container: 'agent' as const, source: 'agent.log' as const, at: now, text: p, ...levelField(p) }));
      for (const l of read) {
        // The collector's startup refusal and readiness, for the criteria (they cite agent.log).
        if (l.text.startsWith('Error: ')) e.obs.collectorError = { at: now, text: l.text };
        else if (l.text.includes('Everything is ready. Begin running and processing data.')) e.obs.collectorReady = { at: now, text: l.text };
      }
      const lines: LogLine[] = [...notes, ...read];
      if (lines.length > 0) emitLogs(lines);
    }
  }

  private addVersion(e: AgentPodEntry, v: EffectiveConfigVersion): void {
    if (e.versions[e.versions.length - 1]?.sha256 === v.sha256) return;
    v.origins = lineOrigins(v.content, { base: this.base, overlay: e.obs.overlay?.text });
    e.versions = [...e.versions, v].slice(-MAX_VERSIONS);
  }

  /** Recomputes provenance when the overlay becomes known after the file was read. */
  private refreshOrigins(e: AgentPodEntry): void {
    const last = e.versions[e.versions.length - 1];
    if (!last) return;
    const origins = lineOrigins(last.content, { base: this.base, overlay: e.obs.overlay?.text });
    if (origins.join() !== last.origins.join()) e.versions = [...e.versions.slice(0, -1), { ...last, origins }];
  }

  onProbeStatus(name: string, s: ProbeStatus): void {
    const e = this.entries.get(name);
    if (!e) return;
    e.probe = { ...e.probe, status: s.status, ...(s.error ? { error: s.error } : {}) };
    if (!s.error) delete e.probe.error;
    if (s.error) e.obs.probeError = s.error;
  }

  onLogLines(lines: readonly LogLine[]): void {
    for (const l of lines) {
      if (l.marker || l.source !== 'pod-log') continue;
      const e = this.entries.get(l.pod);
      if (!e || (e.obs.containerStartedAt !== undefined && l.at < e.obs.containerStartedAt - 2000)) continue;
      if (CONNECTED.test(l.text)) e.obs.connectedLog = { at: l.at, text: l.text };
      else if (CONNECT_FAILED.test(l.text) && !l.expected) e.obs.connectFailureLog = { at: l.at, text: l.text };
      else if (AGENT_STARTED.test(l.text)) {
        // The supervisor's own line for each collector start: a start the probe may not catch (a crash loop).
        const pid = Number(/"pid":(\d+)/.exec(l.text)?.[1] ?? NaN);
        if (Number.isFinite(pid)) e.obs.collectorStarted = { at: l.at, pid };
      }
    }
  }

  /** Matches server agents to pods; the overlay a pod should show is the one its server record keeps, else `pushed`. */
  onServer(agents: readonly ServerAgentRecord[] | undefined, source: string, pushed: OverlayFact | undefined, keyPathsOf: (text: string) => OverlayFact['keyPaths']): void {
    const now = Date.now();
    for (const [name, e] of this.entries) {
      e.obs.serverReachable = agents !== undefined;
      const match = agents ? matchServerAgent(name, e.instanceUid, agents) : undefined;
      if (match) {
        const { overlayText, ...view } = match;
        e.obs.server = { ...view, at: now, source };
        let overlay: OverlayFact | undefined = pushed;
        if (overlayText && overlayText !== pushed?.text) {
          overlay = e.obs.overlay?.text === overlayText ? e.obs.overlay : { text: overlayText, keyPaths: keyPathsOf(overlayText), sentAt: now, ...(view.remoteConfig?.sentHash ? { hash: view.remoteConfig.sentHash } : {}) };
        }
        this.setOverlay(e, overlay);
      } else {
        delete e.obs.server;
        this.setOverlay(e, pushed);
      }
    }
  }

  private setOverlay(e: AgentPodEntry, overlay: OverlayFact | undefined): void {
    if (e.obs.overlay?.text === overlay?.text && e.obs.overlay?.sentAt === overlay?.sentAt) return;
    if (overlay) e.obs.overlay = overlay;
    else delete e.obs.overlay;
    this.refreshOrigins(e);
  }

  /** Records the telemetry proof's result (the timeline's "span seen" step comes from it). */
  setTelemetry(pod: string, r: TelemetryCheckResult): void {
    const e = this.entries.get(pod);
    if (!e) return;
    e.telemetry = r;
    if (r.status !== 'running') e.span = { at: Date.now(), ok: r.status === 'pass', detail: r.status === 'pass' ? `trace ${r.traceId?.slice(0, 12) ?? ''}…` : r.hint ?? 'not seen' };
  }

  evaluate(now: number): AgentPodState[] {
    const out: AgentPodState[] = [];
    for (const [name, e] of [...this.entries].sort(([a], [b]) => byteOrder(a, b))) {
      e.criteria = evaluateCriteria(e.obs, now, e.criteria);
      e.timeline = advanceTimeline(e.timeline, e.obs, now, e.span);
      const state: AgentPodState = { pod: name, criteria: e.criteria, processes: e.obs.processes?.list ?? [], effectiveConfig: e.versions, probe: e.probe };
      if (e.timeline) state.overlayTimeline = e.timeline;
      if (e.telemetry) state.telemetry = e.telemetry;
      if (e.obs.server) {
        const { at: _at, source: _source, ...view } = e.obs.server;
        state.server = view;
      }
      out.push(state);
    }
    return out;
  }
}

function levelField(text: string): Pick<LogLine, 'level'> {
  const m = /"level":"(\w+)"/.exec(text);
  const l = m?.[1]?.toLowerCase();
  if (l === 'debug' || l === 'info' || l === 'error') return { level: l };
  if (l === 'warn' || l === 'warning') return { level: 'warn' };
  return {};
}

export function instanceUidOf(effective: string): string | undefined {
  try {
    const v = linedYamlDocument(effective).doc.getIn(['extensions', 'opamp', 'instance_uid']);
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

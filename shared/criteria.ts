// The six success criteria of the lab, evaluated from observations. Pure: the
// same observations and `now` always give the same result. A criterion only
// fails after a grace period from the container start, because every one of
// them is legitimately pending for a few seconds after a (re)start.
import { tryParseYaml } from './yamlSafe';
import { executableName, formatProcessLine } from './procfs';
import { keyLines } from './provenance';
import type { PodObservations } from './observations';
import { formatKeyPath, getPath, isPlainObject } from './overlay';
import { formatIssue, validateCollectorConfig, type ConfigVerdict } from './collectorConfig/validate';
export { allPass } from './state';
import { CRITERION_IDS, type CriterionId, type CriterionResult, type CriterionStatus, type Evidence } from './state';

export const CRITERION_TITLES: Record<CriterionId, string> = {
  'supervisor-pid1': 'Supervisor runs as PID 1',
  'collector-child': 'Collector spawned as a child process',
  'opamp-connected': 'WebSocket connection to the server established',
  'effective-config': 'effective.yaml generated',
  'remote-config-applied': 'Remote config from the UI applied',
  'overlay-visible': 'Changes visible in effective.yaml',
};

/** How long after a container start a missing fact still counts as "not yet". */
export const GRACE_MS = { process: 20_000, connect: 30_000, file: 30_000, apply: 20_000 } as const;

type Verdict = { status: CriterionStatus; evidence: Evidence[]; hint?: string };

const since = (o: PodObservations): number => o.containerStartedAt ?? 0;
const overdue = (o: PodObservations, now: number, ms: number): boolean => o.containerStartedAt !== undefined && now - o.containerStartedAt > ms;

/** effective.yaml as plain values (memoised per content: two criteria read it on every evaluation; neither changes it). */
let lastParsed: { content: string; parsed: ReturnType<typeof tryParseYaml> } | undefined;
function parsedEffective(content: string): ReturnType<typeof tryParseYaml> {
  if (lastParsed?.content !== content) lastParsed = { content, parsed: tryParseYaml(content) };
  return lastParsed.parsed;
}

/** The one validator's verdict on the effective.yaml the collector loads (memoised per content). */
let lastVerdict: { content: string; verdict: ConfigVerdict } | undefined;
export function effectiveVerdict(o: PodObservations): ConfigVerdict | undefined {
  const content = o.effective?.content;
  if (content === undefined) return undefined;
  if (lastVerdict?.content !== content) lastVerdict = { content, verdict: validateCollectorConfig(content) };
  return lastVerdict.verdict;
}

/** Evidence and hint when otelcol-contrib refuses effective.yaml: its own error and the fix. */
function refusal(o: PodObservations): { evidence: Evidence[]; hint: string } | undefined {
  const v = effectiveVerdict(o);
  if (!v || v.ok) return undefined;
  const issue = v.issues[0]!;
  const evidence: Evidence[] = [];
  if (o.collectorError) evidence.push({ kind: 'log', text: o.collectorError.text, source: '/storage/agent.log', at: o.collectorError.at });
  evidence.push({ kind: 'file', text: formatIssue(issue), source: '/storage/effective.yaml', at: o.effective?.at });
  const fix = issue.fix ?? (issue.suggestion ? `use "${issue.suggestion}"` : 'fix it');
  return { evidence, hint: `otelcol-contrib refuses effective.yaml and exits at startup (the supervisor restarts it every 5 s): ${issue.message.split('\n')[0]}. Fix the overlay: ${fix}, then send it again.` };
}

function notRunning(o: PodObservations): Verdict | undefined {
  if (o.containerRunning) return undefined;
  const reason = o.containerReason ? ` (${o.containerReason})` : '';
  return { status: 'pending', evidence: [{ kind: 'note', text: `container agent is not running${reason}` }], hint: o.containerReason ? 'See the pod events and the previous container log.' : undefined };
}

function supervisorPid1(o: PodObservations, now: number): Verdict {
  if (!o.processes) return notRunning(o) ?? { status: 'pending', evidence: o.probeError ? [{ kind: 'note', text: `probe: ${o.probeError}` }] : [], hint: 'Waiting for the first process report from the pod.' };
  const p1 = o.processes.list.find((p) => p.pid === 1);
  const at = o.processes.at;
  if (p1 && executableName(p1) === 'opampsupervisor') {
    return { status: 'pass', evidence: [{ kind: 'process', text: formatProcessLine(p1), source: '/proc/1/cmdline', at }] };
  }
  const evidence: Evidence[] = p1 ? [{ kind: 'process', text: formatProcessLine(p1), source: '/proc/1/cmdline', at }] : [{ kind: 'note', text: 'no process with PID 1 is visible', at }];
  return { status: 'fail', evidence, hint: 'The image ENTRYPOINT must be ["/opampsupervisor", "--config=/supervisor.yaml"] (no shell wrapper, no `command:` override in the Deployment).' };
}

function collectorChild(o: PodObservations, now: number): Verdict {
  if (!o.processes) return notRunning(o) ?? { status: 'pending', evidence: [], hint: 'Waiting for the first process report from the pod.' };
  const at = o.processes.at;
  const col = o.processes.list.find((p) => executableName(p) === 'otelcol-contrib' || p.comm === 'otelcol-contrib');
  if (col && col.ppid === 1) return { status: 'pass', evidence: [{ kind: 'process', text: formatProcessLine(col), source: `/proc/${col.pid}/stat`, at }] };
  if (col) {
    return { status: 'fail', evidence: [{ kind: 'process', text: formatProcessLine(col), source: `/proc/${col.pid}/stat`, at }], hint: `otelcol-contrib runs, but its parent is PID ${col.ppid}, not the supervisor (PID 1).` };
  }
  const evidence: Evidence[] = [{ kind: 'note', text: `no otelcol-contrib among ${o.processes.list.length} processes`, at }];
  // The executable is fine when the collector ran and refused its config: name that, not agent.executable.
  const refused = refusal(o);
  if (refused) return { status: overdue(o, now, 5_000) ? 'fail' : 'pending', evidence: [...evidence, ...refused.evidence], hint: refused.hint };
  if (!overdue(o, now, GRACE_MS.process)) return { status: 'pending', evidence, hint: 'The supervisor starts the collector after it has composed effective.yaml.' };
  return { status: 'fail', evidence, hint: 'Set agent.executable: /otelcol-contrib in supervisor.yaml, check the binary exists in the image, and read the supervisor log and /storage/agent.log.' };
}

function opampConnected(o: PodObservations, now: number): Verdict {
  const evidence: Evidence[] = [];
  if (o.connectedLog) evidence.push({ kind: 'log', text: o.connectedLog.text, source: 'pod log', at: o.connectedLog.at });
  if (o.server?.connected) evidence.push({ kind: 'server', text: `server lists agent ${o.server.instanceUid} as connected`, source: o.server.source, at: o.server.at });
  if (evidence.length > 0) return { status: 'pass', evidence };
  const down = notRunning(o);
  if (down) return down;
  if (o.connectFailureLog) evidence.push({ kind: 'log', text: o.connectFailureLog.text, source: 'pod log', at: o.connectFailureLog.at });
  if (o.server && !o.server.connected) evidence.push({ kind: 'server', text: `server lists agent ${o.server.instanceUid} as disconnected`, source: o.server.source, at: o.server.at });
  const hint = 'Check server.endpoint in supervisor.yaml: wss://opamp-server.opamp.svc.cluster.local:4320/v1/opamp with tls.insecure_skip_verify: true (4320 is WebSocket, path /v1/opamp, wss because the server uses TLS).';
  if (o.connectFailureLog && overdue(o, now, 10_000)) return { status: 'fail', evidence, hint };
  return { status: overdue(o, now, GRACE_MS.connect) ? 'fail' : 'pending', evidence, hint };
}

function effectiveConfig(o: PodObservations, now: number): Verdict {
  const f = o.effective;
  if (f?.exists && (f.size ?? 0) > 0) {
    const head = `-rw-r--r-- ${f.size} bytes  /storage/effective.yaml${f.sha256 ? `  sha256 ${f.sha256.slice(0, 12)}…` : ''}`;
    if (f.content === undefined) return { status: 'pending', evidence: [{ kind: 'file', text: head, source: 'stat', at: f.at }], hint: 'Reading the file…' };
    const parsed = parsedEffective(f.content);
    if (!parsed.ok) {
      return { status: 'fail', evidence: [{ kind: 'file', text: head, source: 'stat', at: f.at }, { kind: 'note', text: parsed.error }], hint: 'effective.yaml does not parse as YAML.' };
    }
    const top = isPlainObject(parsed.value) ? Object.keys(parsed.value).join(', ') : '';
    return { status: 'pass', evidence: [{ kind: 'file', text: head, source: 'stat', at: f.at }, ...(top ? [{ kind: 'file' as const, text: `top-level keys: ${top}`, source: '/storage/effective.yaml', at: f.at }] : [])] };
  }
  const down = notRunning(o);
  if (down) return down;
  const evidence: Evidence[] = f ? [{ kind: 'file', text: f.exists ? '/storage/effective.yaml is empty' : 'ls: /storage/effective.yaml: No such file or directory', at: f.at }] : [];
  return { status: overdue(o, now, GRACE_MS.file) && f ? 'fail' : 'pending', evidence, hint: 'The supervisor writes effective.yaml into storage.directory (/storage, an emptyDir) once it composed the config.' };
}

function remoteConfigApplied(o: PodObservations, now: number): Verdict {
  const rc = o.server?.remoteConfig;
  const sent = rc?.sentHash ?? o.overlay?.hash;
  if (!o.server) {
    return { status: 'pending', evidence: [], hint: o.serverReachable === false ? 'The server UI (4321) is not reachable through the port-forward.' : 'Waiting for the server to list this agent.' };
  }
  const source = o.server.source;
  if (!rc || rc.status === 'UNSET') {
    return { status: 'pending', evidence: rc ? [{ kind: 'server', text: `RemoteConfigStatus ${rc.status}`, source, at: o.server.at }] : [], hint: 'Push an overlay: paste it in the server UI (Additional Configuration) and Save and Send to Agent.' };
  }
  const hashText = rc.lastHash ? ` for hash ${rc.lastHash.slice(0, 12)}…` : '';
  // What the agent runs (its report) and what the server has (its overlay) are reported apart.
  const evidence: Evidence[] = [{ kind: 'server', text: `agent reports RemoteConfigStatus ${rc.status}${hashText}${rc.errorMessage ? `: ${rc.errorMessage}` : ''}`, source, at: o.server.at }];
  if (!sent && !o.overlay) evidence.push({ kind: 'note', text: 'the server keeps no overlay for this agent (restarted without its saved overlays?); it will not send one again' });
  if (rc.status === 'FAILED') {
    if (o.server.lastError) evidence.push({ kind: 'server', text: `health: ${o.server.lastError}`, source, at: o.server.at });
    const refused = refusal(o);
    if (refused) return { status: 'fail', evidence: [...evidence, ...refused.evidence], hint: refused.hint };
    const yamlErr = rc.errorMessage && /^yaml: /.test(rc.errorMessage);
    return {
      status: 'fail', evidence,
      hint: yamlErr
        ? `The supervisor could not merge the overlay (${rc.errorMessage}); the collector keeps running the previous config. Fix the YAML and send it again.`
        : 'The supervisor rejected the overlay; the collector error is in /storage/agent.log. Fix the overlay and send it again.',
    };
  }
  const hashMatches = !sent || !rc.lastHash || rc.lastHash.toLowerCase() === sent.toLowerCase();
  if (rc.status === 'APPLIED' && hashMatches) return { status: 'pass', evidence };
  if (rc.status === 'APPLIED') evidence.push({ kind: 'note', text: `the server last sent ${sent?.slice(0, 12)}…; the agent has not reported it yet` });
  const sentAt = o.overlay?.sentAt ?? since(o);
  return { status: now - Math.max(sentAt, since(o)) > GRACE_MS.apply ? 'fail' : 'pending', evidence, hint: 'The supervisor reports APPLYING, then APPLIED about 5 s later once the collector is healthy.' };
}

/** Whether otelcol-contrib runs the current effective.yaml: started after it was written, and healthy. */
function collectorRunsEffective(o: PodObservations): { ok: true; evidence: Evidence } | { ok: false; text: string; hint?: string; evidence?: Evidence[] } {
  const refused = refusal(o);
  if (refused) return { ok: false, text: 'otelcol-contrib refuses this effective.yaml', hint: refused.hint, evidence: refused.evidence };
  const col = o.processes?.list.find((p) => executableName(p) === 'otelcol-contrib' || p.comm === 'otelcol-contrib');
  if (!col) return { ok: false, text: 'otelcol-contrib is not running' };
  const mtime = o.effective?.mtime;
  // mtime has second resolution on some file systems; the process start is finer.
  if (mtime !== undefined && col.startedAt !== undefined && col.startedAt + 1000 < mtime) {
    return { ok: false, text: `otelcol-contrib (PID ${col.pid}) started before effective.yaml was last written; it does not run this version yet` };
  }
  if (o.server?.healthy === false) return { ok: false, text: `the agent reports unhealthy${o.server.lastError ? `: ${o.server.lastError}` : ''}` };
  const started = col.startedAt !== undefined ? ` since ${new Date(col.startedAt).toISOString().slice(11, 19)}` : '';
  return { ok: true, evidence: { kind: 'process', text: `otelcol-contrib PID ${col.pid} runs it${started}${o.server?.healthy ? ', healthy' : ''}`, source: `/proc/${col.pid}/stat`, at: o.processes?.at } };
}

function overlayVisible(o: PodObservations, now: number): Verdict {
  const ov = o.overlay;
  if (!ov) {
    const rc = o.server?.remoteConfig;
    if (rc?.lastHash && rc.status !== 'UNSET') {
      return { status: 'pending', evidence: [{ kind: 'server', text: `agent reports remote config ${rc.lastHash.slice(0, 12)}… ${rc.status}`, source: o.server?.source, at: o.server?.at }, { kind: 'note', text: 'the server has no overlay text for it, so its lines cannot be looked for' }], hint: 'The agent runs a remote config the server no longer has; send the overlay again from the server UI (or the Overlay tab) to check it.' };
    }
    return { status: 'pending', evidence: [], hint: 'No overlay sent yet.' };
  }
  const content = o.effective?.content;
  if (content === undefined) return { status: 'pending', evidence: [], hint: 'Waiting for /storage/effective.yaml.' };
  const parsed = parsedEffective(content);
  const value = parsed.ok ? parsed.value : undefined;
  const missing = ov.keyPaths.filter((p) => !getPath(value, p).found);
  const shown = ov.keyPaths.filter((p) => getPath(value, p).found).slice(0, 6);
  const lines = keyLines(content, shown);
  const evidence: Evidence[] = shown.map((p, i) => ({ kind: 'file' as const, text: `${lines[i] ?? '?'}: ${formatKeyPath(p)}`, source: '/storage/effective.yaml', at: o.effective?.at }));
  const waitFrom = Math.max(ov.sentAt, since(o));
  if (ov.keyPaths.length === 0) return { status: 'fail', evidence: [{ kind: 'note', text: 'the overlay is empty: it adds nothing to effective.yaml' }], hint: 'Send an overlay that sets something, such as the guide\'s attributes/test_opamp.' };
  if (missing.length === 0) {
    const runs = collectorRunsEffective(o);
    if (runs.ok) return { status: 'pass', evidence: [...evidence, runs.evidence] };
    evidence.push({ kind: 'note', text: `in effective.yaml, but ${runs.text}` }, ...(runs.evidence ?? []));
    const refusedNow = runs.hint !== undefined;
    return { status: refusedNow || now - waitFrom > GRACE_MS.apply ? 'fail' : 'pending', evidence, hint: runs.hint ?? 'The supervisor restarts the collector after writing effective.yaml; wait for the new process.' };
  }
  evidence.push({ kind: 'note', text: `missing: ${missing.map(formatKeyPath).join(', ')}` });
  const rc = o.server?.remoteConfig;
  const mergeFailed = rc?.status === 'FAILED' && rc.errorMessage && /^yaml: /.test(rc.errorMessage);
  if (mergeFailed) return { status: 'fail', evidence, hint: `The supervisor could not merge the overlay (${rc.errorMessage}), so effective.yaml still holds the previous config.` };
  return { status: now - waitFrom > GRACE_MS.apply ? 'fail' : 'pending', evidence, hint: 'The supervisor merges the overlay last; if it never appears, check the RemoteConfigStatus and the supervisor log.' };
}

const RULES: Record<CriterionId, (o: PodObservations, now: number) => Verdict> = {
  'supervisor-pid1': supervisorPid1,
  'collector-child': collectorChild,
  'opamp-connected': opampConnected,
  'effective-config': effectiveConfig,
  'remote-config-applied': remoteConfigApplied,
  'overlay-visible': overlayVisible,
};

/**
 * Evaluates the six criteria. `previous` keeps `since` stable while a status holds;
 * pass it only for the same container start (a restart starts over).
 */
export function evaluateCriteria(o: PodObservations, now: number, previous?: readonly CriterionResult[]): CriterionResult[] {
  return CRITERION_IDS.map((id) => {
    const v = RULES[id](o, now);
    const prev = previous?.find((p) => p.id === id);
    const keep = prev && prev.status === v.status && prev.since >= since(o);
    const result: CriterionResult = { id, title: CRITERION_TITLES[id], status: v.status, since: keep ? prev.since : now, evidence: v.evidence };
    if (v.hint && v.status !== 'pass') result.hint = v.hint;
    return result;
  });
}

export function pendingCriteria(): CriterionResult[] {
  return CRITERION_IDS.map((id) => ({ id, title: CRITERION_TITLES[id], status: 'pending', since: 0, evidence: [] }));
}

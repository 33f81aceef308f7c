// The six success criteria of the lab, evaluated from observations. Pure: the
// same observations and `now` always give the same result. A criterion only
// fails after a grace period from the container start, because every one of
// them is legitimately pending for a few seconds after a (re)start.
import { tryParseYaml } from './yamlSafe';
import { executableName, formatProcessLine } from './procfs';
import { keyLine } from './provenance';
import type { PodObservations } from './observations';
import { formatKeyPath, getPath, isPlainObject } from './overlay';
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
    const parsed = tryParseYaml(f.content);
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
  if (!rc || rc.status === 'UNSET' || (!sent && !o.overlay)) {
    return { status: 'pending', evidence: rc ? [{ kind: 'server', text: `RemoteConfigStatus ${rc.status}`, source, at: o.server.at }] : [], hint: 'Push an overlay: paste it in the server UI (Additional Configuration) and Save and Send to Agent.' };
  }
  const hashText = rc.lastHash ? ` for hash ${rc.lastHash.slice(0, 12)}…` : '';
  const evidence: Evidence[] = [{ kind: 'server', text: `RemoteConfigStatus ${rc.status}${hashText}${rc.errorMessage ? `: ${rc.errorMessage}` : ''}`, source, at: o.server.at }];
  if (rc.status === 'FAILED') return { status: 'fail', evidence, hint: 'The supervisor rejected the overlay; fix the YAML (see the error) and send it again.' };
  const hashMatches = !sent || !rc.lastHash || rc.lastHash.toLowerCase() === sent.toLowerCase();
  if (rc.status === 'APPLIED' && hashMatches) return { status: 'pass', evidence };
  if (rc.status === 'APPLIED') evidence.push({ kind: 'note', text: `the server last sent ${sent?.slice(0, 12)}…; the agent has not reported it yet` });
  const sentAt = o.overlay?.sentAt ?? since(o);
  return { status: now - Math.max(sentAt, since(o)) > GRACE_MS.apply ? 'fail' : 'pending', evidence, hint: 'The supervisor reports APPLYING, then APPLIED about 5 s later once the collector is healthy.' };
}

function overlayVisible(o: PodObservations, now: number): Verdict {
  const ov = o.overlay;
  if (!ov) return { status: 'pending', evidence: [], hint: 'No overlay sent yet.' };
  const content = o.effective?.content;
  if (content === undefined) return { status: 'pending', evidence: [], hint: 'Waiting for /storage/effective.yaml.' };
  const parsed = tryParseYaml(content);
  const value = parsed.ok ? parsed.value : undefined;
  const missing = ov.keyPaths.filter((p) => !getPath(value, p).found);
  const evidence: Evidence[] = ov.keyPaths
    .filter((p) => getPath(value, p).found)
    .slice(0, 6)
    .map((p) => {
      const line = keyLine(content, p);
      return { kind: 'file' as const, text: `${line ?? '?'}: ${formatKeyPath(p)}`, source: '/storage/effective.yaml', at: o.effective?.at };
    });
  if (missing.length === 0 && ov.keyPaths.length > 0) return { status: 'pass', evidence };
  evidence.push({ kind: 'note', text: `missing: ${missing.map(formatKeyPath).join(', ')}` });
  const waitFrom = Math.max(ov.sentAt, since(o));
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

export function allPass(criteria: readonly CriterionResult[]): boolean {
  return criteria.length === CRITERION_IDS.length && criteria.every((c) => c.status === 'pass');
}

export function pendingCriteria(): CriterionResult[] {
  return CRITERION_IDS.map((id) => ({ id, title: CRITERION_TITLES[id], status: 'pending', since: 0, evidence: [] }));
}

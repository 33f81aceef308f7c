// Rules that read the supervisor's own output and its config file.
import type { Diagnosis, Evidence } from '../state';
import type { DoctorInput, DoctorLogLine } from './input';
import { effectivePort, readSupervisorFacts, type SupervisorFacts } from './endpoint';

const OPAMP_PATH = '/v1/opamp';

export function logEvidence(l: DoctorLogLine): Evidence {
  const source = `${l.pod ? `${l.pod} ` : ''}${l.previous ? 'previous container log' : 'pod log'}${l.stream === 'stderr' ? ' (stderr)' : ''}`;
  return { kind: 'log', text: l.text.length > 400 ? `${l.text.slice(0, 400)}…` : l.text, source, ...(l.at !== undefined ? { at: l.at } : {}) };
}

/** Latest line matching, newest first. */
export function lastMatch(logs: readonly DoctorLogLine[], re: RegExp): { line: DoctorLogLine; m: RegExpExecArray } | undefined {
  for (let i = logs.length - 1; i >= 0; i--) {
    const line = logs[i];
    if (!line) continue;
    const m = re.exec(line.text);
    if (m) return { line, m };
  }
  return undefined;
}

export function facts(input: DoctorInput): SupervisorFacts | undefined {
  return input.supervisorYaml !== undefined ? readSupervisorFacts(input.supervisorYaml) : undefined;
}

export function invalidKeys(input: DoctorInput): Diagnosis[] {
  const hit = lastMatch(input.logs, /'([^']*)' has invalid keys: ([^"\\\n]+)/);
  if (!hit) return [];
  const section = hit.m[1] ?? '';
  const keys = (hit.m[2] ?? '').trim();
  const where = section === '' || section.includes('.') ? 'at the top level' : `under \`${section}:\``;
  return [
    {
      id: 'supervisor-invalid-keys',
      severity: 'error',
      title: `Supervisor rejects its config: unknown key ${keys} ${where}`,
      cause: `The supervisor decodes supervisor.yaml strictly and exits at startup on any key it does not know. It found ${keys} ${where}.`,
      fix: `Remove ${keys} from supervisor.yaml (the only top-level sections are server, agent, capabilities, storage, telemetry, healthcheck; the collector is started through agent.executable, there is no collector: block), update the ConfigMap, then restart the rollout.`,
      evidence: [logEvidence(hit.line)],
      ...(hit.line.pod ? { pod: hit.line.pod } : {}),
    },
  ];
}

export function executableProblem(input: DoctorInput): Diagnosis[] {
  const hit =
    lastMatch(input.logs, /agent::executable must be specified/) ??
    lastMatch(input.logs, /could not stat agent::executable path[^"\n]*/) ??
    lastMatch(input.logs, /could not get bootstrap info from the Collector[^"\n]*/) ??
    lastMatch(input.logs, /Cannot start the agent|cannot start the agent: [^"\n]*/);
  const f = facts(input);
  if (!hit) {
    if (f && !f.parseError && !f.executable && f.topLevelKeys.length > 0) {
      return [
        {
          id: 'collector-not-running',
          severity: 'error',
          title: 'No collector: agent.executable is not set',
          cause: 'supervisor.yaml has no agent.executable, so the supervisor has nothing to start.',
          fix: 'Set agent.executable: /otelcol-contrib in supervisor.yaml, update the ConfigMap and restart the rollout.',
          evidence: [{ kind: 'note', text: 'agent.executable missing', source: 'supervisor.yaml' }],
        },
      ];
    }
    return [];
  }
  const text = hit.m[0];
  const exe = f?.executable;
  const missing = /must be specified/.test(text);
  return [
    {
      id: 'collector-not-running',
      severity: 'error',
      title: missing ? 'No collector: agent.executable is not set' : `No collector: the supervisor cannot start ${exe ?? 'agent.executable'}`,
      cause: missing
        ? 'supervisor.yaml has no agent.executable, so the supervisor refuses to start.'
        : `The binary named by agent.executable${exe ? ` (${exe})` : ''} does not exist in the image or does not run, so no otelcol-contrib child appears.`,
      fix: 'Point agent.executable at the collector binary in the image (/otelcol-contrib in the lab image), update the ConfigMap, restart the rollout, then check the process list for an otelcol-contrib child of PID 1.',
      evidence: [logEvidence(hit.line), ...(exe ? [{ kind: 'note' as const, text: `agent.executable: ${exe}`, source: 'supervisor.yaml' }] : [])],
      ...(hit.line.pod ? { pod: hit.line.pod } : {}),
    },
  ];
}

/** Compares the endpoint in supervisor.yaml with the Service; returns what does not match. */
export function endpointMismatches(input: DoctorInput, f: SupervisorFacts | undefined): string[] {
  const out: string[] = [];
  const e = f?.endpoint;
  if (!e) return out;
  if (e.scheme !== 'ws' && e.scheme !== 'wss') out.push(`scheme ${e.scheme}:// is not a WebSocket scheme (use wss:// for the lab server, which serves TLS)`);
  else if (e.scheme === 'ws') out.push('scheme ws:// but the OpAMP listener serves TLS: use wss:// with tls.insecure_skip_verify');
  const port = effectivePort(e);
  const ports = input.service?.ports ?? [];
  const opampPort = ports.find((p) => p.name === 'opamp')?.port ?? 4320;
  if (ports.length > 0 && !ports.some((p) => p.port === port)) out.push(`port ${port} is not a port of Service ${input.service?.name ?? 'opamp-server'} (${ports.map((p) => p.port).join(', ')}); OpAMP is on ${opampPort}`);
  else if (port !== opampPort) {
    const named = ports.find((p) => p.port === port)?.name;
    out.push(`port ${port}${named ? ` is the Service's ${named} port` : ''}, not the OpAMP port ${opampPort}`);
  }
  if (e.path !== OPAMP_PATH) out.push(`path ${e.path} instead of ${OPAMP_PATH}`);
  return out;
}

export function badHandshake(input: DoctorInput): Diagnosis[] {
  const hit =
    lastMatch(input.logs, /websocket: bad handshake/) ??
    lastMatch(input.logs, /tls: first record does not look like a TLS handshake/) ??
    lastMatch(input.logs, /x509: certificate signed by unknown authority/);
  if (!hit) return [];
  const f = facts(input);
  const mismatches = endpointMismatches(input, f);
  if (/x509/.test(hit.m[0]) && f && !f.insecureSkipVerify) mismatches.push('tls.insecure_skip_verify is not set and the lab server uses a demo certificate');
  if (/first record/.test(hit.m[0]) && f?.endpoint?.scheme === 'wss') mismatches.push('wss:// reached a listener that does not speak TLS');
  const status = lastMatch(input.logs, /Server responded with status=[^"\n]*/);
  const evidence = [logEvidence(hit.line), ...(status ? [logEvidence(status.line)] : [])];
  if (f?.endpoint) evidence.push({ kind: 'note', text: `server.endpoint: ${f.endpoint.raw}`, source: 'supervisor.yaml' });
  return [
    {
      id: 'opamp-bad-handshake',
      severity: 'error',
      title: 'Supervisor cannot open the OpAMP WebSocket (bad handshake)',
      cause: mismatches.length > 0 ? `The endpoint does not match the server: ${mismatches.join('; ')}.` : 'The server answered the WebSocket upgrade with something other than 101: check scheme, port and path.',
      fix: `Set server.endpoint to wss://opamp-server.${input.namespace}.svc.cluster.local:4320/v1/opamp (OpAMP is WebSocket on 4320, path /v1/opamp, TLS), update the ConfigMap and restart the rollout.`,
      evidence,
      ...(hit.line.pod ? { pod: hit.line.pod } : {}),
    },
  ];
}

export function connectionRefused(input: DoctorInput): Diagnosis[] {
  const hit = lastMatch(input.logs, /dial tcp [^"\n]*connect: connection refused|connection refused/);
  if (!hit) return [];
  // Only once the last connection attempt failed: a later "Connected" means it recovered.
  const connected = lastMatch(input.logs, /Connected to the server\./);
  if (connected && input.logs.indexOf(connected.line) > input.logs.indexOf(hit.line)) return [];
  const serverPods = input.pods.filter((p) => p.app === 'opamp-server');
  const ready = serverPods.some((p) => p.ready);
  return [
    {
      id: 'opamp-connection-refused',
      severity: 'error',
      title: 'Connection to the OpAMP server refused',
      cause: ready
        ? 'The server pod is Ready but nothing accepts connections at the address the supervisor dials: the port is wrong or the server listens on 127.0.0.1 only.'
        : 'No OpAMP server is listening: the opamp-server pod is missing or not Ready.',
      fix: ready
        ? 'Check server.endpoint host and port against the opamp-server Service (4320), and that the server binds 0.0.0.0.'
        : 'Deploy the opamp-server (lab/k8s) and wait until it is Ready; the supervisor retries on its own.',
      evidence: [logEvidence(hit.line)],
      ...(hit.line.pod ? { pod: hit.line.pod } : {}),
    },
  ];
}

export function insecureSkipVerify(input: DoctorInput): Diagnosis[] {
  const f = facts(input);
  if (!f?.insecureSkipVerify) return [];
  return [
    {
      id: 'insecure-skip-verify',
      severity: 'warning',
      title: 'TLS certificate checks are off (insecure_skip_verify)',
      cause: 'The supervisor accepts any certificate from the server. Fine for the lab\'s demo certificate, not for production.',
      fix: 'Outside the lab, give the supervisor the server\'s CA with server.tls.ca_file and drop insecure_skip_verify.',
      evidence: [{ kind: 'note', text: 'server.tls.insecure_skip_verify: true', source: 'supervisor.yaml' }],
    },
  ];
}

// The guide's three classic failure modes (Step 11): what each one is, how to
// recognise it in supervisor.yaml, which doctor findings diagnose it, and the
// exercise's progress (exercised → diagnosed → recovered). Pure.
import { readSupervisorFacts } from '../doctor/endpoint';
import { parseYaml } from '../yamlSafe';

export const FAULTS = {
  'invalid-key': {
    label: 'Invalid key',
    about: 'adds agent.id to supervisor.yaml: the supervisor exits at startup',
    diagnoses: ['supervisor-invalid-keys'],
  },
  'bad-endpoint': {
    label: 'Wrong endpoint',
    about: 'points server.endpoint at port 4321, path /opamp: websocket: bad handshake',
    diagnoses: ['opamp-bad-handshake', 'opamp-connection-refused'],
  },
  'no-executable': {
    label: 'No collector',
    about: 'agent.executable names a binary that is not in the image: no collector child',
    diagnoses: ['collector-not-running'],
  },
} as const;

export type FaultId = keyof typeof FAULTS;
export const FAULT_IDS = Object.keys(FAULTS) as FaultId[];

export function isFaultId(id: string): id is FaultId {
  return Object.hasOwn(FAULTS, id);
}

const TOP = new Set(['server', 'agent', 'capabilities', 'storage', 'telemetry', 'healthcheck']);
const AGENT = new Set(['executable', 'args', 'env', 'description', 'orphan_detection_interval', 'config_apply_timeout', 'bootstrap_timeout', 'health_check_port', 'opamp_server_port', 'passthrough_logs', 'use_hup_config_reload', 'validate_config']);
/** The collector binary of the lab's agent image (lab/agent/Dockerfile). */
export const IMAGE_COLLECTOR = '/otelcol-contrib';

/** The failure mode a supervisor.yaml exhibits (the first found), with what is wrong. */
export function findSupervisorFault(text: string | undefined): { fault: FaultId; detail: string } | undefined {
  if (text === undefined) return undefined;
  let root: unknown;
  try {
    root = parseYaml(text);
  } catch (err) {
    return { fault: 'invalid-key', detail: `does not parse: ${(err as Error).message.split('\n')[0]}` };
  }
  const rec = (v: unknown): Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const top = rec(root);
  const unknownTop = Object.keys(top).filter((k) => !TOP.has(k));
  if (unknownTop.length > 0) return { fault: 'invalid-key', detail: `unknown top-level key ${unknownTop.join(', ')}` };
  const unknownAgent = Object.keys(rec(top['agent'])).filter((k) => !AGENT.has(k));
  if (unknownAgent.length > 0) return { fault: 'invalid-key', detail: `unknown key agent.${unknownAgent.join(', agent.')}` };
  const facts = readSupervisorFacts(text);
  const ep = facts.endpoint;
  if (facts.badEndpoint || !ep || ep.port !== 4320 || ep.path !== '/v1/opamp' || !['ws', 'wss'].includes(ep.scheme)) {
    return { fault: 'bad-endpoint', detail: `server.endpoint ${facts.badEndpoint ?? ep?.raw ?? '(missing)'} is not ws(s)://…:4320/v1/opamp` };
  }
  if (facts.executable !== IMAGE_COLLECTOR) {
    return { fault: 'no-executable', detail: facts.executable ? `agent.executable ${facts.executable} is not in the image (${IMAGE_COLLECTOR} is)` : 'agent.executable is not set' };
  }
  return undefined;
}

export function classifySupervisorFault(text: string | undefined): FaultId | undefined {
  return findSupervisorFault(text)?.fault;
}

export interface FaultProgress {
  exercisedAt?: number;
  diagnosedAt?: number;
  recoveredAt?: number;
}
export type FaultLedger = Partial<Record<FaultId, FaultProgress>>;

export interface FaultInput {
  supervisorYaml?: string;
  diagnosisIds: readonly string[];
  /** The lab is healthy again: no doctor errors, supervisor, collector and connection fine. */
  healthy: boolean;
}

/**
 * One look at the lab: a fault present in supervisor.yaml is exercised; the doctor
 * naming it while present diagnoses it; the fault gone and the lab healthy after
 * that is the recovery. A fault undone before the doctor named it starts over.
 */
export function advanceFaults(prev: FaultLedger, input: FaultInput, now: number): FaultLedger {
  const active = classifySupervisorFault(input.supervisorYaml);
  const next: FaultLedger = { ...prev };
  for (const id of FAULT_IDS) {
    const p = { ...(next[id] ?? {}) };
    if (p.recoveredAt !== undefined) continue;
    if (id === active) {
      p.exercisedAt ??= now;
      if (p.diagnosedAt === undefined && input.diagnosisIds.some((d) => (FAULTS[id].diagnoses as readonly string[]).includes(d))) p.diagnosedAt = now;
    } else if (p.diagnosedAt !== undefined) {
      if (active === undefined && input.healthy) p.recoveredAt = now;
    } else if (p.exercisedAt !== undefined) {
      delete p.exercisedAt;
    }
    if (Object.keys(p).length > 0) next[id] = p;
    else delete next[id];
  }
  return next;
}

/** "invalid key ✓ · wrong endpoint: diagnosed, recover next · no collector: to do" */
export function describeFaults(ledger: FaultLedger): string {
  return FAULT_IDS.map((id) => {
    const p = ledger[id];
    const name = FAULTS[id].label.toLowerCase();
    if (p?.recoveredAt !== undefined) return `${name} ✓`;
    if (p?.diagnosedAt !== undefined) return `${name}: diagnosed, now fix it`;
    if (p?.exercisedAt !== undefined) return `${name}: broken, read the doctor`;
    return `${name}: to do`;
  }).join(' · ');
}

export function faultsDone(ledger: FaultLedger): boolean {
  return FAULT_IDS.every((id) => ledger[id]?.recoveredAt !== undefined);
}

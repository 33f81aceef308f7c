// The LabApi: the whole boundary between the UI and Node. Every method takes one
// request object and returns a Promise; events arrive through subscribe().
// Requests are validated with the schemas below in Node before any use: the
// renderer is never trusted.
import { z } from 'zod';
import { isLabMethod, type LabMethod } from './labMethods';
import type { LabErrorInfo, LabState, Target, TelemetryCheckResult } from './state';

export { LAB_METHODS, LabApiError, isLabMethod, unwrapLabResult, type LabMethod, type LabResult } from './labMethods';

const name = z.string().min(1).max(253);
const text = (max: number) => z.string().max(max);

export const targetSchema: z.ZodType<Target> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('embedded'), blank: z.boolean().optional() }).strict(),
  z
    .object({
      kind: z.literal('kubeconfig'),
      kubeconfigPath: text(4096).optional(),
      context: name.optional(),
      namespace: name.optional(),
    })
    .strict(),
]);

const empty = z.object({}).strict();

/** The kinds the Resources view shows YAML for (as the engine watches them). */
export const OBJECT_KINDS = ['Pod', 'Deployment', 'ReplicaSet', 'ConfigMap', 'Event'] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];
const terminalId = z.string().regex(/^[a-z0-9-]{1,64}$/);
const size = z.number().int().min(1).max(1000);

/** One schema per method; the method list of the bridges is derived from these keys. */
export const requestSchemas = {
  getInfo: empty,
  getSnapshot: empty,
  listContexts: z.object({ kubeconfigPath: text(4096).optional() }).strict(),
  listNamespaces: empty,
  connect: z.object({ target: targetSchema }).strict(),
  disconnect: empty,
  restartRollout: z.object({ deployment: name.optional() }).strict(),
  validateOverlay: z.object({ text: text(1_000_000) }).strict(),
  // force: send an overlay the validator refuses (to practise the failure); the editor asks first.
  pushOverlay: z.object({ text: text(1_000_000), pod: name.optional(), force: z.boolean().optional() }).strict(),
  checkTelemetry: z.object({ pod: name.optional() }).strict(),
  readFile: z.object({ pod: name, path: z.string().min(1).max(4096).startsWith('/') }).strict(),
  terminalOpen: z.object({ kind: z.enum(['agent', 'lab-shell']).optional(), pod: name.optional(), cols: size, rows: size }).strict(),
  terminalWrite: z.object({ terminalId, data: text(65_536) }).strict(),
  terminalResize: z.object({ terminalId, cols: size, rows: size }).strict(),
  terminalClose: z.object({ terminalId }).strict(),
  runStepAction: z.object({ stepId: z.string().regex(/^[a-z0-9-]{1,64}$/) }).strict(),
  // Only skip and un-skip: a step is done when the app sees it done, never by a click.
  setGuideProgress: z
    .object({ stepId: z.string().regex(/^[a-z0-9-]{1,64}$/), status: z.enum(['skipped', 'todo']) })
    .strict(),
  checkGuideNow: z.object({ stepId: z.string().regex(/^[a-z0-9-]{1,64}$/).optional() }).strict(),
  injectFault: z.object({ fault: z.string().regex(/^[a-z0-9-]{1,64}$/) }).strict(),
  resetLab: empty,
  openExternal: z.object({ url: z.string().url().max(2048) }).strict(),
  getLogHistory: empty,
  readPodLog: z.object({ pod: name, container: name, previous: z.boolean().optional() }).strict(),
  getObjectYaml: z.object({ kind: z.enum(OBJECT_KINDS), name }).strict(),
  // data: the ConfigMap's keys as the editor holds them; resourceVersion: what the edit started from.
  applyConfigMap: z
    .object({ name, data: z.record(z.string().max(253), text(1_000_000)), resourceVersion: z.string().max(64) })
    .strict(),
} as const satisfies Record<LabMethod, z.ZodTypeAny>;

// Every method name has a schema and every schema a name (checked both ways at compile time).
type SchemaKeysMatch = keyof typeof requestSchemas extends LabMethod ? (LabMethod extends keyof typeof requestSchemas ? true : never) : never;
const schemaKeysMatch: SchemaKeysMatch = true;
void schemaKeysMatch;

export type LabRequest<M extends LabMethod> = z.infer<(typeof requestSchemas)[M]>;

export interface AppInfo {
  name: string;
  version: string;
  shell: 'electron' | 'web' | 'test';
  /** Whether the embedded lab can run here (always true in this build). */
  embeddedLab: boolean;
}

export interface ContextList {
  kubeconfigPath?: string;
  current?: string;
  contexts: { name: string; cluster: string; namespace?: string; server?: string }[];
  error?: LabErrorInfo;
}

export interface Snapshot {
  seq: number;
  state: LabState;
}

export interface OverlayValidation {
  ok: boolean;
  /** 1-based line and column of the first problem, as the editor marks it. */
  errors: { message: string; line?: number; col?: number }[];
  /** Dotted key paths the overlay sets, e.g. "processors.attributes/test_opamp". */
  keyPaths: string[];
  /**
   * What otelcol-contrib will say about the overlay merged onto the lab's collector.yaml
   * (shared/collectorConfig): absent when the overlay is not a YAML mapping at all.
   */
  collector?: {
    ok: boolean;
    stage?: 'yaml' | 'decode' | 'validate' | 'build';
    /** The collector's own texts, with line/column in the overlay, the near miss and the fix. */
    errors: { message: string; line?: number; col?: number; suggestion?: string; fix?: string }[];
  };
}

export interface OverlayPushResult {
  instanceUids: string[];
  hash: string;
}

/** What "Do it for me" (or a fault button) ran: the kubectl commands it stands for, and any output. */
export interface StepActionResult {
  ran: string[];
  output?: string;
}

/** A terminal: a shell in the agent container, or a lab shell on this machine. */
export interface TerminalInfo {
  terminalId: string;
  kind: 'agent' | 'lab-shell';
  title: string;
}

export interface RolloutResult {
  deployment: string;
  messages: string[];
}

/** The response type of each method. */
export interface LabResponses {
  getInfo: AppInfo;
  getSnapshot: Snapshot;
  listContexts: ContextList;
  listNamespaces: string[];
  connect: void;
  disconnect: void;
  restartRollout: RolloutResult;
  validateOverlay: OverlayValidation;
  pushOverlay: OverlayPushResult;
  readFile: { content: string };
  terminalOpen: TerminalInfo;
  terminalWrite: void;
  terminalResize: void;
  terminalClose: void;
  runStepAction: StepActionResult;
  setGuideProgress: void;
  checkGuideNow: void;
  injectFault: StepActionResult;
  resetLab: StepActionResult;
  openExternal: void;
  checkTelemetry: TelemetryCheckResult;
  getLogHistory: { lines: LogLine[] };
  readPodLog: PodLogText;
  getObjectYaml: { yaml: string };
  applyConfigMap: { resourceVersion: string };
}

/** One container's log read once (kubectl logs [--previous]), lines in order. */
export interface PodLogText {
  pod: string;
  container: string;
  previous: boolean;
  lines: { at: number; text: string }[];
  /** true when the log was longer than what was read (the start is cut). */
  truncated: boolean;
}

export interface LogLine {
  /** Monotonic per follower; the UI uses it to drop duplicates. */
  seq: number;
  pod: string;
  container: string;
  source: 'pod-log' | 'agent.log';
  /** Epoch ms from the line's timestamp (kubelet's RFC 3339 prefix). */
  at: number;
  text: string;
  level?: 'debug' | 'info' | 'warn' | 'error';
  /** A divider the follower inserts: a container (re)started, a new pod, a stream that stalled. */
  marker?: { kind: 'container-start' | 'new-pod' | 'stream-ended' | 'stalled' | 'resumed'; detail: string };
  /** Known-harmless line, e.g. a single "connection reset by peer" during a reload. */
  expected?: boolean;
}

/** Everything Node pushes to the UI. `state` replaces; `patch` replaces the named top-level keys. */
export type LabEvent =
  | { type: 'state'; seq: number; state: LabState }
  | { type: 'patch'; seq: number; patch: Partial<LabState> }
  | { type: 'logs'; lines: LogLine[] }
  | { type: 'terminal-output'; terminalId: string; data: string }
  | { type: 'terminal-exit'; terminalId: string; code: number };

export type LabApi = {
  [M in LabMethod]: (req: LabRequest<M>) => Promise<LabResponses[M]>;
} & {
  /** Returns the function that unsubscribes. */
  subscribe(listener: (event: LabEvent) => void): () => void;
};

/** Validates an untrusted call; returns the parsed request or a clear invalid-input error. */
export function parseLabCall(
  method: unknown,
  request: unknown,
): { ok: true; method: LabMethod; request: unknown } | { ok: false; error: LabErrorInfo } {
  if (!isLabMethod(method)) {
    return { ok: false, error: { kind: 'invalid-input', message: `unknown LabApi method: ${String(method).slice(0, 64)}` } };
  }
  const parsed = requestSchemas[method].safeParse(request ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    return {
      ok: false,
      error: { kind: 'invalid-input', message: `${method}: invalid request${where}: ${issue?.message ?? 'rejected'}` },
    };
  }
  return { ok: true, method, request: parsed.data };
}

// What the engine knows, as the UI sees it. The engine sends a full LabState
// on connect and top-level patches after that (see api.ts: LabEvent).
import type { OverlayTimeline } from './overlayTimeline';

export type CriterionId =
  | 'supervisor-pid1'
  | 'collector-child'
  | 'opamp-connected'
  | 'effective-config'
  | 'remote-config-applied'
  | 'overlay-visible';

export const CRITERION_IDS: readonly CriterionId[] = [
  'supervisor-pid1',
  'collector-child',
  'opamp-connected',
  'effective-config',
  'remote-config-applied',
  'overlay-visible',
];

/** All six criteria present and passing: the verdict `opamp-lab verify` exits 0 on. */
export function allPass(criteria: readonly CriterionResult[]): boolean {
  return criteria.length === CRITERION_IDS.length && criteria.every((c) => c.status === 'pass');
}

export type CriterionStatus = 'pending' | 'pass' | 'fail';

/** One fact a criterion rests on, quoted the way the attendee would see it in a terminal. */
export interface Evidence {
  kind: 'process' | 'log' | 'file' | 'server' | 'event' | 'note';
  text: string;
  /** Where it came from: "/proc/1/cmdline", "pod log", "GET /api/agents/…". */
  source?: string;
  /** Epoch ms when the fact was observed. */
  at?: number;
}

export interface CriterionResult {
  id: CriterionId;
  title: string;
  status: CriterionStatus;
  /** Epoch ms since the status last changed. */
  since: number;
  evidence: Evidence[];
  /** What to do next; set when failing, sometimes when pending. */
  hint?: string;
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** argv as read from /proc/<pid>/cmdline. */
  argv: string[];
  /** The process name in /proc/<pid>/stat (comm). */
  comm: string;
  user?: string;
  /** Epoch ms, derived from the stat start time and the boot time. */
  startedAt?: number;
  /** Start time in clock ticks after boot (/proc/<pid>/stat field 22), as the probe read it. */
  startTicks?: number;
}

export type LineOrigin = 'overlay' | 'base' | 'supervisor';

export interface EffectiveConfigVersion {
  /** sha256 of the content, lowercase hex. */
  sha256: string;
  size: number;
  /** The file's mtime, epoch ms. */
  mtime: number;
  /** When the app first saw this version, epoch ms. */
  seenAt: number;
  content: string;
  /** Provenance of each line, index = line number - 1. */
  origins: LineOrigin[];
}

export interface ServerAgentView {
  instanceUid: string;
  connected: boolean;
  lastSeen?: number;
  hostName?: string;
  serviceName?: string;
  serviceVersion?: string;
  healthy?: boolean;
  lastError?: string;
  /** sha256 (hex) of the overlay text the server keeps for this agent, as the app hashes it. */
  overlayHash?: string;
  remoteConfig?: {
    status: 'UNSET' | 'APPLIED' | 'APPLYING' | 'FAILED';
    /** Hash the agent reports, hex. */
    lastHash?: string;
    /** Hash of the config the server last sent, hex. */
    sentHash?: string;
    errorMessage?: string;
  };
}

export interface ContainerView {
  name: string;
  ready: boolean;
  restartCount: number;
  state: 'waiting' | 'running' | 'terminated' | 'unknown';
  /** CrashLoopBackOff, ImagePullBackOff, Error, Completed… */
  reason?: string;
  message?: string;
  startedAt?: number;
  lastTermination?: { exitCode: number; reason?: string; message?: string; finishedAt?: number };
}

export interface PodView {
  name: string;
  namespace: string;
  app: 'opamp-agent' | 'opamp-server' | 'other';
  phase: string;
  ready: boolean;
  terminating: boolean;
  createdAt: number;
  nodeName?: string;
  containers: ContainerView[];
}

/**
 * The telemetry proof: one OTLP/HTTP test span sent through a port-forward to the agent pod's 4318,
 * found in /storage/agent.log as the debug exporter prints it, with opamp.ui_test added by the overlay.
 */
export interface TelemetryCheckResult {
  pod: string;
  status: 'running' | 'pass' | 'fail';
  /** When the span was sent, epoch ms. */
  at: number;
  traceId?: string;
  evidence: Evidence[];
  hint?: string;
}

export interface AgentPodState {
  pod: string;
  criteria: CriterionResult[];
  /** The round trip of the overlay this pod was last sent (shared/overlayTimeline). */
  overlayTimeline?: OverlayTimeline;
  /** The optional seventh check, "the overlay acts on data", once it was run. */
  telemetry?: TelemetryCheckResult;
  processes: ProcessInfo[];
  /** Oldest first; bounded. */
  effectiveConfig: EffectiveConfigVersion[];
  server?: ServerAgentView;
  probe: { status: 'starting' | 'running' | 'reconnecting' | 'stopped'; error?: string; lastReportAt?: number };
}

export type ForwardName = 'opamp' | 'ui';

export interface ForwardState {
  name: ForwardName;
  remotePort: number;
  localPort?: number;
  /** http://127.0.0.1:<port>/ for the UI forward, wss://127.0.0.1:<port>/v1/opamp for OpAMP. */
  url?: string;
  pod?: string;
  health: 'starting' | 'up' | 'down';
  checkedAt?: number;
  error?: string;
}

export type LabErrorKind =
  | 'kubeconfig'
  | 'context'
  | 'unreachable'
  | 'auth'
  | 'plugin'
  | 'not-found'
  | 'invalid-input'
  | 'overlay'
  | 'timeout'
  | 'internal';

export interface LabErrorInfo {
  kind: LabErrorKind;
  message: string;
  detail?: string;
}

export type Target =
  /** blank: the namespace only, nothing deployed (Lab mode's "start from scratch"). */
  | { kind: 'embedded'; blank?: boolean }
  | { kind: 'kubeconfig'; kubeconfigPath?: string; context?: string; namespace?: string };

export interface ConnectionState {
  status: 'disconnected' | 'connecting' | 'connected' | 'error';
  target?: Target;
  /** Display names: "Embedded lab" or the context name; the cluster server URL, never credentials. */
  contextName?: string;
  namespace?: string;
  server?: string;
  /**
   * The KUBECONFIG value that selects this cluster, context and namespace (file paths
   * only, never credentials): what lab shells get and what "copy export" offers.
   */
  kubeconfig?: string;
  error?: LabErrorInfo;
}

export interface OverlayState {
  status: 'idle' | 'sending' | 'applying' | 'applied' | 'failed';
  text?: string;
  /** sha256 of what was sent, hex. */
  hash?: string;
  sentAt?: number;
  error?: string;
}

export interface RolloutState {
  status: 'idle' | 'running' | 'done' | 'failed';
  deployment?: string;
  startedAt?: number;
  /** kubectl's rollout-status lines, in order. */
  messages: string[];
  error?: string;
}

export interface KubeEventView {
  at: number;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  object: string;
  count: number;
}

export interface Diagnosis {
  id: string;
  severity: 'error' | 'warning' | 'info';
  title: string;
  cause: string;
  fix: string;
  /** The log line, event or config fragment the diagnosis rests on. */
  evidence: Evidence[];
  pod?: string;
}

/** in-place: the check already passed when Lab mode started (not credited as done). */
export type StepStatus = 'todo' | 'current' | 'done' | 'in-place' | 'failed' | 'skipped';

export interface GuideStepState {
  id: string;
  status: StepStatus;
  checkedAt?: number;
  detail?: string;
  /** Who earned the credit: the attendee, the app's button, or Check now. */
  by?: 'you' | 'app' | 'check';
  doneAt?: number;
  /** Time the step was the current one, ms. */
  spentMs?: number;
}

export interface GuideState {
  steps: GuideStepState[];
  currentStepId?: string;
  counts?: { done: number; inPlace: number; todo: number; skipped: number };
  /** When this Lab mode session started (epoch ms). */
  startedAt?: number;
  /** Something the attendee must know about saved progress (e.g. a corrupt file kept aside). */
  notice?: string;
}

/** A Deployment of the lab namespace as the Resources view lists it. */
export interface DeploymentView {
  name: string;
  createdAt: number;
  /** deployment.kubernetes.io/revision */
  revision?: string;
  replicas: number;
  ready: number;
  updated: number;
  available: number;
  /** Progressing/Available conditions, "Type=Status (Reason)". */
  conditions: string[];
}

export interface ReplicaSetView {
  name: string;
  /** The owning Deployment, if any. */
  deployment?: string;
  revision?: string;
  createdAt: number;
  replicas: number;
  ready: number;
}

export interface ConfigMapView {
  name: string;
  resourceVersion: string;
  data: Record<string, string>;
}

/** What the Resources view shows besides pods and events, all from watches. */
export interface WorkloadsState {
  /** false until the first list of every watch arrived (so "no lab here" is not said too early). */
  synced: boolean;
  deployments: DeploymentView[];
  replicaSets: ReplicaSetView[];
  configMaps: ConfigMapView[];
}

export interface LabState {
  connection: ConnectionState;
  forwards: ForwardState[];
  pods: PodView[];
  agents: AgentPodState[];
  serverAgents: ServerAgentView[];
  overlay: OverlayState;
  rollout: RolloutState;
  events: KubeEventView[];
  diagnoses: Diagnosis[];
  guide: GuideState;
  workloads: WorkloadsState;
}

export function emptyLabState(): LabState {
  return {
    connection: { status: 'disconnected' },
    forwards: [],
    pods: [],
    agents: [],
    serverAgents: [],
    overlay: { status: 'idle' },
    rollout: { status: 'idle', messages: [] },
    events: [],
    diagnoses: [],
    guide: { steps: [] },
    workloads: emptyWorkloads(),
  };
}

export function emptyWorkloads(): WorkloadsState {
  return { synced: false, deployments: [], replicaSets: [], configMaps: [] };
}

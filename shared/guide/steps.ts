// The guided lab as data: one entry per step of the workshop, in order.
// Texts are ours; commands are the guide's, run in the lab shell's folder
// (supervisor.yaml, collector.yaml and the manifests sit there), with {ns} and
// {pod} filled by fillCommand(). `credit` says what the app must see the
// attendee do before the step counts as done (credit.ts applies it).
import { TEST_OPAMP_OVERLAY } from '../guideOverlays';
import * as c from './checks';
import type { StepCheck } from './checks';

export type StepActionId =
  | 'deploy-lab'
  | 'rollout-restart'
  | 'push-overlay'
  | 'verify-processes'
  | 'verify-connection'
  | 'verify-effective'
  | 'verify-applied';

/**
 * What earns the step: `image` the agent image running, `configmap` the agent
 * ConfigMap applied, `deploy` the ConfigMap or Deployment applied, `rollout` a new
 * ReplicaSet, `overlay` a config arriving at the server, `command` the step's
 * kubectl command run in a lab shell (or Check now), `faults` the three exercises.
 */
export type CreditTrigger = 'image' | 'configmap' | 'deploy' | 'rollout' | 'overlay' | 'command' | 'faults';

export interface GuideStep {
  id: string;
  title: string;
  goal: string;
  why: string;
  commands: string[];
  /** Text to paste somewhere other than a shell (the overlay for the server UI). */
  paste?: { label: string; text: string };
  /** "Do it for me": what the app runs, and the kubectl commands that stand for it. */
  action?: { id: StepActionId; ran: string[] };
  hint: string;
  solution: string;
  check: StepCheck;
  credit: {
    trigger: CreditTrigger;
    /** How long after an attempt the check may still come true before the step shows as failed. */
    settleMs: number;
    /** Whether a passing check when Lab mode starts counts as "already in place". */
    inPlace: boolean;
  };
}

const POD = `POD=$(kubectl -n {ns} get pod -l app=opamp-agent -o jsonpath='{.items[0].metadata.name}')`;
const CONFIGMAP = `kubectl -n {ns} create configmap opamp-agent-config \\
  --from-file=supervisor.yaml \\
  --from-file=collector.yaml \\
  -o yaml --dry-run=client | kubectl apply -f -`;
/** The in-container scripts of the guide's verification steps (Steps 6, 8, 10). */
export const VERIFY_SCRIPTS = {
  'verify-processes': 'ps -ef | egrep "opampsupervisor|otelcol-contrib"',
  'verify-effective': 'ls -l /storage/effective.yaml && head -n 40 /storage/effective.yaml',
  'verify-applied': 'grep -R "test_opamp" -n /storage/effective.yaml',
} as const;
const EXEC = (script: string): string => `kubectl -n {ns} exec -it $POD -c agent -- sh -c \\\n'${script}'`;
/** The same without a terminal, with the pod named: what "Run it for me" runs. */
export const execCommand = (script: string, ns: string, pod: string): string => `kubectl -n ${ns} exec ${pod} -c agent -- sh -c '${script}'`;
const RESTART = ['kubectl -n {ns} rollout restart deploy/opamp-agent', 'kubectl -n {ns} rollout status deploy/opamp-agent --timeout=180s'];

export const GUIDE_STEPS: readonly GuideStep[] = [
  {
    id: 'build-image',
    title: 'Build the agent image',
    goal: 'One image holding the supervisor as entrypoint and the contrib collector beside it.',
    why: 'The supervisor starts the collector as its own child, so both binaries must live in the same container.',
    commands: ['docker build -t opamp-agent:v0.1 .', 'docker tag opamp-agent:v0.1 <ECR_REPO>:v0.1', 'docker push <ECR_REPO>:v0.1'],
    hint: 'The step counts once a pod runs the image. ImagePullBackOff means the tag or the registry permissions are wrong.',
    solution: 'The Dockerfile in the lab shell folder copies /opampsupervisor and /otelcol-contrib into alpine and sets ENTRYPOINT ["/opampsupervisor", "--config=/supervisor.yaml"]. The embedded lab already has the image.',
    check: c.checkImage,
    credit: { trigger: 'image', settleMs: 120_000, inPlace: true },
  },
  {
    id: 'collector-config',
    title: 'Base collector config',
    goal: 'A small collector.yaml: OTLP in, debug out, for logs, metrics and traces.',
    why: 'It is the base the supervisor merges remote overlays into; keep it minimal so any change you see comes from the overlay.',
    commands: ['cat collector.yaml'],
    hint: 'collector.yaml must be a YAML mapping with service.pipelines; it reaches the pod through the opamp-agent-config ConfigMap (Step 4 applies it).',
    solution: 'Use collector.yaml from the lab shell folder as it is; Step 4 puts it into the ConfigMap.',
    check: c.checkCollectorConfig,
    credit: { trigger: 'configmap', settleMs: 5_000, inPlace: true },
  },
  {
    id: 'supervisor-config',
    title: 'Supervisor config',
    goal: 'supervisor.yaml names the server endpoint, the storage directory, the capabilities and the collector binary.',
    why: 'The supervisor refuses unknown keys, and it only starts a collector named by agent.executable — there is no collector: block.',
    commands: ['cat supervisor.yaml'],
    hint: 'Only server, agent, capabilities, storage, telemetry and healthcheck are allowed at the top; the endpoint is wss://…:4320/v1/opamp; agent.executable is /otelcol-contrib.',
    solution: 'Use supervisor.yaml from the lab shell folder: endpoint wss://opamp-server.{ns}.svc.cluster.local:4320/v1/opamp with tls.insecure_skip_verify, storage /storage, agent.executable /otelcol-contrib.',
    check: c.checkSupervisorConfig,
    credit: { trigger: 'configmap', settleMs: 5_000, inPlace: true },
  },
  {
    id: 'deploy',
    title: 'Deploy server and agent',
    goal: 'The config files in the opamp-agent-config ConfigMap, then the opamp-server and the opamp-agent Deployment running, the files mounted and /storage an emptyDir.',
    why: 'The agent pod mounts the ConfigMap at /supervisor.yaml and /collector.yaml; without it the pod stays ContainerCreating.',
    commands: [CONFIGMAP, 'kubectl apply -f opamp-server.yaml -f opamp-agent.yaml', 'kubectl -n {ns} get pods'],
    action: {
      id: 'deploy-lab',
      ran: ['kubectl apply --server-side --field-manager=opamp-lab -f namespace.yaml -f opamp-server.yaml -f opamp-agent-config.yaml -f opamp-agent.yaml'],
    },
    hint: 'Pending or ContainerCreating with FailedMount means the ConfigMap is missing; ImagePullBackOff means the image reference is wrong.',
    solution: 'Run the ConfigMap command in the lab shell folder, then apply opamp-server.yaml and opamp-agent.yaml.',
    check: c.checkDeploy,
    credit: { trigger: 'deploy', settleMs: 90_000, inPlace: true },
  },
  {
    id: 'rollout',
    title: 'Restart the rollout',
    goal: 'Practise the update loop: change config, restart the deployment, wait for it.',
    why: 'Pods read the ConfigMap when they start; a restart is how a config change reaches the supervisor.',
    commands: RESTART,
    action: { id: 'rollout-restart', ran: RESTART },
    hint: 'The step counts when a new ReplicaSet appears (rollout restart) and the rollout finishes; rollout status prints "successfully rolled out".',
    solution: 'Run both commands; the status command ends with "successfully rolled out".',
    check: c.checkRollout,
    credit: { trigger: 'rollout', settleMs: 180_000, inPlace: false },
  },
  {
    id: 'verify-processes',
    title: 'Check the processes',
    goal: 'The supervisor is PID 1 and otelcol-contrib runs beside it as its child.',
    why: 'This is the proof that the supervisor, not the image, owns the collector lifecycle.',
    commands: [POD, EXEC(VERIFY_SCRIPTS['verify-processes'])],
    action: { id: 'verify-processes', ran: [execCommand(VERIFY_SCRIPTS['verify-processes'], '{ns}', '{pod}')] },
    hint: 'No otelcol-contrib line means agent.executable is missing or wrong; the doctor quotes the supervisor\'s error.',
    solution: 'Expect "1 root … /opampsupervisor --config=/supervisor.yaml" and an /otelcol-contrib line. busybox ps has no PPID column: the 4th field of /proc/<pid>/stat is the parent (1).',
    check: c.checkProcesses,
    credit: { trigger: 'command', settleMs: 15_000, inPlace: true },
  },
  {
    id: 'verify-connection',
    title: 'Check the connection to the server',
    goal: 'The supervisor logs that it connected to the OpAMP server.',
    why: 'Without the WebSocket the server cannot send any config.',
    commands: ['kubectl -n {ns} logs deploy/opamp-agent -c agent --since=5m'],
    action: { id: 'verify-connection', ran: ['kubectl -n {ns} logs deploy/opamp-agent -c agent --since=5m'] },
    hint: 'Look for "Supervisor starting" and then "Connected to the server."; a lone "connection reset by peer" during a reload is harmless; "bad handshake" means the endpoint does not match the server.',
    solution: 'Look for "Connected to the server." after the latest "Supervisor starting".',
    check: c.checkConnection,
    credit: { trigger: 'command', settleMs: 15_000, inPlace: true },
  },
  {
    id: 'verify-effective',
    title: 'Check effective.yaml',
    goal: '/storage/effective.yaml exists and is the config the collector runs with.',
    why: 'The supervisor writes the merged config there; it is the truth about what the collector runs.',
    commands: [POD, EXEC(VERIFY_SCRIPTS['verify-effective'])],
    action: { id: 'verify-effective', ran: [execCommand(VERIFY_SCRIPTS['verify-effective'], '{ns}', '{pod}')] },
    hint: 'If the file is missing the supervisor has not composed a config yet: check its log.',
    solution: 'The file exists, is non-empty and parses as YAML; its keys are sorted and it includes the opamp extension.',
    check: c.checkEffective,
    credit: { trigger: 'command', settleMs: 15_000, inPlace: true },
  },
  {
    id: 'push-overlay',
    title: 'Send an overlay from the server UI',
    goal: 'Add the attributes/test_opamp processor to the traces pipeline from the server UI.',
    why: 'The server sends overlays, not whole configs; the supervisor merges them over collector.yaml.',
    commands: ['kubectl -n {ns} port-forward svc/opamp-server 4321:4321'],
    paste: { label: 'Overlay for "Additional Configuration"', text: TEST_OPAMP_OVERLAY },
    action: { id: 'push-overlay', ran: ['POST /save_config to the server UI (what "Save and Send to Agent" does), with the overlay above'] },
    hint: 'Open the server UI (the 4321 chip in the top bar is the app\'s forward), pick the agent, paste the overlay under Additional Configuration and press "Save and Send to Agent".',
    solution: 'Send the overlay: processors.attributes/test_opamp inserting opamp.ui_test, used by service.pipelines.traces.processors.',
    check: c.checkPushed,
    credit: { trigger: 'overlay', settleMs: 15_000, inPlace: true },
  },
  {
    id: 'verify-applied',
    title: 'Check the overlay was applied',
    goal: 'The agent reports APPLIED and effective.yaml contains test_opamp.',
    why: 'That closes the loop: UI → server → supervisor → collector.',
    commands: [POD, EXEC(VERIFY_SCRIPTS['verify-applied'])],
    action: { id: 'verify-applied', ran: [execCommand(VERIFY_SCRIPTS['verify-applied'], '{ns}', '{pod}')] },
    hint: 'APPLIED comes a few seconds after APPLYING; FAILED quotes the reason in the doctor. grep exits 1 when test_opamp is not in the file yet.',
    solution: 'grep prints the attributes/test_opamp lines; the server shows the agent\'s remote config as APPLIED.',
    check: c.checkApplied,
    credit: { trigger: 'command', settleMs: 15_000, inPlace: true },
  },
  {
    id: 'failure-modes',
    title: 'Practise the failure modes',
    goal: 'Break the lab three ways (invalid key, wrong endpoint, no collector), read what the doctor says, then put it right.',
    why: 'Recognising the three classic mistakes from their log lines saves hours on a real cluster.',
    commands: ['kubectl -n {ns} logs deploy/opamp-agent -c agent --tail=50', 'kubectl -n {ns} get events --sort-by=.lastTimestamp | tail -20'],
    hint: 'Edit supervisor.yaml (or use the fault buttons), apply the ConfigMap and restart; when the doctor names the cause, restore the file, apply and restart again.',
    solution: 'Each fault edits supervisor.yaml in the ConfigMap and restarts the rollout; "Put it right" restores the lab\'s files and restarts.',
    check: c.checkNoFaults,
    credit: { trigger: 'faults', settleMs: 0, inPlace: false },
  },
];

export const STEP_IDS: readonly string[] = GUIDE_STEPS.map((s) => s.id);

export function findStep(id: string): GuideStep | undefined {
  return GUIDE_STEPS.find((s) => s.id === id);
}

/** Fills {ns} and {pod}; without a pod the command keeps $POD, defined by the POD= line. */
export function fillCommand(command: string, ctx: { namespace: string; pod?: string }): string {
  return command.replaceAll('{ns}', ctx.namespace).replaceAll('{pod}', ctx.pod ?? '$POD');
}

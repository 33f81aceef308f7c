// The guided lab as data: one entry per step of the workshop, in order.
// Texts are ours; commands use {ns} and {pod}, filled by fillCommand().
import * as c from './checks';
import type { StepCheck } from './checks';

export type StepActionId = 'apply-configmap' | 'deploy-lab' | 'rollout-restart' | 'open-server-ui' | 'push-overlay';

export interface GuideStep {
  id: string;
  title: string;
  goal: string;
  why: string;
  commands: string[];
  action?: { id: StepActionId; label: string };
  hint: string;
  solution: string;
  check: StepCheck;
}

const POD = `POD=$(kubectl -n {ns} get pod -l app=opamp-agent -o jsonpath='{.items[0].metadata.name}')`;

export const GUIDE_STEPS: readonly GuideStep[] = [
  {
    id: 'build-image',
    title: 'Build the agent image',
    goal: 'One image holding the supervisor as entrypoint and the contrib collector beside it.',
    why: 'The supervisor starts the collector as its own child, so both binaries must live in the same container.',
    commands: ['docker build -t opamp-agent:v0.1 lab/agent', 'docker tag opamp-agent:v0.1 <ECR_REPO>:v0.1', 'docker push <ECR_REPO>:v0.1'],
    hint: 'The check passes once a pod started from the image. An ImagePullBackOff means the tag or the registry permissions are wrong.',
    solution: 'lab/agent/Dockerfile copies /opampsupervisor and /otelcol-contrib into alpine and sets ENTRYPOINT ["/opampsupervisor", "--config=/supervisor.yaml"]. The embedded lab already has the image.',
    check: c.checkImage,
  },
  {
    id: 'collector-config',
    title: 'Base collector config',
    goal: 'A small collector.yaml: OTLP in, debug out, for logs, metrics and traces.',
    why: 'It is the base the supervisor merges remote overlays into; keep it minimal so any change you see comes from the overlay.',
    commands: ['kubectl -n {ns} get configmap opamp-agent-config -o jsonpath="{.data.collector\\.yaml}"'],
    action: { id: 'apply-configmap', label: 'Apply the ConfigMap from lab/agent' },
    hint: 'collector.yaml must be a YAML mapping with service.pipelines; it reaches the pod through the opamp-agent-config ConfigMap.',
    solution: 'Use lab/agent/collector.yaml as it is and create the ConfigMap (next step shows the command).',
    check: c.checkCollectorConfig,
  },
  {
    id: 'supervisor-config',
    title: 'Supervisor config',
    goal: 'supervisor.yaml names the server endpoint, the storage directory, the capabilities and the collector binary.',
    why: 'The supervisor refuses unknown keys, and it only starts a collector named by agent.executable — there is no collector: block.',
    commands: [
      'kubectl -n {ns} create configmap opamp-agent-config --from-file=lab/agent/supervisor.yaml --from-file=lab/agent/collector.yaml -o yaml --dry-run=client | kubectl apply -f -',
    ],
    action: { id: 'apply-configmap', label: 'Apply the ConfigMap from lab/agent' },
    hint: 'Only server, agent, capabilities, storage, telemetry and healthcheck are allowed at the top; the endpoint is wss://…:4320/v1/opamp.',
    solution: 'Use lab/agent/supervisor.yaml: endpoint wss://opamp-server.{ns}.svc.cluster.local:4320/v1/opamp with tls.insecure_skip_verify, storage /storage, agent.executable /otelcol-contrib.',
    check: c.checkSupervisorConfig,
  },
  {
    id: 'deploy',
    title: 'Deploy server and agent',
    goal: 'The opamp-server and the opamp-agent deployment run in the namespace, with the config files mounted and /storage as an emptyDir.',
    why: 'The agent pod mounts the ConfigMap at /supervisor.yaml and /collector.yaml; without it the pod stays Pending.',
    commands: ['kubectl apply --server-side --field-manager=opamp-lab -k lab/k8s', 'kubectl -n {ns} get pods -o wide'],
    action: { id: 'deploy-lab', label: 'Deploy lab/k8s (server-side apply)' },
    hint: 'Pending with FailedMount means the ConfigMap is missing; ImagePullBackOff means the image reference is wrong.',
    solution: 'Apply lab/k8s: it holds the namespace, the server, the ConfigMap and the agent deployment.',
    check: c.checkDeploy,
  },
  {
    id: 'rollout',
    title: 'Restart the rollout',
    goal: 'Practise the update loop: change config, restart the deployment, wait for it.',
    why: 'Pods read the ConfigMap when they start; a restart is how a config change reaches the supervisor.',
    commands: ['kubectl -n {ns} rollout restart deploy/opamp-agent', 'kubectl -n {ns} rollout status deploy/opamp-agent --timeout=180s'],
    action: { id: 'rollout-restart', label: 'Restart the rollout' },
    hint: 'The check waits for a new restartedAt annotation and a finished rollout.',
    solution: 'Run both commands; the status command ends with "successfully rolled out".',
    check: c.checkRollout,
  },
  {
    id: 'verify-processes',
    title: 'Check the processes',
    goal: 'The supervisor is PID 1 and otelcol-contrib runs as its child.',
    why: 'This is the proof that the supervisor, not the image, owns the collector lifecycle.',
    commands: [POD, 'kubectl -n {ns} exec {pod} -c agent -- sh -c \'for p in /proc/[0-9]*; do echo "$(basename $p) $(cut -d" " -f4 $p/stat) $(tr "\\0" " " < $p/cmdline)"; done\''],
    hint: 'No otelcol-contrib child means agent.executable is missing or wrong; the doctor quotes the supervisor\'s error.',
    solution: 'busybox ps has no PPID column: read /proc/<pid>/stat (4th field) as the command above does; expect "1 0 /opampsupervisor --config=/supervisor.yaml" and an otelcol-contrib line with parent 1.',
    check: c.checkProcesses,
  },
  {
    id: 'verify-connection',
    title: 'Check the connection to the server',
    goal: 'The supervisor logs that it connected to the OpAMP server.',
    why: 'Without the WebSocket the server cannot send any config.',
    commands: ['kubectl -n {ns} logs deploy/opamp-agent -c agent --since=5m | grep -E "Supervisor starting|Connected to the server"'],
    hint: 'A lone "connection reset by peer" during a reload is harmless; "bad handshake" means the endpoint does not match the server.',
    solution: 'Look for "Connected to the server." after the latest "Supervisor starting".',
    check: c.checkConnection,
  },
  {
    id: 'verify-effective',
    title: 'Check effective.yaml',
    goal: '/storage/effective.yaml exists and is the config the collector runs with.',
    why: 'The supervisor writes the merged config there; it is the truth about what the collector runs.',
    commands: ['kubectl -n {ns} exec {pod} -c agent -- sh -c "ls -l /storage/effective.yaml && head -n 40 /storage/effective.yaml"'],
    hint: 'If the file is missing the supervisor has not composed a config yet: check its log.',
    solution: 'The file exists, is non-empty and parses as YAML; its keys are sorted and it includes the opamp extension.',
    check: c.checkEffective,
  },
  {
    id: 'push-overlay',
    title: 'Send an overlay from the server UI',
    goal: 'Add the attributes/test_opamp processor to the traces pipeline from the server.',
    why: 'The server sends overlays, not whole configs; the supervisor merges them over collector.yaml.',
    commands: ['kubectl -n {ns} port-forward svc/opamp-server 4321:4321'],
    action: { id: 'push-overlay', label: 'Send lab/overlays/test_opamp.yaml' },
    hint: 'Paste the overlay in the agent page under Additional Configuration and press Save; or use the overlay editor here.',
    solution: 'Send lab/overlays/test_opamp.yaml: processors.attributes/test_opamp inserting opamp.ui_test, used by service.pipelines.traces.processors.',
    check: c.checkPushed,
  },
  {
    id: 'verify-applied',
    title: 'Check the overlay was applied',
    goal: 'The agent reports APPLIED and effective.yaml contains test_opamp.',
    why: 'That closes the loop: UI → server → supervisor → collector.',
    commands: ['kubectl -n {ns} exec {pod} -c agent -- grep -n test_opamp /storage/effective.yaml'],
    hint: 'APPLIED comes a few seconds after APPLYING; FAILED quotes the reason in the doctor.',
    solution: 'grep prints the attributes/test_opamp lines; the server shows the agent\'s remote config as APPLIED.',
    check: c.checkApplied,
  },
  {
    id: 'failure-modes',
    title: 'Practise the failure modes',
    goal: 'Break the lab on purpose (invalid key, wrong endpoint, no collector), read the diagnosis, then reset.',
    why: 'Recognising the three classic mistakes from their log lines saves hours on a real cluster.',
    commands: ['kubectl -n {ns} logs deploy/opamp-agent -c agent --previous --tail=20', 'kubectl -n {ns} get events --sort-by=.lastTimestamp | tail -20'],
    hint: 'Use the fault buttons, watch the doctor name the cause, then Reset lab.',
    solution: 'Each fault edits the ConfigMap and restarts the rollout; Reset lab restores the files from lab/agent.',
    check: c.checkNoFaults,
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

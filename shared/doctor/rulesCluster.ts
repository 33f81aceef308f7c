// Rules that read pods, events, the server view and the cluster connection.
import type { Diagnosis, Evidence, KubeEventView, PodView } from '../state';
import type { DoctorInput } from './input';
import { lastMatch, logEvidence } from './rulesSupervisor';
import { formatIssue, validateCollectorConfig } from '../collectorConfig/validate';

function eventEvidence(e: KubeEventView): Evidence {
  return { kind: 'event', text: `${e.type} ${e.reason}: ${e.message}${e.count > 1 ? ` (x${e.count})` : ''}`, source: e.object, at: e.at };
}

function eventsFor(input: DoctorInput, pod: string, reasons: RegExp): KubeEventView[] {
  return input.events.filter((e) => e.object.endsWith(pod) && reasons.test(e.reason));
}

function agentPods(input: DoctorInput): PodView[] {
  return input.pods.filter((p) => p.app !== 'other' && !p.terminating);
}

export function imagePull(input: DoctorInput): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const pod of agentPods(input)) {
    const c = pod.containers.find((x) => x.reason === 'ImagePullBackOff' || x.reason === 'ErrImagePull');
    if (!c) continue;
    const evs = eventsFor(input, pod.name, /^(Failed|BackOff)$/).filter((e) => /pull|image/i.test(e.message));
    const msg = `${c.message ?? ''} ${evs.map((e) => e.message).join(' ')}`;
    const auth = /unauthorized|no basic auth|authorization|403|denied|pull access/i.test(msg);
    const notFound = /not found|manifest unknown|does not exist/i.test(msg);
    const ecr = /\.dkr\.ecr\./.test(msg);
    out.push({
      id: 'image-pull',
      severity: 'error',
      title: `Cannot pull the ${c.name} image (${c.reason})`,
      cause: auth
        ? `The registry refused the pull${ecr ? ' (ECR)' : ''}: the node has no permission or the pull secret is missing.`
        : notFound
          ? 'The image or tag does not exist in the registry.'
          : 'The node could not pull the image.',
      fix: ecr || auth
        ? 'Check the image name and tag you pushed (docker push <ECR_REPO>:v0.1), that the node role can read the ECR repository (AmazonEC2ContainerRegistryReadOnly) or an imagePullSecret is set, then restart the rollout.'
        : 'Fix the image reference in the deployment to the tag you pushed, then restart the rollout.',
      evidence: [
        { kind: 'event', text: `${c.name}: ${c.reason}${c.message ? `: ${c.message}` : ''}`, source: `pod/${pod.name}` },
        ...evs.slice(-2).map(eventEvidence),
      ],
      pod: pod.name,
    });
  }
  return out;
}

export function crashLoop(input: DoctorInput, explained: ReadonlySet<string>): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const pod of agentPods(input)) {
    const c = pod.containers.find((x) => x.reason === 'CrashLoopBackOff');
    if (!c) continue;
    const lastErr = lastMatch(
      input.logs.filter((l) => !l.pod || l.pod === pod.name),
      /failed to (load config|create supervisor|start supervisor)[^"\n]*|"level":"(error|fatal)"[^\n]*/,
    );
    const t = c.lastTermination;
    out.push({
      id: 'crash-loop',
      severity: explained.has(pod.name) ? 'info' : 'error',
      title: `${c.name} keeps crashing (CrashLoopBackOff, ${c.restartCount} restarts)`,
      cause: explained.has(pod.name)
        ? 'The crash loop follows from the problem above.'
        : `The container exits soon after starting${t ? ` (exit code ${t.exitCode}${t.reason ? `, ${t.reason}` : ''})` : ''}; its last output says why.`,
      fix: 'Read the previous container\'s log (kubectl logs --previous), fix supervisor.yaml in the ConfigMap, then restart the rollout.',
      evidence: [
        { kind: 'event', text: `${c.name}: CrashLoopBackOff${c.message ? `: ${c.message}` : ''}`, source: `pod/${pod.name}` },
        ...(lastErr ? [logEvidence(lastErr.line)] : []),
      ],
      pod: pod.name,
    });
  }
  return out;
}

export function pending(input: DoctorInput): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const pod of agentPods(input)) {
    if (pod.phase !== 'Pending') continue;
    const mount = eventsFor(input, pod.name, /^FailedMount$/);
    const sched = eventsFor(input, pod.name, /^FailedScheduling$/);
    const mountEv = mount[mount.length - 1];
    const schedEv = sched[sched.length - 1];
    if (mountEv) {
      const cm = /configmap "([^"]+)" not found/i.exec(mountEv.message)?.[1];
      out.push({
        id: 'pod-pending-mount',
        severity: 'error',
        title: cm ? `Pod waits for ConfigMap ${cm}` : 'Pod cannot mount a volume',
        cause: cm ? `The pod mounts ConfigMap ${cm}, which does not exist in namespace ${input.namespace}.` : 'A volume of the pod cannot be mounted.',
        fix: cm
          ? `Create it from the lab files: kubectl -n ${input.namespace} create configmap ${cm} --from-file=supervisor.yaml --from-file=collector.yaml`
          : 'Check the volumes of the deployment against what exists in the namespace.',
        evidence: [eventEvidence(mountEv)],
        pod: pod.name,
      });
    } else if (schedEv) {
      out.push({
        id: 'pod-pending-unschedulable',
        severity: 'error',
        title: 'Pod cannot be scheduled',
        cause: 'No node fits the pod (resources, taints or node selector).',
        fix: 'Add nodes or lower the pod\'s requests; the scheduler event says which constraint fails.',
        evidence: [eventEvidence(schedEv)],
        pod: pod.name,
      });
    }
  }
  return out;
}

/** The one validator's first issue with an agent's latest effective.yaml, when the collector would refuse it. */
function effectiveRefusal(input: DoctorInput, instanceUid: string) {
  const norm = (x: string) => x.replace(/-/g, '').toLowerCase();
  const agent = input.agents.find((a) => a.server && norm(a.server.instanceUid) === norm(instanceUid)) ?? (input.agents.length === 1 ? input.agents[0] : undefined);
  const content = agent?.effectiveConfig.at(-1)?.content;
  if (content === undefined) return undefined;
  const v = validateCollectorConfig(content);
  return v.ok ? undefined : { issue: v.issues[0]!, pod: agent!.pod };
}

export function remoteConfigFailed(input: DoctorInput): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const a of input.serverAgents) {
    const rc = a.remoteConfig;
    if (rc?.status !== 'FAILED') continue;
    const err = rc.errorMessage ?? '(no error message)';
    const timeout = /apply timeout/i.test(err);
    const refused = timeout ? effectiveRefusal(input, a.instanceUid) : undefined;
    const evidence: Evidence[] = [{ kind: 'server', text: `RemoteConfigStatus FAILED: ${err}${rc.lastHash ? ` (hash ${rc.lastHash.slice(0, 12)})` : ''}`, source: `server agent ${a.instanceUid}` }];
    if (refused) evidence.push({ kind: 'file', text: formatIssue(refused.issue), source: '/storage/effective.yaml' });
    const collectorLine = lastMatch(input.logs, /^Error: [^\n]*/);
    if (timeout && collectorLine) evidence.push(logEvidence(collectorLine.line));
    const fix = refused?.issue.fix ?? (refused?.issue.suggestion ? `use "${refused.issue.suggestion}"` : undefined);
    out.push({
      id: 'remote-config-failed',
      severity: 'error',
      title: `Remote config FAILED: ${err}`,
      cause: refused
        ? `otelcol-contrib refuses the merged config and exits at startup, so the supervisor restarts it every 5 s and gives up on the overlay: ${refused.issue.message.split('\n')[0]}`
        : timeout
          ? 'The overlay parsed, but the collector did not come up healthy with it within the apply timeout (its error is in /storage/agent.log).'
          : `The supervisor could not merge the overlay: "${err}". The collector keeps the previous config.`,
      fix: refused
        ? `Fix the overlay${fix ? `: ${fix}` : ''}${refused.issue.line !== undefined ? ` (effective.yaml line ${refused.issue.line})` : ''}, then send it again.`
        : 'Fix the overlay (it must be a YAML mapping that merges into collector.yaml; components it names must exist) and send it again.',
      evidence,
      ...(refused ? { pod: refused.pod } : {}),
    });
  }
  if (out.length === 0) {
    const hit = lastMatch(input.logs, /Error composing merged config[^\n]*/);
    if (hit) {
      out.push({
        id: 'remote-config-failed',
        severity: 'error',
        title: 'Remote config FAILED: the supervisor could not merge it',
        cause: 'The overlay is not valid YAML or not a mapping.',
        fix: 'Fix the overlay and send it again.',
        evidence: [logEvidence(hit.line)],
        ...(hit.line.pod ? { pod: hit.line.pod } : {}),
      });
    }
  }
  return out;
}

export function clusterAuth(input: DoctorInput): Diagnosis[] {
  const e = input.clusterError;
  if (!e) return [];
  const text = `${e.message} ${e.detail ?? ''}`;
  const pluginMissing = /executable file not found|command not found|ENOENT|not found in PATH|"?aws"? not found/i.test(text);
  const unauthorized = e.kind === 'auth' || /\b401\b|Unauthorized|You must be logged in/i.test(text);
  const plugin = e.kind === 'plugin' || /exec plugin|get-token|credential/i.test(text);
  if (!pluginMissing && !unauthorized && !plugin) return [];
  const eks = /eks|aws/i.test(text);
  return [
    {
      id: 'cluster-auth',
      severity: 'error',
      title: pluginMissing ? 'The kubeconfig\'s credential plugin is not installed' : unauthorized ? 'The cluster rejected the credentials (401)' : 'The credential plugin failed',
      cause: pluginMissing
        ? `The kubeconfig runs a command to get a token${eks ? ' (aws eks get-token)' : ''} and that command was not found.`
        : unauthorized
          ? `The API server did not accept the token${eks ? ': the AWS identity is not mapped in the cluster (aws-auth / access entries) or the session expired' : ''}.`
          : 'The exec credential plugin exited with an error.',
      fix: eks
        ? 'Install the AWS CLI v2 and check `aws sts get-caller-identity`; refresh the kubeconfig with `aws eks update-kubeconfig --name <cluster>`; make sure your IAM identity has access to the cluster.'
        : 'Run the kubeconfig\'s exec command yourself to see its error, then fix your credentials.',
      evidence: [{ kind: 'note', text: e.detail ? `${e.message}: ${e.detail}` : e.message, source: 'cluster connection' }],
    },
  ];
}

export { eventEvidence };

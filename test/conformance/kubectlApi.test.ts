// The emulator's API as the real kubectl v1.35 uses it, on the lab's own
// manifests (lab/k8s) with simple stand-in containers (the pod emulation has
// its own suite): apply -k, get/describe, rollout, logs, exec, errors,
// server-side apply, dry-run, watch, scale, delete with cascading.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type Sim } from '../../lab/sim/boot';
import { createMiniSandbox } from '../../lab/sim/kube/testing/miniSandbox';
import { eventually } from './eventually';
import { kubectl, repoRoot, shell, tempCacheDir, type KubectlEnv } from './kubectl';

let sim: Sim;
let env: KubectlEnv;
const k = (...args: string[]) => kubectl(env, args);

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-kubectl-'));
  sim = await startSim({
    kubeconfigPath: join(dir, 'kubeconfig'),
    speed: 20,
    runtime: { createSandbox: createMiniSandbox, isKnownImage: (image) => image === 'opamp-agent:v0.1' || image === 'opamp-lab/opamp-server:0.1.0' || image.startsWith('test/') },
  });
  env = { kubeconfig: sim.kubeconfigPath, cacheDir: tempCacheDir() };
});

afterAll(async () => {
  await sim?.close();
});

describe('kubectl v1.35 against the emulator', () => {
  it('serves the lab that `kubectl apply -k lab/k8s` describes, unchanged on re-apply', async () => {
    const r = await k('apply', '-k', join(repoRoot, 'lab/k8s'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual([
      'configmap/opamp-agent-config unchanged',
      'deployment.apps/opamp-agent unchanged',
      'deployment.apps/opamp-server unchanged',
      'namespace/opamp unchanged',
      'service/opamp-server unchanged',
    ]);
  });

  it('prints server-side tables for pods, deployments, services and configmaps', async () => {
    const pods = await eventually('both pods Running', async () => {
      const r = await k('get', 'pods');
      return r.stdout.split('\n').filter((l) => / 1\/1 +Running +0 /.test(l)).length === 2 ? r.stdout : undefined;
    });
    expect(pods.split('\n')[0]).toMatch(/^NAME +READY +STATUS +RESTARTS +AGE$/);
    expect(pods).toMatch(/^opamp-agent-[bcdfghjklmnpqrstvwxz2456789]+-[bcdfghjklmnpqrstvwxz2456789]{5} +1\/1 +Running +0 +\d+s$/m);
    const deploy = await k('get', 'deploy');
    expect(deploy.stdout).toMatch(/^NAME +READY +UP-TO-DATE +AVAILABLE +AGE\nopamp-agent +1\/1 +1 +1 +\d+s\nopamp-server +1\/1 +1 +1 +\d+s\n$/);
    const svc = await k('get', 'svc');
    expect(svc.stdout).toMatch(/opamp-server +ClusterIP +10\.96\.\d+\.\d+ +<none> +4320\/TCP,4321\/TCP,4322\/TCP +\d+s/);
    const cm = await k('get', 'cm', 'opamp-agent-config');
    expect(cm.stdout).toMatch(/opamp-agent-config +2 +\d+s/);
    const nodes = await k('get', 'nodes');
    expect(nodes.stdout).toMatch(/^NAME +STATUS +ROLES +AGE +VERSION\nopamp-lab-control-plane +Ready +control-plane +\d+s +v1\.35\.0\n$/);
    const ep = await k('get', 'endpoints', 'opamp-server');
    expect(ep.stderr).toBe('Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n');
    expect(ep.stdout).toMatch(/opamp-server +10\.244\.0\.\d+:4320,10\.244\.0\.\d+:4321,10\.244\.0\.\d+:4322/);
  });

  it('selects pods by label and prints jsonpath as the guide does', async () => {
    const r = await shell(env, `POD=$(kubectl -n opamp get pod -l app=opamp-agent -o jsonpath='{.items[0].metadata.name}'); echo "pod=$POD"`);
    expect(r.stdout).toMatch(/^pod=opamp-agent-\w+-\w{5}\n$/);
    for (const selector of ['app in (opamp-agent)', 'app!=opamp-server', 'app=opamp-agent,pod-template-hash', '!nolabel,app=opamp-agent', 'app notin (opamp-server)']) {
      const s = await k('get', 'pods', '-l', selector, '-o', 'name');
      expect(s.stdout, selector).toMatch(/^pod\/opamp-agent-\w+-\w{5}\n$/);
    }
    const f = await k('get', 'pods', '--field-selector', 'status.phase=Running', '-o', 'name');
    expect(f.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('restarts the agent: new ReplicaSet and pod, `rollout status` reports success', async () => {
    const before = (await k('get', 'pod', '-l', 'app=opamp-agent', '-o', 'jsonpath={.items[0].metadata.name}')).stdout;
    const restart = await k('-n', 'opamp', 'rollout', 'restart', 'deploy/opamp-agent');
    expect(restart.stdout).toBe('deployment.apps/opamp-agent restarted\n');
    const status = await kubectl(env, ['-n', 'opamp', 'rollout', 'status', 'deploy/opamp-agent', '--timeout=180s'], { timeoutMs: 60_000 });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/deployment "opamp-agent" successfully rolled out\n$/);
    const rs = await k('get', 'rs', '-l', 'app=opamp-agent');
    expect(rs.stdout).toMatch(/opamp-agent-\w+ +1 +1 +1 /);
    expect(rs.stdout).toMatch(/opamp-agent-\w+ +0 +0 +0 /);
    const after = await eventually('the old pod gone', async () => {
      const names = (await k('get', 'pod', '-l', 'app=opamp-agent', '-o', 'jsonpath={.items[*].metadata.name}')).stdout.split(' ');
      return names.length === 1 && names[0] !== before ? names[0] : undefined;
    });
    expect(after).toMatch(/^opamp-agent-\w+-\w{5}$/);
    const events = await k('events', '--for', 'deploy/opamp-agent');
    expect(events.stdout).toMatch(/Normal +ScalingReplicaSet +Deployment\/opamp-agent +Scaled up replica set opamp-agent-\w+ from 0 to 1/);
    const history = await k('rollout', 'history', 'deploy/opamp-agent');
    expect(history.stdout).toMatch(/REVISION +CHANGE-CAUSE\n1 +<none>\n2 +<none>/);
  });

  it('`rollout status` prints the progress of a rollout whose new pod takes time to be ready', async () => {
    // Ready 5 s after it starts: each `rollout status` must begin while the rollout is still under way,
    // which after a kubectl process start on a loaded machine 1.5 s does not always leave.
    const manifest = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: slow\nspec:\n  selector:\n    matchLabels: {app: slow}\n  template:\n    metadata:\n      labels: {app: slow}\n    spec:\n      containers:\n        - name: main\n          image: test/slow:1\n          env: [{name: READY_AFTER_MS, value: "5000"}]\n';
    await kubectl(env, ['apply', '-f', '-'], { stdin: manifest });
    const first = await kubectl(env, ['rollout', 'status', 'deploy/slow', '--timeout=30s'], { timeoutMs: 40_000 });
    expect(first.stdout).toContain('Waiting for deployment "slow" rollout to finish: 0 of 1 updated replicas are available...\n');
    expect(first.stdout).toMatch(/deployment "slow" successfully rolled out\n$/);
    await k('rollout', 'restart', 'deploy/slow');
    const second = await kubectl(env, ['rollout', 'status', 'deploy/slow', '--timeout=30s'], { timeoutMs: 40_000 });
    expect(second.stdout).toContain('Waiting for deployment "slow" rollout to finish: 1 old replicas are pending termination...\n');
    expect(second.stdout).toMatch(/deployment "slow" successfully rolled out\n$/);
    await k('delete', 'deploy', 'slow');
  }, 90_000);

  it('`rollout status` fails once an unpullable image exceeds the progress deadline', async () => {
    // The deadline counts from a whole-second stamp (as metav1.Time does), so 6 s is 5 to 6 s: room for
    // `rollout status` to start and see the rollout under way before it is declared failed.
    const manifest = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: unpullable\nspec:\n  progressDeadlineSeconds: 6\n  selector:\n    matchLabels: {app: unpullable}\n  template:\n    metadata:\n      labels: {app: unpullable}\n    spec:\n      containers:\n        - name: main\n          image: opamp-agent:v9.9\n';
    await kubectl(env, ['apply', '-f', '-'], { stdin: manifest });
    const status = await kubectl(env, ['rollout', 'status', 'deploy/unpullable', '--timeout=30s'], { timeoutMs: 40_000 });
    expect(status.code).toBe(1);
    expect(status.stdout).toContain('Waiting for deployment "unpullable" rollout to finish: 0 of 1 updated replicas are available...');
    expect(status.stderr).toBe('error: deployment "unpullable" exceeded its progress deadline\n');
    const pods = await k('get', 'pods', '-l', 'app=unpullable');
    expect(pods.stdout).toMatch(/unpullable-\w+-\w{5} +0\/1 +(ErrImagePull|ImagePullBackOff) +0 /);
    await k('delete', 'deploy', 'unpullable');
  }, 60_000);

  it('reads logs through deploy/ with --since, --tail and --timestamps', async () => {
    const since = await eventually('agent logs', async () => {
      const r = await k('-n', 'opamp', 'logs', 'deploy/opamp-agent', '-c', 'agent', '--since=5m');
      return r.code === 0 && r.stdout.includes('tick 2') ? r.stdout : undefined;
    });
    expect(since).toMatch(/^hello from opamp-agent-\w+-\w{5}\ntick 1\n/);
    const tail = await k('-n', 'opamp', 'logs', 'deploy/opamp-agent', '-c', 'agent', '--tail=2', '--timestamps');
    expect(tail.stdout).toMatch(/^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z tick \d+\n){2}$/);
    const wrong = await k('logs', 'deploy/opamp-agent', '-c', 'nope');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^error: container nope is not valid for pod opamp-agent-\w+-\w{5}\n$/);
    const raw = await k('get', '--raw', `/api/v1/namespaces/opamp/pods/${(await k('get', 'pod', '-l', 'app=opamp-agent', '-o', 'jsonpath={.items[0].metadata.name}')).stdout}/log?container=nope`);
    expect(raw.stderr).toMatch(/^Error from server \(BadRequest\): container nope is not valid for pod opamp-agent-\w+-\w{5}\n$/);
  });

  it('logs and logs --previous of a container in CrashLoopBackOff both show its last run, as the kubelet does', async () => {
    const manifest = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: crasher\nspec:\n  selector:\n    matchLabels: {app: crasher}\n  template:\n    metadata:\n      labels: {app: crasher}\n    spec:\n      containers:\n        - name: main\n          image: test/crash:1\n';
    await kubectl(env, ['apply', '-f', '-'], { stdin: manifest });
    // From the third restart on, the back-off (40 s / speed 20 = 2 s) outlasts the two reads below.
    await eventually('CrashLoopBackOff after 3 restarts', async () => /CrashLoopBackOff +[3-9] /.test((await k('get', 'pods', '-l', 'app=crasher')).stdout), 20_000);
    const [current, previous] = await Promise.all([k('logs', 'deploy/crasher'), k('logs', 'deploy/crasher', '--previous')]);
    expect(current.stdout).toMatch(/^starting \w+\nfatal: crashing\n$/);
    expect(previous.stdout).toBe(current.stdout);
    await k('delete', 'deploy', 'crasher');
  });

  it('execs over WebSocket with exit codes, stdin and -it without a terminal', async () => {
    const pod = (await k('get', 'pod', '-l', 'app=opamp-agent', '-o', 'jsonpath={.items[0].metadata.name}')).stdout;
    const echo = await k('-n', 'opamp', 'exec', pod, '-c', 'agent', '--', 'echo', 'hello', 'lab');
    expect(echo).toMatchObject({ code: 0, stdout: 'hello lab\n' });
    const it = await k('-n', 'opamp', 'exec', '-it', pod, '-c', 'agent', '--', 'sh', '-c', 'echo hi');
    expect(it.stdout).toBe('hi\n');
    expect(it.stderr).toBe('Unable to use a TTY - input is not a terminal or the right kind of file\n');
    const exit = await k('exec', pod, '--', 'exit', '3');
    expect(exit.code).toBe(3);
    expect(exit.stderr).toBe('command terminated with exit code 3\n');
    const cat = await kubectl(env, ['exec', '-i', pod, '--', 'cat'], { stdin: 'piped text\n' });
    expect(cat.stdout).toBe('piped text\n');
    const missing = await k('exec', pod, '--', 'nope');
    expect(missing.stderr).toContain('exec: "nope": executable file not found in $PATH');
  });

  it('answers errors with real Status reasons', async () => {
    expect((await k('get', 'pod', 'nope')).stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
    expect((await k('get', 'deploy', 'nope')).stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
    // kubectl looks the namespace up itself after a NotFound.
    expect((await k('-n', 'nowhere', 'get', 'cm', 'x')).stderr).toBe('Error from server (NotFound): namespaces "nowhere" not found\n');
    const invalid = await kubectl(env, ['apply', '-f', '-'], { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n' });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('is invalid: metadata.name: Invalid value: "Bad_Name"');
    const typo = await kubectl(env, ['apply', '-f', '-'], { stdin: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: typo\nspec:\n  selector:\n    matchLabels: {app: typo}\n  template:\n    metadata:\n      labels: {app: typo}\n    spec:\n      containers:\n        - name: main\n          imagee: test/printer:1\n' });
    expect(typo.stderr).toBe('Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].imagee"\n');
  });

  it('pipes `create configmap --dry-run=client -o yaml` into `apply -f -`, and supports server-side apply and dry-run', async () => {
    const piped = await shell(env, `cd lab/agent && kubectl -n opamp create configmap opamp-agent-config \\
  --from-file=supervisor.yaml \\
  --from-file=collector.yaml \\
  -o yaml --dry-run=client | kubectl apply -f -`);
    expect(piped.stderr).toBe('');
    // lab/k8s carries the same two files, so there is nothing to change.
    expect(piped.stdout).toBe('configmap/opamp-agent-config unchanged\n');
    const ssa = await k('apply', '--server-side', '-k', join(repoRoot, 'lab/k8s'));
    expect(ssa.code).toBe(0);
    expect(ssa.stdout).toContain('deployment.apps/opamp-agent serverside-applied');
    const dry = await kubectl(env, ['apply', '--dry-run=server', '-f', '-'], { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: only-dry\ndata:\n  a: b\n' });
    expect(dry.stdout).toBe('configmap/only-dry created (server dry run)\n');
    expect((await k('get', 'cm', 'only-dry')).code).toBe(1);
  });

  it('creates namespaces and configmaps with the typed (protobuf) client', async () => {
    expect((await k('create', 'namespace', 'scratch')).stdout).toBe('namespace/scratch created\n');
    const cm = await k('-n', 'scratch', 'create', 'configmap', 'literal', '--from-literal=greeting=hello');
    expect(cm.stdout).toBe('configmap/literal created\n');
    expect((await k('-n', 'scratch', 'get', 'cm', 'literal', '-o', 'jsonpath={.data.greeting}')).stdout).toBe('hello');
    expect((await k('create', 'namespace', 'scratch')).stderr).toBe('Error from server (AlreadyExists): namespaces "scratch" already exists\n');
    const jsonPatch = await k('-n', 'scratch', 'patch', 'cm', 'literal', '--type=json', '-p', '[{"op":"replace","path":"/data/greeting","value":"hi"}]');
    expect(jsonPatch.stdout).toBe('configmap/literal patched\n');
    const mergePatch = await k('-n', 'scratch', 'patch', 'cm', 'literal', '--type=merge', '-p', '{"data":{"extra":"1"}}');
    expect(mergePatch.stdout).toBe('configmap/literal patched\n');
    expect((await k('-n', 'scratch', 'get', 'cm', 'literal', '-o', 'jsonpath={.data}')).stdout).toBe('{"extra":"1","greeting":"hi"}');
    expect((await k('delete', 'namespace', 'scratch')).stdout).toBe('namespace "scratch" deleted\n');
    await eventually('namespace gone', async () => (await k('get', 'ns', 'scratch')).code === 1);
  });

  it('scales, and deletes a deployment with its ReplicaSets and pods', async () => {
    const manifest = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: extra\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: extra}\n  template:\n    metadata:\n      labels: {app: extra}\n    spec:\n      containers:\n        - name: main\n          image: test/printer:1\n';
    expect((await kubectl(env, ['apply', '-f', '-'], { stdin: manifest })).stdout).toBe('deployment.apps/extra created\n');
    expect((await k('scale', 'deploy/extra', '--replicas=2')).stdout).toBe('deployment.apps/extra scaled\n');
    await eventually('two extra pods', async () => (await k('get', 'pods', '-l', 'app=extra', '-o', 'name')).stdout.trim().split('\n').length === 2);
    expect((await k('delete', 'deploy', 'extra', '--cascade=orphan')).stdout).toBe('deployment.apps "extra" deleted from opamp namespace\n');
    const orphans = await k('get', 'rs', '-l', 'app=extra', '-o', 'jsonpath={.items[0].metadata.ownerReferences}');
    expect(orphans.stdout).toBe('');
    expect((await k('get', 'pods', '-l', 'app=extra', '-o', 'name')).stdout.trim().split('\n')).toHaveLength(2);
    expect((await k('delete', 'rs', '-l', 'app=extra')).code).toBe(0);
    await eventually('extra pods and replicasets gone', async () => {
      const r = await k('get', 'rs,pods', '-l', 'app=extra', '-o', 'name');
      return r.stdout === '' ? true : undefined;
    });
  });
  it('creates workloads with the typed (protobuf) clients: create deployment, run, expose, scale, secrets, serviceaccounts', async () => {
    expect((await k('create', 'deployment', 'typed', '--image=test/printer:1', '--replicas=2', '--port=8080')).stdout).toBe('deployment.apps/typed created\n');
    expect((await k('get', 'deploy', 'typed', '-o', 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].ports[0].containerPort} {.spec.strategy.rollingUpdate.maxSurge}')).stdout).toBe('2 8080 25%');
    expect((await k('expose', 'deploy', 'typed', '--port=80', '--target-port=8080')).stdout).toBe('service/typed exposed\n');
    expect((await k('get', 'svc', 'typed', '-o', 'jsonpath={.spec.ports[0].port}/{.spec.ports[0].targetPort} {.spec.selector.app}')).stdout).toBe('80/8080 typed');
    expect((await k('scale', 'deploy', 'typed', '--replicas=1')).stdout).toBe('deployment.apps/typed scaled\n');
    expect((await k('run', 'single', '--image=test/printer:1', '--restart=Never', '--env=GREETING=hi', '--labels=role=single', '--', 'sleep', '60')).stdout).toBe('pod/single created\n');
    expect((await k('get', 'pod', 'single', '-o', 'jsonpath={.spec.containers[0].env[0].value} {.spec.containers[0].args} {.metadata.labels.role} {.spec.serviceAccountName}')).stdout).toBe('hi ["sleep","60"] single default');
    expect((await k('create', 'secret', 'generic', 'creds', '--from-literal=password=hunter2')).stdout).toBe('secret/creds created\n');
    expect((await k('get', 'secret', 'creds', '-o', 'jsonpath={.data.password}')).stdout).toBe(Buffer.from('hunter2').toString('base64'));
    expect((await k('get', 'secret', 'creds')).stdout).toMatch(/^NAME +TYPE +DATA +AGE\ncreds +Opaque +1 +\d+s\n$/);
    expect((await k('create', 'serviceaccount', 'robot')).stdout).toBe('serviceaccount/robot created\n');
    expect((await k('get', 'sa')).stdout).toMatch(/^NAME +SECRETS +AGE\ndefault +0 +\d+s\nrobot +0 +\d+s\n$/);
    for (const what of ['deploy/typed', 'svc/typed', 'pod/single', 'secret/creds', 'sa/robot']) expect((await k('delete', what, '--wait=false')).code).toBe(0);
  });

  it('answers `auth can-i` and `auth whoami` for the lab administrator', async () => {
    expect((await k('auth', 'can-i', '*', '*')).stdout).toBe('yes\n');
    expect((await k('auth', 'can-i', 'create', 'deployments', '-n', 'kube-system')).stdout).toBe('yes\n');
    expect((await k('auth', 'can-i', '--list')).stdout).toMatch(/^Resources +Non-Resource URLs +Resource Names +Verbs\n\*\.\* +\[\] +\[\] +\[\*\]\n/);
    expect((await k('auth', 'whoami')).stdout).toBe('ATTRIBUTE   VALUE\nUsername    opamp-lab-admin\nGroups      [system:masters system:authenticated]\n');
  });

  it('has what every cluster has: service/kubernetes, a default ServiceAccount per namespace, EndpointSlices with their columns', async () => {
    expect((await k('-n', 'default', 'get', 'svc', 'kubernetes')).stdout).toMatch(/^NAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\(S\) +AGE\nkubernetes +ClusterIP +10\.96\.0\.1 +<none> +443\/TCP +\d+/);
    const accounts = await k('get', 'sa', '-A', '-o', 'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name} {end}');
    for (const ns of ['default', 'kube-system', 'opamp']) expect(accounts.stdout).toContain(`${ns}/default `);
    const slices = await k('get', 'endpointslices', '-A');
    expect(slices.stdout).toMatch(/^NAMESPACE +NAME +ADDRESSTYPE +PORTS +ENDPOINTS +AGE\n/);
    expect(slices.stdout).toMatch(/\ndefault +kubernetes +IPv4 +6443 +172\.18\.0\.2 +\d+/);
    expect(slices.stdout).toMatch(/\nopamp +opamp-server-\w{5} +IPv4 +4320,4321,4322 +10\.244\.0\.\d+ +\d+/);
  });
  it('refuses what a real API server refuses, with its field paths and wording (422 Invalid, 400 for undecodable values)', async () => {
    expect((await k('-n', 'opamp', 'patch', 'deploy', 'opamp-agent', '-p', '{"spec":{"replicas":-5}}')).stderr).toBe('The Deployment "opamp-agent" is invalid: spec.replicas: Invalid value: -5: must be greater than or equal to 0\n');
    expect((await k('-n', 'opamp', 'patch', 'cm', 'opamp-agent-config', '-p', '{"data":"notamap"}')).stderr).toBe('The request is invalid: patch: Invalid value: "map[data:notamap]": json: cannot unmarshal string into Go struct field ConfigMap.data of type map[string]string\n');
    expect((await k('-n', 'opamp', 'get', 'cm', 'opamp-agent-config', '-o', 'jsonpath={.data.supervisor\\.yaml}')).stdout).toContain('server:');
    expect((await k('create', 'namespace', 'Bad_NS')).stderr).toMatch(/^The Namespace "Bad_NS" is invalid: metadata\.name: Invalid value: "Bad_NS": a lowercase RFC 1123 label must consist of/);
    expect((await k('-n', 'opamp', 'label', 'deploy', 'opamp-agent', 'bad key!=x')).code).toBe(1);
    const applied = await kubectl(env, ['apply', '-f', '-'], { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nested\ndata:\n  a:\n    b: 1\n' });
    expect(applied.stderr).toBe('Error from server (BadRequest): error when creating "STDIN": ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal object into Go struct field ConfigMap.data of type string\n');
  });
  it('`kubectl explain` prints field structure, types and the schema package\'s descriptions', async () => {
    const containers = await k('explain', 'pod.spec.containers');
    expect(containers.code).toBe(0);
    expect(containers.stdout).toMatch(/^KIND: +Pod\nVERSION: +v1\n\nFIELD: containers <\[\]Container>\n/);
    expect(containers.stdout).toMatch(/\n {2}name\t<string> -required-\n {4}\S/);
    expect(containers.stdout).toMatch(/\n {2}env\t<\[\]EnvVar>\n/);
    expect(containers.stdout).toMatch(/\n {2}ports\t<\[\]ContainerPort>\n/);
    const replicas = await k('explain', 'deployment.spec.replicas');
    expect(replicas.stdout).toMatch(/^GROUP: +apps\nKIND: +Deployment\nVERSION: +v1\n\nFIELD: replicas <integer>\n/);
    const recursive = await k('explain', 'deployment.spec', '--recursive');
    expect(recursive.stdout).toMatch(/\n {2}selector\t<LabelSelector> -required-\n/);
    for (const kind of ['configmap', 'service', 'namespace', 'secret', 'serviceaccount', 'endpointslice', 'replicaset', 'event', 'node']) {
      expect((await k('explain', kind)).code, kind).toBe(0);
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { PodView } from '../state';
import { diagnose, emptyDoctorInput, type DoctorInput } from './diagnose';
import { parse, stringify } from 'yaml';
import { labBaseConfig } from '../collectorConfig/labBase';
import { mergeConfig } from '../collectorConfig/merge';
import { BROKEN_OVERLAYS, GOOD_OVERLAY } from '../collectorConfig/overlayCases';
import { validateOverlayConfig } from '../collectorConfig/validate';

const GOOD_YAML = `server:
  endpoint: wss://opamp-server.opamp.svc.cluster.local:4320/v1/opamp
  tls:
    insecure_skip_verify: true
storage:
  directory: /storage
agent:
  executable: /otelcol-contrib
`;
const SERVICE = { name: 'opamp-server', ports: [{ name: 'opamp', port: 4320 }, { name: 'ui', port: 4321 }, { name: 'rest', port: 4322 }] };

function agentPod(reason?: string, extra: Partial<PodView> = {}): PodView {
  return {
    name: 'opamp-agent-7d9f8c6b5-x2k4q',
    namespace: 'opamp',
    app: 'opamp-agent',
    phase: 'Running',
    ready: !reason,
    terminating: false,
    createdAt: 1,
    containers: [{ name: 'agent', ready: !reason, restartCount: reason ? 4 : 0, state: reason ? 'waiting' : 'running', ...(reason ? { reason } : {}) }],
    ...extra,
  };
}

function input(over: Partial<DoctorInput>): DoctorInput {
  return { ...emptyDoctorInput('opamp'), supervisorYaml: GOOD_YAML, service: SERVICE, ...over };
}
const ids = (i: DoctorInput) => diagnose(i).map((d) => d.id);

describe('doctor', () => {
  it('a healthy lab only gets the insecure_skip_verify warning', () => {
    const d = diagnose(input({ pods: [agentPod()], logs: [{ text: '{"level":"info","msg":"Connected to the server."}' }] }));
    expect(d.map((x) => [x.id, x.severity])).toEqual([['insecure-skip-verify', 'warning']]);
  });

  it('names the invalid key from the real decode error and explains the crash loop', () => {
    const line = "2026/11/25 08:10:01 failed to load config: decoding failed due to the following error(s):";
    const d = diagnose(
      input({
        pods: [agentPod('CrashLoopBackOff')],
        logs: [
          { text: line, previous: true, stream: 'stderr', pod: 'opamp-agent-7d9f8c6b5-x2k4q' },
          { text: "'agent' has invalid keys: id", previous: true, stream: 'stderr', pod: 'opamp-agent-7d9f8c6b5-x2k4q' },
        ],
      }),
    );
    expect(d[0]?.id).toBe('supervisor-invalid-keys');
    expect(d[0]?.title).toContain('id');
    expect(d[0]?.title).toContain('agent');
    expect(d[0]?.evidence[0]?.text).toBe("'agent' has invalid keys: id");
    expect(d[0]?.evidence[0]?.source).toContain('previous');
    const crash = d.find((x) => x.id === 'crash-loop');
    expect(crash?.severity).toBe('info');
  });

  it('top-level invalid key (collector:) is reported as top level', () => {
    const d = diagnose(input({ logs: [{ text: "'config.Supervisor' has invalid keys: collector" }] }));
    expect(d[0]?.title).toMatch(/collector at the top level/);
  });

  it('bad handshake: compares path and port with the Service', () => {
    const yaml = GOOD_YAML.replace(':4320/v1/opamp', ':4321/opamp');
    const d = diagnose(
      input({
        supervisorYaml: yaml,
        logs: [
          { text: '{"level":"error","logger":"supervisor.opamp-client","msg":"Connection failed (websocket: bad handshake), will retry."}' },
          { text: '{"level":"error","msg":"Server responded with status=404 Not Found"}' },
        ],
      }),
    );
    const hs = d.find((x) => x.id === 'opamp-bad-handshake');
    expect(hs?.cause).toContain('path /opamp instead of /v1/opamp');
    expect(hs?.cause).toContain("port 4321 is the Service's ui port");
    expect(hs?.evidence.map((e) => e.text).join('\n')).toContain('status=404');
  });

  it('bad handshake with ws:// names the scheme; unknown port lists the Service ports', () => {
    const yaml = GOOD_YAML.replace('wss://', 'ws://').replace(':4320', ':9999');
    const d = diagnose(input({ supervisorYaml: yaml, logs: [{ text: 'Connection failed (websocket: bad handshake), will retry.' }] }));
    const cause = d.find((x) => x.id === 'opamp-bad-handshake')?.cause ?? '';
    expect(cause).toContain('ws://');
    expect(cause).toContain('port 9999 is not a port of Service opamp-server (4320, 4321, 4322)');
  });

  it('connection refused, and not once connected afterwards', () => {
    const refused = { text: 'Connection failed (dial tcp 10.0.0.5:4320: connect: connection refused), will retry.' };
    expect(ids(input({ logs: [refused] }))).toContain('opamp-connection-refused');
    expect(ids(input({ logs: [refused, { text: '"msg":"Connected to the server."' }] }))).not.toContain('opamp-connection-refused');
  });

  it('collector not running: the stat error and a missing executable', () => {
    const d = diagnose(
      input({
        supervisorYaml: GOOD_YAML.replace('/otelcol-contrib', '/usr/bin/otelcol'),
        logs: [{ text: '2026/11/25 08:00:00 failed to load config: cannot validate supervisor config /supervisor.yaml: could not stat agent::executable path: stat /usr/bin/otelcol: no such file or directory' }],
      }),
    );
    expect(d[0]?.id).toBe('collector-not-running');
    expect(d[0]?.title).toContain('/usr/bin/otelcol');
    const noExe = diagnose(input({ supervisorYaml: GOOD_YAML.replace(/agent:\n.*\n/, '') }));
    expect(noExe[0]?.id).toBe('collector-not-running');
    const spec = diagnose(input({ logs: [{ text: 'failed to load config: cannot validate supervisor config /supervisor.yaml: agent::executable must be specified' }] }));
    expect(spec[0]?.title).toContain('not set');
  });

  it('image pull from ECR without permission', () => {
    const pod = agentPod('ImagePullBackOff');
    const d = diagnose(
      input({
        pods: [pod],
        events: [
          {
            at: 5,
            type: 'Warning',
            reason: 'Failed',
            object: `Pod/${pod.name}`,
            count: 3,
            message: 'Failed to pull image "123456789012.dkr.ecr.eu-west-1.amazonaws.com/opamp-agent:v0.1": failed to resolve reference: unexpected status from HEAD request: 403 Forbidden',
          },
        ],
      }),
    );
    expect(d[0]?.id).toBe('image-pull');
    expect(d[0]?.cause).toContain('ECR');
    expect(d[0]?.evidence.some((e) => e.text.includes('403 Forbidden'))).toBe(true);
  });

  it('unexplained crash loop is an error with the last fatal line', () => {
    const d = diagnose(
      input({
        pods: [agentPod('CrashLoopBackOff')],
        logs: [{ text: '2026/11/25 08:00:00 failed to start supervisor: failed loading initial config: could not compose initial merged config: yaml: line 2' }],
      }),
    );
    const c = d.find((x) => x.id === 'crash-loop');
    expect(c?.severity).toBe('error');
    expect(c?.evidence[1]?.text).toContain('failed to start supervisor');
  });

  it('pending pod: missing ConfigMap named from FailedMount', () => {
    const pod = agentPod(undefined, { phase: 'Pending', ready: false });
    const d = diagnose(
      input({
        pods: [pod],
        events: [{ at: 1, type: 'Warning', reason: 'FailedMount', object: `Pod/${pod.name}`, count: 2, message: 'MountVolume.SetUp failed for volume "config" : configmap "opamp-agent-config" not found' }],
      }),
    );
    expect(d[0]?.id).toBe('pod-pending-mount');
    expect(d[0]?.title).toContain('opamp-agent-config');
  });

  it('remote config FAILED quotes the error', () => {
    const d = diagnose(
      input({
        serverAgents: [{ instanceUid: '0199', connected: true, remoteConfig: { status: 'FAILED', errorMessage: 'yaml: line 3: mapping values are not allowed in this context' } }],
      }),
    );
    expect(d[0]?.title).toContain('mapping values are not allowed');
    expect(d[0]?.evidence[0]?.kind).toBe('server');
  });

  it('EKS authentication: aws not found, and 401', () => {
    const missing = diagnose(
      input({ clusterError: { kind: 'plugin', message: 'exec plugin "aws" not found', detail: 'exec: "aws": executable file not found in $PATH' } }),
    );
    expect(missing[0]?.title).toMatch(/not installed/);
    const denied = diagnose(input({ clusterError: { kind: 'auth', message: 'Unauthorized (401) from https://ABC.gr7.eu-west-1.eks.amazonaws.com' } }));
    expect(denied[0]?.title).toMatch(/401/);
    expect(diagnose(input({ clusterError: { kind: 'unreachable', message: 'connect ECONNREFUSED 127.0.0.1:6443' } })).map((x) => x.id)).not.toContain('cluster-auth');
  });
});

describe('doctor on overlays (the same cases as the validator, the emulated collector and the criteria)', () => {
  const uid = '0199aaaa-bbbb-7ccc-8ddd-eeeeffff0000';
  for (const c of [GOOD_OVERLAY, ...BROKEN_OVERLAYS.filter((x) => x.stage !== 'empty')]) {
    it(`${c.name}: ${c.stage ? 'names the real cause with the fix' : 'finds nothing wrong'}`, () => {
      const collectorLevel = c.stage === 'decode' || c.stage === 'validate' || c.stage === 'build';
      const content = stringify(mergeConfig(labBaseConfig(), collectorLevel || !c.stage ? (parse(c.text) as Record<string, unknown>) : {}), { indent: 4 });
      const errorMessage = collectorLevel ? 'Config apply timeout exceeded' : 'yaml: line 3: found character that cannot start any token';
      const d = diagnose(input({
        pods: [agentPod()],
        logs: [{ text: '{"level":"info","msg":"Connected to the server."}' }],
        serverAgents: c.stage ? [{ instanceUid: uid, connected: true, healthy: !collectorLevel, remoteConfig: { status: 'FAILED', lastHash: 'abc', errorMessage } }] : [{ instanceUid: uid, connected: true, remoteConfig: { status: 'APPLIED', lastHash: 'abc' } }],
        agents: [{ pod: 'opamp-agent-7d9f8c6b5-x2k4q', criteria: [], processes: [], probe: { status: 'running' }, server: { instanceUid: uid, connected: true }, effectiveConfig: [{ sha256: 'x', size: content.length, mtime: 1, seenAt: 1, content, origins: [] }] }],
      }));
      const rc = d.find((x) => x.id === 'remote-config-failed');
      expect(d.some((x) => /executable/.test(`${x.title} ${x.cause} ${x.fix}`))).toBe(false);
      if (!c.stage) { expect(rc).toBeUndefined(); return; }
      expect(rc).toBeDefined();
      if (collectorLevel) {
        const v = validateOverlayConfig(c.text, labBaseConfig());
        expect(rc!.cause).toContain(v.issues[0]!.message.split('\n')[0]);
        expect(rc!.fix).toMatch(/^Fix the overlay: .+, then send it again\.$/);
        expect(rc!.evidence.map((e) => e.text).join('\n')).toContain(v.issues[0]!.message.split('\n')[0]);
      } else {
        expect(rc!.cause).toContain('could not merge the overlay');
      }
    });
  }
});

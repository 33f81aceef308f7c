import { describe, expect, it } from 'vitest';
import { displayCommand, parseKubectlArgs, verifyStepOf } from './kubectlArgs';

const exec = (script: string, target = 'opamp-agent-6f4c54657-8jzzt', extra: string[] = []) => ['-n', 'opamp', 'exec', '-it', target, '-c', 'agent', ...extra, '--', 'sh', '-c', script];

describe('kubectl argv', () => {
  it('reads namespace, container, verb, target and the remote command in any order', () => {
    expect(parseKubectlArgs(exec('ps -ef'))).toEqual({ verb: 'exec', namespace: 'opamp', container: 'agent', positional: ['opamp-agent-6f4c54657-8jzzt'], remote: ['sh', '-c', 'ps -ef'] });
    expect(parseKubectlArgs(['logs', '--namespace=team-a', 'deploy/opamp-agent', '--container', 'agent', '--since=5m'])).toMatchObject({ verb: 'logs', namespace: 'team-a', container: 'agent', positional: ['deploy/opamp-agent'] });
    expect(parseKubectlArgs(['-nopamp', 'get', 'pod', '-l', 'app=opamp-agent', '-o', 'jsonpath={.items[0].metadata.name}'])).toMatchObject({ verb: 'get', namespace: 'opamp', positional: ['pod'] });
  });

  it('tells which verification step a command performs', () => {
    expect(verifyStepOf(exec('ps -ef | egrep "opampsupervisor|otelcol-contrib"'))).toBe('verify-processes');
    expect(verifyStepOf(['-n', 'opamp', 'exec', '-it', 'opamp-agent-6f4c54657-8jzzt', '-c', 'agent', '--', 'ps', '-ef'])).toBe('verify-processes');
    expect(verifyStepOf(['-n', 'opamp', 'logs', 'deploy/opamp-agent', '-c', 'agent', '--since=5m'])).toBe('verify-connection');
    expect(verifyStepOf(exec('ls -l /storage/effective.yaml && head -n 40 /storage/effective.yaml'))).toBe('verify-effective');
    expect(verifyStepOf(['-n', 'opamp', 'exec', '-it', 'opamp-agent-6f4c54657-8jzzt', '-c', 'agent', '--', 'cat', '/storage/effective.yaml'])).toBe('verify-effective');
    expect(verifyStepOf(exec('grep -R "test_opamp" -n /storage/effective.yaml'))).toBe('verify-applied');
    expect(verifyStepOf(exec('grep -R "test_opamp" -n /storage/effective.yaml', 'deploy/opamp-agent'))).toBe('verify-applied');
    // Not the agent container, not an agent pod, not a verification.
    expect(verifyStepOf(exec('ps -ef', 'opamp-server-5d9f8-abcde'))).toBeUndefined();
    expect(verifyStepOf(['exec', 'opamp-agent-6f4c54657-8jzzt', '-c', 'sidecar', '--', 'ps'])).toBeUndefined();
    expect(verifyStepOf(exec('cat /supervisor.yaml'))).toBeUndefined();
    expect(verifyStepOf(['-n', 'opamp', 'get', 'pods'])).toBeUndefined();
  });

  it('shows a command re-quoted for the shell', () => {
    expect(displayCommand(exec('ps -ef'))).toBe("kubectl -n opamp exec -it opamp-agent-6f4c54657-8jzzt -c agent -- sh -c 'ps -ef'");
    expect(displayCommand(['get', 'x'.repeat(300)], 20)).toHaveLength(20);
  });
});

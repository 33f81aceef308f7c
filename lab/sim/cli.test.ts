import { describe, expect, it } from 'vitest';
import { parseSimArgs } from './cli';

describe('opamp-lab sim arguments', () => {
  it('reads --port, --kubeconfig and --replicas in both spellings', () => {
    expect(parseSimArgs(['--port', '6443', '--kubeconfig=/tmp/k', '--replicas', '2'])).toEqual({ port: 6443, kubeconfigPath: '/tmp/k', replicas: 2 });
    expect(parseSimArgs(['--help'])).toEqual({ help: true });
    expect(parseSimArgs(['--blank'])).toEqual({ blank: true });
  });

  it('explains bad input', () => {
    expect(() => parseSimArgs(['--port', 'x'])).toThrow('--port must be a whole number from 0 to 65535, got "x"');
    expect(() => parseSimArgs(['--replicas'])).toThrow('--replicas needs a value');
    expect(() => parseSimArgs(['--nope'])).toThrow('unknown option --nope');
  });
});

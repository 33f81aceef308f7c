import { describe, expect, it } from 'vitest';
import { exportLine, shQuote } from './shellQuote';

describe('shell quoting', () => {
  it('leaves plain paths bare and single-quotes the rest, quotes included', () => {
    expect(shQuote('/home/a/.config/opamp-lab/embedded.kubeconfig')).toBe('/home/a/.config/opamp-lab/embedded.kubeconfig');
    expect(shQuote('/Users/a b/OpAMP Lab/k')).toBe("'/Users/a b/OpAMP Lab/k'");
    expect(shQuote("it's")).toBe("'it'\\''s'");
    expect(shQuote('')).toBe("''");
    expect(exportLine('KUBECONFIG', '/a/sel.kubeconfig:/home/a/.kube/config')).toBe('export KUBECONFIG=/a/sel.kubeconfig:/home/a/.kube/config');
    expect(exportLine('KUBECONFIG', '/x/$HOME')).toBe("export KUBECONFIG='/x/$HOME'");
  });
});

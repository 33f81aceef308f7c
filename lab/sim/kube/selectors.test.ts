import { describe, expect, it } from 'vitest';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import type { KubeObject } from './types';

const pod = (labels: Record<string, string>, phase = 'Running'): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'opamp', labels }, status: { phase } });

describe('label selectors', () => {
  it.each([
    ['app=opamp-agent', true],
    ['app==opamp-agent', true],
    ['app!=opamp-agent', false],
    ['app in (x, opamp-agent)', true],
    ['app notin (opamp-agent)', false],
    ['tier', false],
    ['!tier', true],
    ['app=opamp-agent,tier', false],
    ['app in (opamp-agent),!tier', true],
  ])('%s → %s', (selector, expected) => {
    expect(parseLabelSelector(selector)(pod({ app: 'opamp-agent' }))).toBe(expected);
  });

  it('rejects what it cannot parse', () => {
    expect(() => parseLabelSelector('a b c')).toThrow(/unable to parse requirement/);
  });
});

describe('field selectors', () => {
  it('matches metadata.name, metadata.namespace and status.phase', () => {
    expect(parseFieldSelector('pods', 'metadata.name=p,status.phase=Running')(pod({}))).toBe(true);
    expect(parseFieldSelector('pods', 'status.phase!=Running')(pod({}))).toBe(false);
    expect(parseFieldSelector('pods', 'metadata.namespace=other')(pod({}))).toBe(false);
  });
});

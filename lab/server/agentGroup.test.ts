import { describe, expect, it } from 'vitest';
import { agentGroup, workloadOfHost } from './agentGroup';

const desc = (attrs: Record<string, string>) => ({
  nonIdentifyingAttributes: Object.entries(attrs).map(([key, v]) => ({ key, value: { stringValue: v } })),
});

describe('agent groups', () => {
  it('strips the Deployment pod suffix and a random DaemonSet suffix, keeps plain names', () => {
    expect(workloadOfHost('otel-agent-7d4b9c8f6-abcde')).toBe('otel-agent');
    expect(workloadOfHost('otel-agent-5f7c9d8b4-x2k9p')).toBe('otel-agent');
    expect(workloadOfHost('node-agent-x7k2p')).toBe('node-agent');
    expect(workloadOfHost('my-agent')).toBe('my-agent');
    expect(workloadOfHost('laptop.local')).toBe('laptop.local');
  });

  it('falls back to service.name, then to the instance uid', () => {
    expect(agentGroup(desc({ 'host.name': 'otel-agent-7d4b9c8f6-abcde', 'service.name': 'x' }), 'u')).toBe('host:otel-agent');
    expect(agentGroup(desc({ 'service.name': 'otelcol-contrib' }), 'u')).toBe('service:otelcol-contrib');
    expect(agentGroup(undefined, 'abc')).toBe('uid:abc');
  });
});

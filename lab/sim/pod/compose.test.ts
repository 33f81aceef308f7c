import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { LAB_COLLECTOR_YAML } from '../../../shared/collectorConfig/labBase';
import { composeEffectiveConfig, mergeConfig } from './compose';

const COLLECTOR = 'receivers:\n  otlp:\n    protocols:\n      grpc:\nexporters:\n  debug: {}\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      processors: [batch]\n      exporters: [debug]\n';
const base = { instanceUid: '0199aaaa-bbbb-7ccc-8ddd-eeeeffff0000', supervisorPid: 1, opampLocalPort: 40001, resource: { 'service.name': 'otelcol-contrib' }, localConfigs: [COLLECTOR] };

describe('composeEffectiveConfig', () => {
  it('sorts keys, indents by 4 and adds the opamp extension', () => {
    const out = composeEffectiveConfig(base);
    expect(out.split('\n').filter((l) => /^\S/.test(l))).toEqual(['exporters:', 'extensions:', 'receivers:', 'service:']);
    expect(out).toContain('\n    opamp:\n        capabilities:\n');
    expect(out).toContain('grpc: null');
    expect((parse(out) as any).service.extensions).toEqual(['opamp']);
  });

  it('applies the remote config last, replacing lists and keeping extensions', () => {
    const out = parse(composeEffectiveConfig({ ...base, remote: { '': 'processors:\n  attributes/test_opamp: {}\nservice:\n  extensions: [health_check]\n  pipelines:\n    traces:\n      processors: [attributes/test_opamp]\n' } })) as any;
    expect(out.service.pipelines.traces).toEqual({ receivers: ['otlp'], processors: ['attributes/test_opamp'], exporters: ['debug'] });
    expect(out.service.extensions).toEqual(['opamp', 'health_check']);
  });

  it('fails on invalid remote YAML and names unknown components', () => {
    expect(() => composeEffectiveConfig({ ...base, remote: { '': 'a: [' } })).toThrow(/^yaml: line \d+: /);
    expect(() => composeEffectiveConfig({ ...base, remote: { '': '- a\n- b\n' } })).toThrow(/cannot unmarshal !!seq into map\[string\]interface \{\}/);
    expect(mergeConfig({ a: { b: 1, c: 2 } }, { a: { c: 3 } })).toEqual({ a: { b: 1, c: 3 } });
  });
});

describe('the base an overlay lands on', () => {
  it('is lab/agent/collector.yaml (the editor validates overlays merged onto this copy)', () => {
    expect(readFileSync(new URL('../../agent/collector.yaml', import.meta.url), 'utf8')).toBe(LAB_COLLECTOR_YAML);
  });
});

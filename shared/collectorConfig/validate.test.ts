import { describe, expect, it } from 'vitest';
import { LAB_COLLECTOR_YAML, labBaseConfig } from './labBase';
import { BROKEN_OVERLAYS, GOOD_OVERLAY } from './overlayCases';
import { OTELCOL_CONTRIB_COMPONENTS, OTELCOL_CONTRIB_VERSION } from './otelcolContribComponents';
import { formatIssue, validateCollectorConfig, validateOverlayConfig } from './validate';
import { parse, stringify } from 'yaml';
import { mergeConfig } from './merge';

const base = labBaseConfig();

describe('collector config validator (otelcol-contrib 0.136 rules)', () => {
  it('carries the generated component list of its release', () => {
    expect(OTELCOL_CONTRIB_VERSION).toBe('0.136.0');
    expect(OTELCOL_CONTRIB_COMPONENTS.processors).toEqual(expect.arrayContaining(['attributes', 'batch', 'memory_limiter', 'resourcedetection']));
    expect(OTELCOL_CONTRIB_COMPONENTS.extensions).toContain('opamp');
    expect(OTELCOL_CONTRIB_COMPONENTS.exporters).not.toContain('logging');
  });

  it("accepts the guide's overlay and the base alone", () => {
    expect(validateOverlayConfig(GOOD_OVERLAY.text, base)).toMatchObject({ ok: true, issues: [] });
    expect(validateCollectorConfig(stringify(base)).ok).toBe(true);
  });

  for (const c of BROKEN_OVERLAYS.filter((c) => c.stage !== 'empty')) {
    it(`refuses ${c.name} at the ${c.stage} stage, in otelcol's words`, () => {
      const v = validateOverlayConfig(c.text, base);
      expect(v.ok).toBe(false);
      expect(v.stage).toBe(c.stage);
      const first = v.issues[0]!;
      if (c.message) expect(first.message).toMatch(c.message);
      if (c.suggestion) expect(first.suggestion).toBe(c.suggestion);
      if (c.line) expect(first.line).toBe(c.line);
      expect(first.fix ?? first.message).toBeTruthy();
      // The same rule on the merged file the collector loads gives the same text.
      if (c.stage !== 'yaml') {
        const merged = stringify(mergeConfig(base, parse(c.text) as Record<string, unknown>));
        expect(validateCollectorConfig(merged).issues[0]!.message).toBe(first.message);
      }
    });
  }

  it('prints the startup error as otelcol does', () => {
    const typo = validateOverlayConfig(BROKEN_OVERLAYS[0]!.text, base);
    expect(typo.startupError).toBe("failed to get config: cannot unmarshal the configuration: decoding failed due to the following error(s):\n\n'' has invalid keys: procesors");
    const ref = validateOverlayConfig(BROKEN_OVERLAYS[1]!.text, base);
    expect(ref.startupError).toBe('invalid configuration: service::pipelines::traces: references processor "attributes/missing" which is not configured');
    expect(formatIssue(typo.issues[0]!)).toBe(`line 1, column 1: '' has invalid keys: procesors (did you mean "processors"?)`);
  });

  it('checks the settings of the components the lab uses', () => {
    const cfg = (extra: string) => validateCollectorConfig(`${LAB_COLLECTOR_YAML}${extra}`);
    expect(cfg('processors:\n  batch:\n    send_batch_size: 100\n    send_batch_max_size: 10\n').issues[0]?.message).toBe('processors::batch: send_batch_max_size must be greater or equal to send_batch_size');
    expect(cfg('processors:\n  memory_limiter:\n    limit_mib: 100\n').issues[0]?.message).toBe("processors::memory_limiter: 'check_interval' must be greater than zero");
    expect(cfg('processors:\n  memory_limiter:\n    check_interval: 1x\n').issues[0]?.message).toMatch(/time: invalid duration "1x"/);
    expect(cfg('processors:\n  resourcedetection:\n    detectors: env\n    override: maybe\n').issues[0]?.message).toMatch(/'override' expected type 'bool'/);
    expect(cfg('extensions:\n  health_check: {}\n').ok).toBe(true);
    expect(validateCollectorConfig(LAB_COLLECTOR_YAML.replace('verbosity: detailed', 'verbosity: loud')).issues[0]).toMatchObject({ message: expect.stringMatching(/unknown metrics level "loud"/) as unknown, line: 11 });
    expect(validateCollectorConfig(LAB_COLLECTOR_YAML.replace('      http:', '      htp:')).issues[0]).toMatchObject({ message: "error decoding 'receivers': error reading configuration for \"otlp\": 'protocols' has invalid keys: htp", suggestion: 'http' });
    expect(validateOverlayConfig('exporters:\n  otlp/up: {}\n', base).issues[0]?.message).toBe('exporters::otlp/up: requires a non-empty "endpoint"');
    expect(validateOverlayConfig('service:\n  extensions: [health_check]\n', base).issues[0]?.message).toBe('service::extensions: references extension "health_check" which is not configured');
    expect(validateOverlayConfig('exporters:\n  logging: {}\n', base).issues[0]?.message).toBe("error decoding 'exporters': the logging exporter has been deprecated, use the debug exporter instead");
  });

  it('judges an unused component by its settings but does not build it', () => {
    const v = validateOverlayConfig('processors:\n  attributes/unused:\n    actions:\n      - key: a\n        action: insrt\n', base);
    expect(v.ok).toBe(true);
  });
});

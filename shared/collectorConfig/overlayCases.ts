// The guide's overlay and the broken ones people write (issue 11), shared by the tests of every side
// that judges an overlay (validator, editor, emulated collector, criteria, doctor), so all give the
// same verdict for the same text. `stage` is where otelcol-contrib + opampsupervisor refuse it:
// 'yaml' → the supervisor cannot merge it (FAILED at once, the collector keeps running);
// 'decode' | 'validate' | 'build' → the collector exits at startup (FAILED "Config apply timeout exceeded");
// 'empty' → nothing to merge.
import { TEST_OPAMP_OVERLAY } from '../guideOverlays';

export interface OverlayCase { name: string; text: string; stage?: 'yaml' | 'decode' | 'validate' | 'build' | 'empty'; message?: RegExp; suggestion?: string; line?: number }

export const GOOD_OVERLAY: OverlayCase = { name: "the guide's overlay", text: TEST_OPAMP_OVERLAY };

export const BROKEN_OVERLAYS: readonly OverlayCase[] = [
  { name: 'typo procesors', stage: 'decode', text: TEST_OPAMP_OVERLAY.replace('processors:\n  attributes', 'procesors:\n  attributes'), message: /^'' has invalid keys: procesors$/, suggestion: 'processors', line: 1 },
  { name: 'reference to nothing', stage: 'validate', text: TEST_OPAMP_OVERLAY.replace('processors: [attributes/test_opamp]', 'processors: [attributes/missing]'), message: /^service::pipelines::traces: references processor "attributes\/missing" which is not configured$/, line: 11 },
  { name: 'a collector: block', stage: 'decode', text: `collector:\n${TEST_OPAMP_OVERLAY.replace(/^(?=.)/gm, '  ')}`, message: /^'' has invalid keys: collector$/, line: 1 },
  { name: 'action: insrt', stage: 'build', text: TEST_OPAMP_OVERLAY.replace('action: insert', 'action: insrt'), message: /failed to create "attributes\/test_opamp" processor, in pipeline "traces": error creating AttrProc due to unsupported action "insrt" at the 0-th actions$/, suggestion: 'insert', line: 6 },
  { name: 'unknown type attribute', stage: 'decode', text: TEST_OPAMP_OVERLAY.replaceAll('attributes/test_opamp', 'attribute'), message: /^error decoding 'processors': unknown type: "attribute" for id: "attribute" \(valid values: \[.*\battributes\b.*\]\)$/, suggestion: 'attributes', line: 2 },
  { name: 'tabs', stage: 'yaml', text: TEST_OPAMP_OVERLAY.replace('  attributes/test_opamp:\n    actions:', '  attributes/test_opamp:\n\tactions:'), message: /^yaml: line 3: found character that cannot start any token$/, line: 3 },
  { name: 'a list', stage: 'yaml', text: '- processors:\n    attributes/test_opamp: {}\n', message: /cannot unmarshal !!seq into map\[string\]interface \{\}/ },
  { name: 'empty', stage: 'empty', text: '# nothing here\n' },
  { name: 'invalid YAML', stage: 'yaml', text: 'processors:\n  attributes/test_opamp:\n    actions: [\n', message: /^yaml: line \d+: / },
  { name: 'pipeline without exporters', stage: 'validate', text: 'service:\n  pipelines:\n    traces/extra:\n      receivers: [otlp]\n', message: /^service::pipelines::traces\/extra: must have at least one exporter$/, line: 3 },
  { name: 'missing key', stage: 'build', text: TEST_OPAMP_OVERLAY.replace('      - key: opamp.ui_test\n        value', '      - value'), message: /error creating AttrProc due to missing required field "key" at the 0-th actions$/ },
  { name: 'misspelt setting', stage: 'decode', text: TEST_OPAMP_OVERLAY.replace('value: "hello', 'vaule: "hello'), message: /^error decoding 'processors': error reading configuration for "attributes\/test_opamp": 'actions\[0\]' has invalid keys: vaule$/, suggestion: 'value', line: 5 },
];

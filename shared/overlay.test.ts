import { describe, expect, it } from 'vitest';
import { TEST_OPAMP_OVERLAY } from './guideOverlays';
import { getPath, overlayKeyPaths, validateOverlay } from './overlay';

// The guide's overlay (lab/overlays/test_opamp.yaml, kept in step by guideOverlays).
const guideOverlay = TEST_OPAMP_OVERLAY;

describe('overlay validation', () => {
  it('accepts the guide overlay and lists its leaf key paths', () => {
    const v = validateOverlay(guideOverlay);
    expect(v.ok).toBe(true);
    expect(v.keyPaths).toEqual(['processors.attributes/test_opamp.actions', 'service.pipelines.traces.processors']);
    expect(overlayKeyPaths(guideOverlay)?.[0]).toEqual(['processors', 'attributes/test_opamp', 'actions']);
  });

  it('reports a syntax error with its line and column', () => {
    const v = validateOverlay('processors:\n  batch: {\n  x: [\n');
    expect(v.ok).toBe(false);
    expect(v.errors[0]?.line).toBeGreaterThanOrEqual(2);
    expect(v.errors[0]?.col).toBeGreaterThanOrEqual(1);
  });

  it('rejects duplicate keys, tabs, a list, a scalar and an empty text', () => {
    expect(validateOverlay('a: 1\na: 2\n').ok).toBe(false);
    expect(validateOverlay('a:\n\tb: 1\n').ok).toBe(false);
    expect(validateOverlay('- a\n- b\n').errors[0]?.message).toMatch(/must be a YAML mapping.*a list/);
    expect(validateOverlay('hello').errors[0]?.message).toMatch(/plain string/);
    expect(validateOverlay('  \n# only a comment\n').errors[0]?.message).toMatch(/empty/);
  });

  it('follows key paths through maps', () => {
    expect(getPath({ a: { b: null } }, ['a', 'b'])).toEqual({ found: true, value: null });
    expect(getPath({ a: { b: 1 } }, ['a', 'c']).found).toBe(false);
    expect(getPath({ a: [1] }, ['a', '0']).found).toBe(false);
  });
});

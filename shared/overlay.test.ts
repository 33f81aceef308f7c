import { describe, expect, it } from 'vitest';
import { TEST_OPAMP_OVERLAY } from './guideOverlays';
import { getPath, overlayKeyPaths, validateOverlay } from './overlay';
import { BROKEN_OVERLAYS, GOOD_OVERLAY } from './collectorConfig/overlayCases';

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

describe("the editor's verdict (validateOverlay, what the LabApi returns) on the shared overlay cases", () => {
  it("accepts the guide's overlay for the collector too", () => {
    expect(validateOverlay(GOOD_OVERLAY.text)).toMatchObject({ ok: true, collector: { ok: true, errors: [] } });
  });
  for (const c of BROKEN_OVERLAYS) {
    it(`refuses ${c.name}`, () => {
      const v = validateOverlay(c.text);
      if (c.stage === 'yaml' || c.stage === 'empty') {
        // Not a YAML mapping: refused before the collector's rules (the supervisor cannot merge it).
        expect(v.ok).toBe(false);
        expect(v.errors.length).toBeGreaterThan(0);
        return;
      }
      expect(v.ok).toBe(true);
      expect(v.collector?.ok).toBe(false);
      expect(v.collector?.stage).toBe(c.stage);
      if (c.message) expect(v.collector?.errors[0]?.message).toMatch(c.message);
      if (c.line) expect(v.collector?.errors[0]?.line).toBe(c.line);
      if (c.suggestion) expect(v.collector?.errors[0]?.suggestion).toBe(c.suggestion);
    });
  }
});

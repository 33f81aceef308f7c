// The Electron binary cannot run here, so the shell's security settings are
// checked in its source (its types are checked by `npm run typecheck`).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, isSafeExternalUrl } from '../../electron/security';

const read = (file: string) => readFileSync(new URL(`../../electron/${file}`, import.meta.url), 'utf8');

describe('Electron shell', () => {
  const main = read('main.ts');

  it('creates the window isolated and sandboxed', () => {
    expect(main).toMatch(/contextIsolation: true/);
    expect(main).toMatch(/sandbox: true/);
    expect(main).toMatch(/nodeIntegration: false/);
    expect(main).toMatch(/setWindowOpenHandler\(\(\) => \(\{ action: 'deny' \}\)\)/);
    expect(main).toMatch(/will-navigate/);
    expect(main).toMatch(/setPermissionRequestHandler\([^)]*\) => callback\(false\)\)/);
  });

  it('stays thin', () => {
    const lines = ['main.ts', 'preload.ts', 'ipc.ts'].map((f) => read(f).split('\n').length).reduce((a, b) => a + b, 0);
    expect(lines).toBeLessThanOrEqual(150);
  });

  it('exposes only the LabApi from the preload', () => {
    const preload = read('preload.ts');
    expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(preload).toMatch(/exposeInMainWorld\('lab', lab\)/);
  });

  it('uses a CSP without inline or eval scripts', () => {
    for (const shell of ['electron', 'web'] as const) {
      const csp = contentSecurityPolicy(shell);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    }
  });

  it('opens only local http pages externally', () => {
    expect(isSafeExternalUrl('http://127.0.0.1:4321/')).toBe(true);
    expect(isSafeExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isSafeExternalUrl('https://example.com/')).toBe(false);
    expect(isSafeExternalUrl('javascript:alert(1)')).toBe(false);
  });
});

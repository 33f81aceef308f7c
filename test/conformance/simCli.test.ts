// `opamp-lab sim` as attendees run it: one ready line, a kubeconfig the real
// kubectl can use, the UI on its port, and a clean exit on SIGINT.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubectl, repoRoot, tempCacheDir } from './kubectl';


describe('opamp-lab sim', () => {
  it('prints exactly one ready line, serves kubectl, and stops on SIGINT', async () => {
    const kubeconfig = join(mkdtempSync(join(tmpdir(), 'sim-cli-')), 'kubeconfig');
    const script = `import { runSimCommand } from ${JSON.stringify(join(repoRoot, 'lab/sim/cli.ts'))};\nprocess.exitCode = await runSimCommand(process.argv.slice(1));\n`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, '--', '--kubeconfig', kubeconfig], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    while (!stdout.includes('\n')) {
      if (Date.now() > deadline) throw new Error(`no ready line; stderr: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const m = /^opamp-lab sim ready: kubeconfig=(\S+) api=(https:\/\/127\.0\.0\.1:\d+) ui=(http:\/\/127\.0\.0\.1:\d+)\n$/.exec(stdout);
    expect(m, stdout).not.toBeNull();
    expect(m?.[1]).toBe(kubeconfig);
    const pods = await kubectl({ kubeconfig, cacheDir: tempCacheDir() }, ['get', 'pods', '-l', 'app=opamp-agent']);
    expect(pods.stdout).toMatch(/opamp-agent-\w+-\w{5} +\d\/1 +Running/);
    const ui = await fetch(`${m?.[3]}/`);
    expect(ui.status).toBe(200);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout.split('\n').filter(Boolean)).toHaveLength(1);
  }, 90_000);
});

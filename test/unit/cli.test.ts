import { describe, expect, it, vi } from 'vitest';
import { runCli, usage } from '../../electron/cli';

describe('opamp-lab command line', () => {
  it('lists every subcommand in its help', () => {
    for (const name of ['sim', 'server', 'verify', 'push-overlay', 'restart', 'web']) expect(usage()).toContain(`  ${name}`);
  });

  it('exits 2 on an unknown command and 0 on --help', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await runCli(['frobnicate'])).toBe(2);
    expect(error.mock.calls[0]?.[0]).toContain('unknown command "frobnicate"');
    expect(await runCli(['--help'])).toBe(0);
    error.mockRestore();
    log.mockRestore();
  });

  it.each(['sim', 'server', 'verify', 'push-overlay', 'restart', 'web'])('%s --help answers', async (name) => {
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
    const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void out.push(line));
    const code = await runCli([name, '--help']);
    log.mockRestore();
    error.mockRestore();
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/Usage: opamp-lab /);
  });
});

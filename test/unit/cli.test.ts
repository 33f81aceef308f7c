import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../../electron/cli';
import { COMMANDS, quickHelp, usage } from '../../electron/cliUsage';

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

  it.each(['sim', 'server', 'verify', 'push-overlay', 'restart', 'web'] as const)('%s prints the quick help text when its own parser reads --help', async (name) => {
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
    const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void out.push(line));
    // `--help` twice is not a plain help request, so the command is loaded and parses it itself.
    const code = await runCli([name, '--help', '--help']);
    log.mockRestore();
    error.mockRestore();
    expect(code).toBe(0);
    expect(out.join('\n')).toBe(COMMANDS[name].usage);
    expect(quickHelp([name, '--help'])).toEqual({ text: COMMANDS[name].usage, code: 0 });
  });

  it('answers only plain help requests without a command', () => {
    expect(quickHelp([])).toEqual({ text: usage(), code: 2 });
    for (const h of ['--help', '-h', 'help']) expect(quickHelp([h])).toEqual({ text: usage(), code: 0 });
    for (const argv of [['verify'], ['verify', '--json', '--help'], ['frobnicate', '--help'], ['--help', 'verify'], ['toString', '--help']]) expect(quickHelp(argv)).toBeUndefined();
  });
});

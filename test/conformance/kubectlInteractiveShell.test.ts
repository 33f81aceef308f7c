// `kubectl exec -it POD -c agent -- sh` with the real kubectl v1.35 in a real
// terminal (tmux) against the embedded lab: keystrokes in, the screen out. The
// shell must behave as busybox ash in alpine 3.20: prompt, line editing,
// history, Tab completion, Ctrl-C/Ctrl-D, exit codes, TERM and resize.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sim } from '../../lab/sim/boot';
import { eventually } from './eventually';
import { ensureKubectl, kubectl, tempCacheDir, type KubectlEnv } from './kubectl';
import { hasTmux, startTerminal, type TmuxTerminal } from './tmuxTerminal';

let sim: Sim;
let env: KubectlEnv;
let bin: string;
let agentPod: string;
let term: TmuxTerminal | undefined;

beforeAll(async () => {
  if (!hasTmux) return;
  const { startSim } = await import('../../lab/sim/boot');
  sim = await startSim({ kubeconfigPath: join(mkdtempSync(join(tmpdir(), 'sim-tty-')), 'kubeconfig'), speed: 10 });
  env = { kubeconfig: sim.kubeconfigPath, cacheDir: tempCacheDir() };
  bin = await ensureKubectl();
  agentPod = await eventually('the agent pod Running', async () => {
    const r = await kubectl(env, ['-n', 'opamp', 'get', 'pods', '-l', 'app=opamp-agent', '-o', 'jsonpath={.items[?(@.status.phase=="Running")].metadata.name}']);
    return r.stdout.trim().split(' ')[0] || undefined;
  }, 60_000);
}, 120_000);

afterEach(() => { term?.close(); term = undefined; });
afterAll(async () => { await sim?.close(); });

/** Opens `kubectl exec -it AGENT -c agent -- sh` and waits for the first prompt. */
async function openShell(cols = 80, rows = 24): Promise<TmuxTerminal> {
  term = startTerminal([bin, '-n', 'opamp', 'exec', '-it', agentPod, '-c', 'agent', '--', 'sh'], { KUBECONFIG: env.kubeconfig, KUBECACHEDIR: env.cacheDir! }, cols, rows);
  await term.waitFor('the prompt', (s) => s.split('\n')[0] === '/ #');
  return term;
}

/** The last non-empty line of the screen, trailing blanks trimmed. */
const last = (t: TmuxTerminal): string => t.lines().pop() ?? '';

/** Types a command, presses Enter and waits for the next prompt. */
async function run(t: TmuxTerminal, line: string): Promise<string[]> {
  const before = t.lines().length;
  t.type(line);
  t.keys('Enter');
  await t.waitFor(`the prompt after ${line}`, () => t.lines().length > before && last(t) === '/ #');
  return t.lines().slice(before, -1);
}

describe.skipIf(!hasTmux)('kubectl exec -it … sh in a real terminal', () => {
  it('edits the line: Left/Right, Home/End, Backspace/Delete, Ctrl-A/E/U/K/W', async () => {
    const t = await openShell();
    t.type('echo wrld');
    t.keys('Left', 'Left', 'Left');
    t.type('o');
    t.keys('End');
    t.type('!!');
    t.keys('BSpace');
    t.keys('Home');
    t.keys('Right', 'Right', 'Right', 'Right', 'Right');
    t.keys('DC');
    t.type('W');
    await t.waitFor('the edited line', () => term!.lines()[0] === '/ # echo World!');
    expect(t.cursor()).toEqual({ x: 10, y: 0 });
    t.keys('Enter');
    await t.waitFor('its output', () => t.lines()[1] === 'World!' && last(t) === '/ #');

    t.type('echo one two three');
    t.keys('C-w');
    await t.waitFor('Ctrl-W dropped a word', () => last(t) === '/ # echo one two');
    t.keys('C-a');
    t.keys('Right', 'Right', 'Right', 'Right');
    t.keys('C-k');
    await t.waitFor('Ctrl-K kept the head', () => last(t) === '/ # echo');
    t.type(' tail');
    t.keys('C-a');
    t.type('X');
    t.keys('C-e');
    t.type('Y');
    await t.waitFor('Ctrl-A/Ctrl-E', () => last(t) === '/ # Xecho tailY');
    t.keys('Left');
    t.keys('C-u');
    await t.waitFor('Ctrl-U killed before the cursor', () => last(t) === '/ # Y' && t.cursor().x === 4);
    t.keys('C-k');
    expect(await run(t, 'echo ok')).toEqual(['ok']);
  }, 90_000);

  it('recalls history with Up/Down and completes commands and paths with Tab', async () => {
    const t = await openShell();
    await run(t, 'echo first');
    await run(t, 'echo second');
    t.keys('Up');
    await t.waitFor('the last command', () => last(t) === '/ # echo second');
    t.keys('Up');
    await t.waitFor('the one before', () => last(t) === '/ # echo first');
    t.keys('Down');
    await t.waitFor('back down', () => last(t) === '/ # echo second');
    t.keys('Down');
    await t.waitFor('the empty line', () => last(t) === '/ #');

    t.type('hostn');
    t.keys('Tab');
    await t.waitFor('the command completed', () => last(t) === '/ # hostname');
    t.keys('C-u');
    t.type('cat /sto');
    t.keys('Tab');
    await t.waitFor('the folder completed', () => last(t) === '/ # cat /storage/');
    t.type('eff');
    t.keys('Tab');
    await t.waitFor('the file completed', () => last(t) === '/ # cat /storage/effective.yaml');
    t.keys('C-u');
    // Two candidates: the first Tab completes what they share, the second lists them.
    t.type('ls /etc/ho');
    t.keys('Tab');
    await t.waitFor('the shared part completed', () => last(t) === '/ # ls /etc/host');
    t.keys('Tab');
    await t.waitFor('the candidates listed', (s) => /hostname +hosts/.test(s) && last(t) === '/ # ls /etc/host');
    t.type('s');
    t.keys('Enter');
    await t.waitFor('ls ran', () => t.lines().slice(-2).join('|') === '/etc/hosts|/ #');
  }, 90_000);

  it('Ctrl-C drops the line or stops the command; exit N ends kubectl with that code; Ctrl-D ends it', async () => {
    let t = await openShell();
    t.type('echo never');
    t.keys('C-c');
    await t.waitFor('a fresh prompt', () => t.lines().slice(-2).join('|') === '/ # echo never^C|/ #');
    t.type('sleep 30');
    t.keys('Enter');
    await new Promise((r) => setTimeout(r, 500));
    t.keys('C-c');
    await t.waitFor('sleep interrupted', () => last(t) === '/ #', 5000);
    expect(await run(t, 'echo $?')).toEqual(['130']);
    t.type('exit 3');
    t.keys('Enter');
    let screen = await t.waitFor('kubectl gone', (s) => s.includes('[exited'));
    expect(screen).toContain('command terminated with exit code 3');
    expect(screen).toContain('[exited 3]');
    t.close();

    t = await openShell();
    await run(t, 'false');
    t.keys('C-d');
    screen = await t.waitFor('kubectl gone', (s) => s.includes('[exited'));
    expect(screen).toContain('command terminated with exit code 1');
  }, 90_000);

  it('has TERM=xterm and follows the terminal size', async () => {
    const t = await openShell(100, 30);
    expect(await run(t, 'echo $TERM')).toEqual(['xterm']);
    // A file typed in with cat until Ctrl-D, as the terminal's cooked mode reads it.
    t.type('cat > /tmp/typed');
    t.keys('Enter');
    t.type('receivers:');
    t.keys('Enter');
    t.type('  otlp: {}');
    t.keys('Enter', 'C-d');
    await t.waitFor('the prompt after cat', () => t.lines().slice(-4).join('|') === '/ # cat > /tmp/typed|receivers:|  otlp: {}|/ #');
    expect(await run(t, 'cat /tmp/typed')).toEqual(['receivers:', '  otlp: {}']);
    expect(await run(t, 'stty size')).toEqual(['30 100']);
    t.resize(60, 20);
    await new Promise((r) => setTimeout(r, 500));
    expect(await run(t, 'stty size')).toEqual(['20 60']);
    // A line longer than the terminal wraps, and editing its start redraws it in place.
    const long = `echo ${'x'.repeat(70)}`;
    t.type(long);
    t.keys('Home');
    t.keys('Right', 'Right', 'Right', 'Right', 'Right');
    t.type('y');
    await t.waitFor('the wrapped line edited', () => t.lines().slice(-2).join('') === `/ # echo y${'x'.repeat(70)}`);
    t.keys('Enter');
    await t.waitFor('its output', () => t.lines().slice(-3, -1).join('') === `y${'x'.repeat(70)}` && last(t) === '/ #');
  }, 90_000);
});

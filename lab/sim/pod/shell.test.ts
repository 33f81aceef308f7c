import { describe, expect, it } from 'vitest';
import { parseStat } from './processTable';
import { runScript, Shell, type ShellEnv } from './shell';
import { agentShellEnv } from './testing/agentShellEnv';

const env = (): ShellEnv => agentShellEnv({ '/storage/effective.yaml': 'processors:\n    attributes/test_opamp:\n        actions: []\nservice:\n    pipelines: {}\n' });

describe('shell', () => {
  it('prints ps -ef in busybox format (no PPID column)', async () => {
    const r = (await runScript('ps -ef | egrep "opampsupervisor|otelcol-contrib"', env()));
    // As in a real pod, the egrep of the pipeline is running while ps reads /proc, so it lists itself.
    expect(r.out).toMatch(/^ {4}1 root {6}0:00 \/opampsupervisor --config=\/supervisor.yaml\n {4}2 root {6}0:00 \/otelcol-contrib --config \/storage\/effective.yaml --config=\/collector.yaml\n +\d+ root {6}0:00 egrep opampsupervisor\|otelcol-contrib\n$/);
    expect((await runScript('ps', env())).out.split('\n')[0]).toBe('PID   USER     TIME  COMMAND');
  });

  it('greps with -R -n as N:line, exit 1 on no match, -c and -v', async () => {
    const e = env();
    expect((await runScript('grep -R "test_opamp" -n /storage/effective.yaml', e))).toEqual({ out: '2:    attributes/test_opamp:\n', err: '', code: 0 });
    expect((await runScript('grep nomatch /storage/effective.yaml', e)).code).toBe(1);
    expect((await runScript('grep -c "    " /storage/effective.yaml', e)).out).toBe('3\n');
    expect((await runScript('grep -R test_opamp /storage', e)).out).toBe('/storage/effective.yaml:    attributes/test_opamp:\n');
    expect((await runScript('grep -q test_opamp /storage/effective.yaml && echo yes || echo no', e)).out).toBe('yes\n');
  });

  it('runs && || ; with quoting, variables and redirection', async () => {
    const e = env();
    expect((await runScript('false && echo a; echo b || echo c; false || echo d', e)).out).toBe('b\nd\n');
    expect((await runScript(`echo 'a  b' "x $HOME" \\$HOME`, e)).out).toBe('a  b x /root $HOME\n');
    expect((await runScript('echo hi > /tmp/f && cat /tmp/f', e)).out).toBe('hi\n');
    expect((await runScript('nosuch', e))).toEqual({ out: '', err: 'sh: nosuch: not found\n', code: 127 });
    expect((await runScript('cat /nope 2>&1', e)).out).toBe("cat: can't open '/nope': No such file or directory\n");
  });

  it('lists files like busybox ls -l and heads files', async () => {
    const e = env();
    const r = (await runScript('ls -l /storage/effective.yaml && head -n 2 /storage/effective.yaml', e));
    expect(r.out).toMatch(/^-rw-r--r-- {4}1 root {5}root {5} +\d+ \w{3} [ \d]\d \d\d:\d\d \/storage\/effective.yaml\nprocessors:\n {4}attributes\/test_opamp:\n$/);
    expect((await runScript('ls -la /storage/', e)).out).toMatch(/^total 0\ndrwxr-xr-x .* \.\ndrwxr-xr-x .* \.\.\n-rw-r--r-- .* effective.yaml\n$/);
  });

  it('checks files with test and hashes with sha256sum', async () => {
    const e = env();
    expect((await runScript('test -f /storage/effective.yaml && [ -d /storage ] && echo ok', e)).out).toBe('ok\n');
    expect((await runScript('echo -n > /tmp/e; sha256sum /tmp/e', e)).out).toMatch(/^[0-9a-f]{64} {2}\/tmp\/e\n$/);
  });
});

describe('/proc', () => {
  it('round-trips stat and cmdline from the process table', async () => {
    const e = env();
    const stat = parseStat((await runScript('cat /proc/2/stat', e)).out.trim());
    expect(stat).toMatchObject({ pid: 2, comm: 'otelcol-contrib', state: 'S', ppid: 1 });
    expect((await runScript('cat /proc/2/stat', e)).out.trim().split(' ').length).toBeGreaterThanOrEqual(22);
    expect(e.fs.get('/proc/1/cmdline')?.data).toBe('/opampsupervisor\0--config=/supervisor.yaml\0');
    expect((await runScript('grep PPid /proc/2/status', e)).out).toBe('PPid:\t1\n');
    expect((await runScript('cat /proc/uptime', e)).out).toMatch(/^\d+\.\d\d \d+\.\d\d\n$/);
  });
});

describe('shell language', () => {
  it('runs loops, conditionals, parameter expansion, $(...) and $((...))', async () => {
    const e = env();
    const script = `s="12 (my app) S 1 2"
pid=\${s%% *}; c1=\${s#*(}; comm=\${c1%)*}; rest=\${s##*) }
set -- $rest
echo "$pid|$comm|$1|$2|$#"
i=0; n=0
while [ $i -lt 5 ]; do i=$((i + 1)); [ $i -eq 2 ] && continue; n=$((n + i * 2)); if [ $i -ge 4 ]; then break; fi; done
echo $i $n
for d in /proc/[0-9]*; do x=$(cat $d/stat 2>/dev/null) || continue; echo "\${x%% *}"; done
v=$(echo inner; false) || echo "status $?"
echo "\${unset:-dflt}" "\${#pid}"`;
    expect(await runScript(script, e)).toEqual({ out: '12|my app|S|1|3\n4 16\n1\n2\nstatus 1\ndflt 2\n', err: '', code: 0 });
  });

  it('evals words as a script in the same shell (variables built from variables, as the probe caches argv)', async () => {
    const e = env();
    const script = `pid=7; st=99; cmd='a b\${x}'
eval "C_\${pid}_$st=\\$cmd"
got=''; eval "got=\\\${C_\${pid}_$st-}"
echo "[$got]"; eval 'echo "$((1 + 2))"'; eval 'if'`;
    expect(await runScript(script, e)).toEqual({ out: '[a b${x}]\n3\n', err: expect.stringContaining('sh: eval: '), code: 2 });
  });

  it('redirects stdin and stderr, translates with tr, slices bytes, and reports syntax errors', async () => {
    const e = env();
    expect((await runScript("tr '\\000\\n' '\\001 ' < /proc/2/cmdline", e)).out).toBe('/otelcol-contrib\u0001--config\u0001/storage/effective.yaml\u0001--config=/collector.yaml\u0001');
    expect((await runScript('tail -c +3 /storage/effective.yaml | head -c 8', e)).out).toBe('ocessors');
    expect((await runScript('stat -c "%s" /storage/effective.yaml', e)).out).toBe('86\n');
    expect((await runScript('cat /nope 2>/dev/null || echo gone', e)).out).toBe('gone\n');
    expect(await runScript('if true; then echo x', e)).toEqual({ out: '', err: 'sh: syntax error: unexpected end of file (expecting "fi")\n', code: 2 });
  });

  it('lists a sleeping child under the shell and stops sleep when killed', async () => {
    const e = env();
    const shell = new Shell(e, 99);
    const run = shell.run('sleep 30; echo never', { out: () => {}, err: () => {} });
    await new Promise((r) => setTimeout(r, 20));
    expect([...e.procs.procs.values()].find((p) => p.argv[0] === 'sleep')?.ppid).toBe(99);
    shell.kill();
    expect(await run).toBe(130);
    expect([...e.procs.procs.values()].some((p) => p.argv[0] === 'sleep')).toBe(false);
  });
});

describe('applet options', () => {
  it('treats -- as the end of options', async () => {
    const e = env();
    expect((await runScript('cat -- /storage/effective.yaml | head -n 1', e)).out).toBe('processors:\n');
    expect((await runScript('sha256sum -- /storage/effective.yaml', e)).out).toMatch(/^[0-9a-f]{64} {2}\/storage\/effective.yaml\n$/);
  });

  it('grep -n FILE reads the file, not a stdin that stays open (kubectl exec -it)', async () => {
    let out = '';
    const never = new Promise<string>(() => undefined);
    const code = await new Shell(env(), 0).run('grep -R "test_opamp" -n /storage/effective.yaml', { out: (t) => { out += t; }, err: () => undefined, stdin: never });
    expect({ code, out }).toEqual({ code: 0, out: '2:    attributes/test_opamp:\n' });
  });
});

describe('the applet links in /bin and /usr/bin', () => {
  it('each link runs something, and each applet has its link, found by which', async () => {
    const { APPLET_PATHS } = await import('./rootfs');
    const { APPLETS } = await import('./applets');
    const { SHELL_BUILTINS } = await import('./shell');
    for (const name of Object.keys(APPLET_PATHS)) expect(name in APPLETS || SHELL_BUILTINS.includes(name) || name === 'sh' || name === 'ash', name).toBe(true);
    for (const name of Object.keys(APPLETS)) expect(APPLET_PATHS[name], name).toBeDefined();
    const e = env();
    expect((await runScript('which awk sh; ls -l /bin/sh; type kill; command -v wget', e)).out).toMatch(/^\/usr\/bin\/awk\n\/bin\/sh\nlrwxrwxrwx +1 root +root +12 .* \/bin\/sh -> \/bin\/busybox\nkill is a shell builtin\n\/usr\/bin\/wget\n$/);
    expect(await runScript('mkdir -p /tmp/a/b && touch /tmp/a/b/f && rm /tmp/a; rm -r /tmp/a && ls /tmp', e)).toEqual({ out: '', err: "rm: '/tmp/a' is a directory\n", code: 0 });
  });
});

describe('the agent image', () => {
  it('has the binaries at their release sizes, alpine files and /proc entries', async () => {
    const e = env();
    const r = await runScript('ls -l /opampsupervisor /otelcol-contrib; /otelcol-contrib --version; cat /etc/alpine-release; head -1 /etc/os-release; ls /proc | grep -c -e meminfo -e cpuinfo -e version -e mounts -e loadavg -e uptime', e);
    expect(r.out).toMatch(/^-rwxr-xr-x +1 root +root +24117432 .* \/opampsupervisor\n-rwxr-xr-x +1 root +root +318767288 .* \/otelcol-contrib\notelcol-contrib version 0\.136\.0\n3\.20\.3\nNAME="Alpine Linux"\n6\n$/);
    expect((await runScript('/opampsupervisor --config=/x', e)).code).toBe(1);
    expect((await runScript('/nope/otelcol-contrib --version', e)).err).toBe('sh: /nope/otelcol-contrib: not found\n');
  });
});

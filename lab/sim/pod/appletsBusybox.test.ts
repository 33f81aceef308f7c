// Each applet of the emulated pod against real busybox (Debian's busybox
// package) on the same input: the same command line runs in busybox ash with
// only busybox applets on PATH, in a folder holding the same files, and in the
// emulated shell; stdout and the exit code must match.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript, type ShellEnv } from './shell';
import { agentShellEnv } from './testing/agentShellEnv';

const hasBusybox = spawnSync('busybox', ['true']).status === 0;

const FILES: Record<string, string> = {
  'data.txt': 'b 2\na 10\nc 1\na 10\nd 7 extra\n',
  'passwd': 'root:x:0:0:root:/root:/bin/sh\nbin:x:1:1:bin:/bin:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n',
  'config.yaml': 'receivers:\n  otlp:\n    protocols:\n      grpc:\nprocessors:\n  attributes/test_opamp:\n    actions: []\nexporters:\n  debug: {}\n',
  'logs/agent.log': '{"level":"info","msg":"Connected to the server."}\n{"level":"error","msg":"Connection failed"}\n{"level":"info","msg":"Agent process started","pid":2}\n',
  'logs/old/a.txt': 'old\n',
  'words': 'pear\napple\nPear\nbanana\napple\n',
};

const APPLETS = ['sh', 'awk', 'sed', 'sort', 'uniq', 'cut', 'find', 'xargs', 'echo', 'cat', 'tar', 'wc', 'head', 'tail', 'grep', 'egrep', 'tr', 'printf', 'ls', 'true', 'false', 'free', 'df', 'top', 'netstat', 'du', 'ps'];

/** A folder with the files and one with busybox links for every applet, so nothing else is on PATH. */
function realWorld(): { dir: string; bin: string } {
  const root = mkdtempSync(join(tmpdir(), 'bb-'));
  const bin = join(root, 'bin');
  const dir = join(root, 'data');
  mkdirSync(bin);
  const busybox = spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).stdout.trim();
  for (const a of APPLETS) symlinkSync(busybox, join(bin, a));
  for (const [name, text] of Object.entries(FILES)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, bin };
}

function emulated(): ShellEnv {
  const env = agentShellEnv({});
  for (const [name, text] of Object.entries(FILES)) {
    const parts = `/data/${name}`.split('/').filter(Boolean);
    for (let k = 1; k < parts.length; k++) env.fs.mkdir(`/${parts.slice(0, k).join('/')}`);
    env.fs.write(`/data/${name}`, text);
  }
  env.cwd = '/data';
  return env;
}

const CASES: string[] = [
  // awk: fields, -F, patterns, NR, NF, printf, arrays, built-ins
  `awk '{ s += $2 } END { print s, NR }' data.txt`,
  `awk '$2 > 5 { print $1 }' data.txt`,
  `awk -F: '{ print $1, $NF }' passwd`,
  `awk -F: -v OFS=- '$3 >= 1 { print $1, $3 }' passwd`,
  `awk 'NR == 2' data.txt`,
  `awk 'NR==2, NR==4 { print NR": "$0 }' data.txt`,
  `awk '/^a/ { n++ } END { print n+0 }' data.txt`,
  `awk '{ print NF, $NF, $(NF-1) }' data.txt`,
  `awk '{ printf "%-5s|%5d|%05.1f|%x\\n", $1, $2, $2 / 3, $2 }' data.txt`,
  `awk '{ c[$1] += $2 } END { for (k in c) print k, c[k] }' data.txt | sort`,
  `awk '{ print length($0), toupper($1), substr($0, 3, 2), index($0, "1") }' data.txt`,
  `awk '{ gsub(/a/, "[&]"); sub(/[0-9]+/, "<n>"); print }' data.txt`,
  `awk 'BEGIN { x = split("a:b:c", parts, ":"); print x, parts[3]; print 7 / 2, int(7 / 2), 1e3, 0.1 + 0.2, -3 % 2 }'`,
  `awk '$1 == "a" && $2 == 10 { print "yes" } $2 < 3 || $1 ~ /d/ { print "m:" $0 }' data.txt`,
  `awk 'BEGIN { while (i < 3) { i++; if (i == 2) continue; print i } for (j = 0; j < 2; j++) print "j" j }'`,
  `awk '{ $2 = $2 * 2; print; print NF }' data.txt`,
  `awk -F'"' '/error/ { print $8 }' logs/agent.log`,
  `echo "x y" | awk '{ print $2 $1 }'`,
  `awk 'END { print $0 }' data.txt`,
  `awk 'BEGIN { exit 3 } END { print "end" }'; echo $?`,
  // sed: s///g, groups, -n p, ranges, addresses, y, =, -E, several -e
  `sed 's/a/X/g' data.txt`,
  `sed 's/\\([a-z]\\) \\([0-9]*\\)/\\2=\\1/' data.txt`,
  `sed -n '2,3p' data.txt`,
  `sed -n '/^a/p' data.txt`,
  `sed '/^a/d' data.txt`,
  `sed '1d;$d' data.txt`,
  `sed -n '$=' data.txt`,
  `sed -E 's/([0-9]+)/<\\1>/g' data.txt`,
  `sed -e 's/b/B/' -e 's/c/C/' data.txt`,
  `sed '2,$s/^/> /' data.txt`,
  `sed -n '/processors:/,/exporters:/p' config.yaml`,
  `sed 'y/abc/ABC/' data.txt`,
  `sed '2q' data.txt`,
  `sed -n 's/^\\([a-z]*\\):.*/\\1/p' config.yaml`,
  `sed 's/ /_/2' data.txt`,
  // sort, uniq, cut
  `sort data.txt`, `sort -r data.txt`, `sort -n -k2 data.txt`, `sort -t: -k3n passwd`, `sort -u words`, `sort -f words`, `sort -k2,2nr data.txt`,
  `sort data.txt | uniq`, `sort data.txt | uniq -c`, `sort words | uniq -d`, `sort words | uniq -u`,
  `cut -d: -f1,3 passwd`, `cut -d: -f6- passwd`, `cut -c1-3 passwd`, `cut -d' ' -f2 data.txt`, `cut -d: -f2 words`,
  // find, xargs
  `find . | sort`, `find . -name '*.txt' | sort`, `find . -type d | sort`, `find . -maxdepth 1 -type f | sort`, `find logs -name '*.log'`,
  `find . -name nothing`, `find nosuch; echo $?`,
  `echo a b c d e | xargs -n 2 echo`, `cat words | xargs echo`, `echo data.txt passwd | xargs wc -l`, `printf 'x\\ny\\n' | xargs -I {} echo item {}`,
  `find logs -type f | sort | xargs cat`,
  // the older applets the lab already had
  `grep -e '^a' -e c data.txt`, `grep -F '0:0' passwd`, `grep -n -v a data.txt`, `wc -l data.txt`, `wc data.txt passwd`, `wc -w < words`, `wc -lc data.txt`, `head -n 2 data.txt`, `tail -n 2 data.txt`, `grep -c a data.txt`, `tr a-z A-Z < data.txt`,
];

describe.skipIf(!hasBusybox)('applets against real busybox on the same input', () => {
  const real = hasBusybox ? realWorld() : { dir: '', bin: '' };
  for (const script of CASES) {
    it(script, async () => {
      const r = spawnSync(join(real.bin, 'sh'), ['-c', script], { cwd: real.dir, env: { PATH: real.bin, LC_ALL: 'C' }, encoding: 'utf8' });
      const e = await runScript(script, emulated());
      expect({ out: e.out, code: e.code }).toEqual({ out: r.stdout, code: r.status });
    });
  }

  // Plain `ps` is left out: alpine builds busybox with its TIME column, Debian without.
  it('prints the headers of free, df, top -b, netstat and ps -o as busybox does', async () => {
    for (const [cmd, line] of [['free', 0], ['df', 0], ['df -h', 0], ['top -b -n 1', 3], ['netstat -tln', 1], ['ps -o pid,ppid,user,group,comm,args', 0], ['ps -o pid,vsz,rss,stat,tty,nice,pgid,sid,comm', 0]] as const) {
      const r = spawnSync(join(real.bin, 'sh'), ['-c', cmd], { cwd: real.dir, env: { PATH: real.bin }, encoding: 'utf8' });
      const e = await runScript(cmd, emulated());
      expect(e.out.split('\n')[line]?.trimEnd(), cmd).toBe(r.stdout.split('\n')[line]?.trimEnd());
    }
  });

  it('prints ps -o rows in busybox columns', async () => {
    const e = await runScript('ps -o pid,ppid,comm,args', emulated());
    expect(e.out.split('\n').slice(0, 3)).toEqual(['PID   PPID  COMMAND          COMMAND', '    1     0 opampsupervisor  /opampsupervisor --config=/supervisor.yaml', '    2     1 otelcol-contrib  /otelcol-contrib --config /storage/effective.yaml --config=/collector.yaml']);
    expect((await runScript('ps -o pid=,comm=', emulated())).out.split('\n')[0]).toBe('    1 opampsupervisor');
  });

  it('writes archives busybox tar reads, and reads the ones it writes', async () => {
    // Emulated tar → real busybox tar.
    const env = emulated();
    const made = await runScript('tar cf /tmp/out.tar data.txt logs', env);
    expect(made).toMatchObject({ code: 0, err: '' });
    const archive = join(mkdtempSync(join(tmpdir(), 'bbtar-')), 'out.tar');
    writeFileSync(archive, Buffer.from(env.fs.get('/tmp/out.tar')!.data, 'utf8'));
    const listed = spawnSync('busybox', ['tar', 'tf', archive], { encoding: 'utf8' });
    expect(listed.stdout.split('\n').filter(Boolean).sort()).toEqual(['data.txt', 'logs/', 'logs/agent.log', 'logs/old/', 'logs/old/a.txt']);
    const into = mkdtempSync(join(tmpdir(), 'bbx-'));
    expect(spawnSync('busybox', ['tar', 'xf', archive, '-C', into]).status).toBe(0);
    expect(readFileSync(join(into, 'logs/agent.log'), 'utf8')).toBe(FILES['logs/agent.log']);

    // Real busybox tar → emulated tar, through stdin as kubectl cp sends it.
    const theirs = spawnSync('busybox', ['tar', 'cf', '-', 'data.txt', 'logs'], { cwd: real.dir });
    const env2 = emulated();
    env2.fs.mkdir('/restore');
    const script = 'tar -xmf - -C /restore && find /restore | sort && cat /restore/logs/old/a.txt && tar tvf /tmp/x.tar 2>&1 | head -1';
    const { Shell } = await import('./shell');
    let out = '';
    const code = await new Shell(env2, 0).run(script, { out: (s) => { out += s; }, err: (s) => { out += s; }, stdin: theirs.stdout.toString('utf8') });
    expect(code).toBe(0);
    expect(out).toContain('/restore/logs/agent.log\n/restore/logs/old\n/restore/logs/old/a.txt\nold\n');
  });
});

// The script of the long-lived exec probe, fed on stdin to `sh -s opamp-lab-probe`
// in container `agent`, so that `ps -ef` in the pod shows it as that one short line
// (a script passed with -c would be its whole command line). Only ash and busybox applets (cat, tr, stat, sha256sum, tail, head,
// sleep): the agent image is Alpine. It prints a report only when the process
// table or effective.yaml changed, new bytes of agent.log, and a tick now and
// then so a silent stream can be told from a dead one.
//
// Output (lines; T is a per-probe token so file content cannot fake a marker):
//   @@REPORT T
//   P <pid> <ppid> <starttime> <comm>     then   A <argv joined by \x01>   (per process)
//   @@FILE <size> <mtime> <sha256> | @@FILE none
//   [@@CONTENT <sha256> … file bytes … \n@@END T]   (only when the hash changed)
//   @@DONE T
//   @@LOG <offset> <n> … n bytes … \n@@END T
//   @@TICK T
// The probe's own shell ($$) and its children (cat, tr, sleep…) are left out,
// or every loop would look like a change.

/** The probe's command line: what `ps -ef` in the pod shows for it. */
export const PROBE_COMMAND = ['sh', '-s', 'opamp-lab-probe'] as const;

/** Whether a process is a probe of OpAMP Lab (this app's or another instance's). */
export function isProbeProcess(argv: readonly string[]): boolean {
  return argv.length === PROBE_COMMAND.length && argv.every((a, k) => (k === 0 ? a.split('/').pop() : a) === PROBE_COMMAND[k]);
}

export interface ProbeScriptOptions {
  token: string;
  effectivePath?: string;
  agentLogPath?: string;
  /** Seconds between looks inside the pod. */
  interval?: number;
  /** Loops between ticks. */
  tickEvery?: number;
  /** Largest agent.log chunk per report; older bytes are skipped (bounded memory on both ends). */
  maxLogChunk?: number;
}

export function probeScript(o: ProbeScriptOptions): string {
  if (!/^[A-Za-z0-9]{6,40}$/.test(o.token)) throw new Error('probe: token must be 6-40 letters or digits');
  const eff = o.effectivePath ?? '/storage/effective.yaml';
  const log = o.agentLogPath ?? '/storage/agent.log';
  for (const p of [eff, log]) if (!/^\/[A-Za-z0-9._/-]+$/.test(p)) throw new Error(`probe: unsafe path ${p}`);
  const interval = o.interval ?? 0.25;
  const tickEvery = o.tickEvery ?? 20;
  const maxLog = o.maxLogChunk ?? 65536;
  return `# OpAMP Lab probe: reports this pod's processes, ${eff} and new bytes of ${log} to the OpAMP Lab app.
T=${o.token}
F=${eff}
L=${log}
me=$$
last=""
lasthash=""
loff=0
i=0
while :; do
  procs=""
  for d in /proc/[0-9]*; do
    s=$(cat $d/stat 2>/dev/null) || continue
    [ -n "$s" ] || continue
    pid=\${s%% *}
    c1=\${s#*(}
    comm=\${c1%)*}
    rest=\${s##*) }
    set -- $rest
    ppid=$2
    [ "$pid" = "$me" ] && continue
    [ "$ppid" = "$me" ] && continue
    shift 19
    st=$1
    # argv never changes for one process (pid and start time), so it is read once: one fork less per process and loop.
    eval "cmd=\\\${C_\${pid}_\$st-}"
    if [ -z "$cmd" ]; then
      cmd=$(tr '\\000\\n' '\\001 ' < $d/cmdline 2>/dev/null)
      [ -n "$cmd" ] && eval "C_\${pid}_\$st=\\$cmd"
    fi
    procs="$procs
P $pid $ppid $st $comm
A $cmd"
  done
  if [ -f $F ]; then
    fs=$(stat -c '%s %Y' $F 2>/dev/null)
    fh=$(sha256sum $F 2>/dev/null)
    fh=\${fh%% *}
    fl="$fs $fh"
  else
    fh=none
    fl=none
  fi
  sig="$procs|$fl"
  if [ "$sig" != "$last" ]; then
    echo "@@REPORT $T"
    echo "$procs"
    echo "@@FILE $fl"
    if [ "$fh" != "$lasthash" ] && [ "$fh" != none ]; then
      echo "@@CONTENT $fh"
      cat $F
      echo
      echo "@@END $T"
      lasthash=$fh
    fi
    echo "@@DONE $T"
    last=$sig
  fi
  if [ -f $L ]; then
    ls=$(stat -c %s $L 2>/dev/null)
    [ -n "$ls" ] || ls=0
    [ "$ls" -lt "$loff" ] && loff=0
    if [ "$ls" -gt "$loff" ]; then
      n=$((ls - loff))
      if [ $n -gt ${maxLog} ]; then loff=$((ls - ${maxLog})); n=${maxLog}; fi
      echo "@@LOG $loff $n"
      tail -c +$((loff + 1)) $L | head -c $n
      echo
      echo "@@END $T"
      loff=$((loff + n))
    fi
  fi
  i=$((i + 1))
  if [ $i -ge ${tickEvery} ]; then echo "@@TICK $T"; i=0; fi
  sleep ${interval} 2>/dev/null || sleep 1
done
`;
}

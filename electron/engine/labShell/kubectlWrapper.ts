// The lab shell's `kubectl`: a small POSIX sh script first on PATH that runs the
// real kubectl with the same argv and then appends the argv and exit code to
// the shell's command log, so Lab mode can credit the guide's verification
// commands (Steps 6, 7, 8, 10) to the attendee. It never changes what kubectl
// does: same argv, same terminal, same exit code.
import { chmod, mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { shQuote } from '../../../shared/shellQuote';

const US = '\x1f';
const RS = '\x1e';

/** Pure: the wrapper script for a real kubectl path. */
export function wrapperScript(realKubectl: string): string {
  return `#!/bin/sh
# OpAMP Lab: runs the real kubectl, then notes the command and its exit code in
# $OPAMP_LAB_COMMAND_LOG so Lab mode can see which guide steps you did.
real=${shQuote(realKubectl)}
log="\${OPAMP_LAB_COMMAND_LOG:-}"
# Caught (not ignored), so kubectl still gets Ctrl-C and this script still writes the note.
trap ':' INT TERM
"$real" "$@"
rc=$?
if [ -n "$log" ] && [ -w "$log" ]; then
  rec=$(printf '%s\\037' "$@"; printf x)
  printf 'end\\037%s\\037%s\\036\\n' "$rc" "\${rec%x}" >>"$log"
fi
exit "$rc"
`;
}

export async function writeKubectlWrapper(binDir: string, realKubectl: string): Promise<string> {
  await mkdir(binDir, { recursive: true, mode: 0o700 });
  const path = join(binDir, 'kubectl');
  await writeFile(path, wrapperScript(realKubectl), { mode: 0o700 });
  await chmod(path, 0o700);
  return path;
}

export interface CommandRecord {
  argv: string[];
  exitCode: number;
}

/** Pure: complete records in `text`, and the unfinished tail to keep for the next read. */
export function parseCommandLog(text: string): { records: CommandRecord[]; rest: string } {
  const parts = text.split(`${RS}\n`);
  const rest = parts.pop() ?? '';
  const records: CommandRecord[] = [];
  for (const p of parts) {
    const f = p.split(US);
    if (f[0] !== 'end' || f.length < 3) continue;
    const exitCode = Number(f[1]);
    if (!Number.isInteger(exitCode)) continue;
    records.push({ argv: f.slice(2, -1), exitCode });
  }
  return { records, rest };
}

/** Follows one shell's command log (0600), calling back per record; polls, which works on every OS. */
export class CommandLogFollower {
  private offset = 0;
  private rest = '';
  private timer?: ReturnType<typeof setInterval>;
  private reading = false;

  constructor(readonly path: string, private readonly onRecord: (r: CommandRecord) => void, private readonly everyMs = 300) {}

  async start(): Promise<void> {
    await writeFile(this.path, '', { mode: 0o600 });
    this.timer = setInterval(() => void this.read(), this.everyMs);
    this.timer.unref?.();
  }

  async read(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      const f = await open(this.path, 'r');
      try {
        const { size } = await f.stat();
        if (size <= this.offset) return;
        const buf = Buffer.alloc(Math.min(size - this.offset, 1 << 20));
        const { bytesRead } = await f.read(buf, 0, buf.length, this.offset);
        this.offset += bytesRead;
        const { records, rest } = parseCommandLog(this.rest + buf.toString('utf8', 0, bytesRead));
        this.rest = rest.slice(-65_536);
        for (const r of records) this.onRecord(r);
      } finally {
        await f.close();
      }
    } catch {
      // Removed or unreadable: nothing to credit.
    } finally {
      this.reading = false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

// What the lab (embedded cluster, engine, web shell) writes to this process's
// stderr during an e2e run, so a test can assert it holds no stack trace: the
// attendee reads that output, and a trace there means an error nobody handled.
export interface LabOutput {
  lines: string[];
  stop(): void;
}

export function captureLabOutput(): LabOutput {
  const lines: string[] = [];
  const { error, warn } = console;
  const write = process.stderr.write.bind(process.stderr);
  const keep = (text: string): void => {
    lines.push(...text.split('\n').filter(Boolean));
  };
  console.error = (...args: unknown[]) => {
    keep(args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(' '));
    error(...args);
  };
  console.warn = (...args: unknown[]) => {
    keep(args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(' '));
    warn(...args);
  };
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    keep(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    return write(chunk, ...rest);
  }) as typeof process.stderr.write;
  return {
    lines,
    stop() {
      console.error = error;
      console.warn = warn;
      process.stderr.write = write;
    },
  };
}

/** Lines that are frames of a JavaScript stack trace ("    at fn (file.ts:12:5)"). */
export function stackFrames(lines: readonly string[]): string[] {
  return lines.filter((l) => /^\s+at\s.+(:\d+:\d+\)?|\(native\)|\(<anonymous>\))$/.test(l));
}

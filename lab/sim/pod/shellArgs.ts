// How busybox ash is invoked (`sh -c`, `sh -s`, `sh FILE`) and when what it has
// read so far is not yet a whole command. Shared by exec sessions and the shell's
// own `sh` builtin.
import { parse, ShellSyntaxError } from './shellParse';

/** How `sh ARGS` gets its script: busybox ash's -c, -s and FILE forms. */
export type ShellInvocation =
  | { from: 'string'; script: string; params: string[] }
  | { from: 'file'; path: string; params: string[] }
  | { from: 'stdin'; params: string[] };

export function parseShellArgs(args: string[]): ShellInvocation | { error: string } {
  let c = false;
  let k = 0;
  for (; k < args.length; k++) {
    const a = args[k]!;
    if (a === '--') { k++; break; }
    if (!/^[-+][A-Za-z]+$/.test(a)) break;
    for (const o of a.slice(1)) {
      if (o === 'c') c = true;
      else if (!'siexlv'.includes(o)) return { error: `sh: illegal option -${o}` };
    }
    if (a.includes('s') && !c) { k++; return { from: 'stdin', params: args.slice(k) }; }
  }
  if (c) {
    if (k >= args.length) return { error: 'sh: -c requires an argument' };
    return { from: 'string', script: args[k]!, params: args.slice(k + 2) };
  }
  if (k < args.length) return { from: 'file', path: args[k]!, params: args.slice(k + 1) };
  return { from: 'stdin', params: [] };
}

/** Whether `text` ends inside a command (an open loop, quote or `&&`): ash then reads on (PS2). */
export function isIncomplete(text: string): boolean {
  try {
    parse(text);
    return false;
  } catch (err) {
    return err instanceof ShellSyntaxError && /end of file|unterminated/.test(err.message);
  }
}


// How the embedded lab writes its own unexpected errors to stderr: one line with
// the message, never a stack trace (the attendee reads this output; the message
// says what went wrong, the frames only help whoever debugs the emulator).
export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}${typeof code === 'string' ? ` (${code})` : ''}`.replace(/\s*\n\s*/g, ' ');
  }
  return String(err).replace(/\s*\n\s*/g, ' ');
}

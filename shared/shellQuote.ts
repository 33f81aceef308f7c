// POSIX shell quoting, for commands and lines the app shows or writes for a
// person's shell (the copyable `export KUBECONFIG=…`, kubectl command notes).

/** Quotes one word for sh: left bare when it is plainly safe, else single-quoted. */
export function shQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** `export NAME=value`, quoted for sh, bash and zsh. */
export function exportLine(name: string, value: string): string {
  return `export ${name}=${shQuote(value)}`;
}

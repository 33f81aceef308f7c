// Security settings shared by the Electron window and the web shell.

/**
 * The renderer needs its own scripts only. Styles allow 'unsafe-inline' because
 * CodeMirror and xterm set element styles at run time; no script is inline.
 * The web shell's page also talks to its own WebSocket.
 */
export function contentSecurityPolicy(shell: 'electron' | 'web'): string {
  const connect = shell === 'web' ? "connect-src 'self' ws://127.0.0.1:* ws://localhost:*" : "connect-src 'self'";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    connect,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Only plain web pages on this machine (the forwarded server UI) may be opened in the user's browser. */
export function isSafeExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

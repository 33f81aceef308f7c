// Describes connection failures with the Go-style texts the real supervisor (opamp-go + gorilla) logs,
// so the lab's logs read like the workshop's.

export interface DialTarget {
  host: string;
  port: number;
}

export function describeDialError(err: unknown, target: DialTarget): string {
  const e = err as { code?: string; message?: string } | undefined;
  const code = e?.code ?? '';
  const message = e?.message ?? String(err);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || /ENOTFOUND/.test(message)) {
    return `dial tcp: lookup ${target.host}: no such host`;
  }
  if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(message)) {
    return `dial tcp ${target.host}:${target.port}: connect: connection refused`;
  }
  if (code === 'ETIMEDOUT' || /ETIMEDOUT|timed out/i.test(message)) {
    return `dial tcp ${target.host}:${target.port}: i/o timeout`;
  }
  if (/Unexpected server response|Invalid WebSocket frame|Sec-WebSocket|bad handshake/i.test(message)) {
    return 'websocket: bad handshake';
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO' || /wrong version number|packet length too long|record layer/i.test(message)) {
    return 'tls: first record does not look like a TLS handshake';
  }
  if (code === 'ECONNRESET' || /socket hang up/i.test(message)) {
    return `read tcp ${target.host}:${target.port}: read: connection reset by peer`;
  }
  if (/certificate|self[- ]signed/i.test(message)) {
    return `tls: failed to verify certificate: x509: ${message}`;
  }
  return message;
}

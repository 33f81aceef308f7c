// The Kubernetes streaming channel protocol over WebSocket (channel.k8s.io
// versions 4 and 5): each binary message starts with a channel byte.
export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const ERROR = 3;
export const RESIZE = 4;
export const CLOSE = 255;

export const SUPPORTED_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

/** The first protocol, in the client's order of preference, that we speak. */
export function pickProtocol(offered: Iterable<string>, supported = SUPPORTED_PROTOCOLS): string | false {
  for (const p of offered) if (supported.includes(p)) return p;
  return false;
}

export function frame(channel: number, data: Uint8Array | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  return Buffer.concat([Buffer.from([channel]), body]);
}

// Raw TCP/TLS clients for the abuse suite: bytes no well-behaved client library would send.
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { randomBytes } from 'node:crypto';

export interface Listener {
  name: string;
  port: number;
  tls?: boolean;
  /** The Host header the listener expects (its own host:port), so requests reach the path handling. */
  host: string;
  headers?: Record<string, string>;
}

export function open(l: Listener): Socket {
  const socket = l.tls ? tlsConnect({ host: '127.0.0.1', port: l.port, rejectUnauthorized: false }) : tcpConnect(l.port, '127.0.0.1');
  socket.on('error', () => undefined);
  return socket;
}

/** Sends `bytes` and collects what comes back until the peer closes or `waitMs` pass; then destroys the socket. */
export function exchange(l: Listener, bytes: Buffer | string, waitMs = 2_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = open(l);
    let got = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(got);
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
    socket.on('close', done);
    socket.on(l.tls ? 'secureConnect' : 'connect', () => socket.write(bytes));
  });
}

/** The status code of the first response line, or 0 when the listener only closed. */
export function statusOf(response: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
}

const extra = (l: Listener) => Object.entries(l.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('');

export function request(l: Listener, target: string, more = ''): string {
  return `GET ${target} HTTP/1.1\r\nHost: ${l.host}\r\n${extra(l)}${more}Connection: close\r\n\r\n`;
}

export function upgrade(l: Listener, target: string, more = ''): string {
  return `GET ${target} HTTP/1.1\r\nHost: ${l.host}\r\n${extra(l)}${more}Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`;
}

/** WebSocket frames a conforming peer never sends: reserved opcodes and bits, unmasked, absurd lengths, bad close codes. */
export function garbageFrames(): Buffer[] {
  const mask = Buffer.from([1, 2, 3, 4]);
  return [
    Buffer.from([0x83, 0x80, ...mask]), // reserved opcode 3
    Buffer.from([0xf1, 0x80, ...mask]), // RSV bits set
    Buffer.from([0x81, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f]), // unmasked text from a client
    Buffer.from([0x82, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, ...mask]), // 2^63 bytes announced
    Buffer.from([0x88, 0x82, ...mask, 0x03 ^ 1, 0xe7 ^ 2]), // close with reserved code 999
    Buffer.from([0x09, 0x80, ...mask]), // fragmented ping
    Buffer.concat([Buffer.from([0x81, 0x84, ...mask]), Buffer.from([0xff ^ 1, 0xfe ^ 2, 0xfd ^ 3, 0xfc ^ 4])]), // invalid UTF-8 text
    randomBytes(4096),
  ];
}

/** Upgrades a raw socket (101 expected), then writes `frame`; resolves with what came back before the close. */
export function afterUpgrade(l: Listener, target: string, frame: Buffer, more = '', waitMs = 3_000): Promise<{ upgraded: boolean; rest: string }> {
  return new Promise((resolve) => {
    const socket = open(l);
    let got = '';
    let sent = false;
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ upgraded: got.startsWith('HTTP/1.1 101'), rest: got.slice(got.indexOf('\r\n\r\n') + 4) });
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (!sent && got.includes('\r\n\r\n')) {
        sent = true;
        if (got.startsWith('HTTP/1.1 101')) socket.write(frame);
        else done();
      }
    });
    socket.on('close', done);
    socket.on(l.tls ? 'secureConnect' : 'connect', () => socket.write(upgrade(l, target, more)));
  });
}

/** Sockets that start a request and stop, then vanish with a reset: a half-open client. */
export async function halfOpen(l: Listener, count: number, prefix: string): Promise<void> {
  const sockets = Array.from({ length: count }, () => {
    const s = open(l);
    s.on(l.tls ? 'secureConnect' : 'connect', () => s.write(prefix));
    return s;
  });
  await new Promise((r) => setTimeout(r, 300));
  for (const s of sockets) {
    try {
      s.resetAndDestroy(); // TCP RST, as a crashed client or a dropped connection leaves it
    } catch {
      s.destroy(); // a TLS socket cannot be reset from here
    }
  }
}

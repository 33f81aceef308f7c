// The parts of spdy-transport (no bundled types) the emulator uses: the SPDY/3
// header dictionary with its zlib pair, and the lock that keeps one zlib
// stream's writes and flushed output in order.
declare module 'spdy-transport' {
  import type { Deflate, Inflate } from 'node:zlib';
  interface ZlibPair { compress: Deflate; decompress: Inflate }
  interface LockStream {
    write(chunks: Buffer[], callback: (err: Error | null, chunks?: Buffer[]) => void): void;
  }
  const transport: {
    protocol: { spdy: { compressionPool: { create(compression: boolean): { get(version: string): ZlibPair } } } };
    utils: { LockStream: new (stream: Deflate | Inflate) => LockStream };
  };
  export default transport;
}

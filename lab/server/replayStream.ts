// A duplex over a socket that first yields bytes already read from it (while sniffing for TLS), so a
// TLSSocket can be built on top without losing them.
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

export function replayStream(socket: Socket, head: Buffer): Duplex {
  const duplex = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      if (socket.destroyed) return cb();
      socket.write(chunk, () => cb());
    },
    final(cb) {
      socket.end();
      cb();
    },
    destroy(err, cb) {
      socket.destroy();
      cb(err);
    },
  });
  // Errors surface on the TLSSocket built on top; the raw socket has its own handler.
  duplex.on('error', () => {});
  duplex.push(head);
  socket.on('data', (d: Buffer) => {
    if (!duplex.push(d)) socket.pause();
  });
  socket.on('end', () => duplex.push(null));
  socket.on('close', () => duplex.destroy());
  return duplex;
}

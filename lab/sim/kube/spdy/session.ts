// The server end of one SPDY/3.1 connection as moby/spdystream's peer: streams
// the client opens (SYN_STREAM), our SYN_REPLY, DATA with FIN half-closes,
// RST_STREAM, PING echoes and GOAWAY. Header blocks go through one zlib
// stream per direction with the SPDY/3 dictionary (spdy-transport's pool), so
// every block, even of frames we ignore, is inflated in order. Flow control is
// not enforced in either direction, as spdystream does not enforce it.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import spdyTransport from 'spdy-transport';
import { cutFrames, dataFrame, encodeHeaderBlock, FLAG_FIN, FrameType, goAwayFrame, headerBlockOf, parseHeaderBlock, pingFrame, rstFrame, synReplyFrame, type Frame } from './frames';

/** Streams one connection may hold open at once; more are refused (REFUSED_STREAM). */
const MAX_STREAMS = 1000;

export class SpdyStream extends EventEmitter {
  private localFin = false;
  remoteFin = false;
  reset = false;

  constructor(private readonly session: SpdySession, readonly id: number, readonly headers: Map<string, string[]>) {
    super();
  }

  header(name: string): string | undefined {
    return this.headers.get(name.toLowerCase())?.[0];
  }

  reply(): void {
    this.session.send(this.session.headers({}).then((block) => synReplyFrame(this.id, block, false)));
  }

  write(data: Buffer): void {
    if (this.localFin || this.reset) return;
    for (let at = 0; at < data.length; at += 32 * 1024) this.session.send(dataFrame(this.id, data.subarray(at, at + 32 * 1024), false));
  }

  /** Half-closes our side (an empty DATA frame with FIN), as spdystream's Stream.Close does. */
  end(): void {
    if (this.localFin || this.reset) return;
    this.localFin = true;
    this.session.send(dataFrame(this.id, Buffer.alloc(0), true));
    this.session.forgetIfDone(this);
  }

  resetStream(status: number): void {
    if (this.reset) return;
    this.reset = true;
    this.session.send(rstFrame(this.id, status));
    this.session.forget(this);
  }

  get done(): boolean {
    return this.reset || (this.localFin && this.remoteFin);
  }
}

/**
 * Events: 'stream' (SpdyStream) for each SYN_STREAM; 'close' once the transport is gone.
 * Stream events: 'data' (Buffer), 'end' (peer's FIN), 'reset' (peer's RST or connection loss).
 */
export class SpdySession extends EventEmitter {
  private readonly streams = new Map<number, SpdyStream>();
  private readonly zlib = spdyTransport.protocol.spdy.compressionPool.create(true).get('3.1');
  private readonly deflate = new spdyTransport.utils.LockStream(this.zlib.compress);
  private readonly inflate = new spdyTransport.utils.LockStream(this.zlib.decompress);
  private pending: Buffer = Buffer.alloc(0);
  /** Incoming frames are handled one at a time: inflating a header block is asynchronous. */
  private inbound: Promise<void> = Promise.resolve();
  /** Outgoing frames leave in the order they were sent, whether or not they wait for deflate. */
  private outbound: Promise<void> = Promise.resolve();
  private lastStreamId = 0;
  closed = false;

  constructor(private readonly transport: Duplex) {
    super();
    transport.on('data', (chunk: Buffer) => this.receive(chunk));
    transport.on('error', () => this.close());
    transport.on('close', () => this.close());
    transport.on('end', () => this.close());
  }

  /** Bytes from the peer: the transport's data, and what arrived with the upgrade request before it. */
  receive(chunk: Buffer): void {
    if (this.closed || chunk.length === 0) return;
    this.pending = Buffer.concat([this.pending, chunk]);
    let frames: Frame[];
    try {
      ({ frames, rest: this.pending } = cutFrames(this.pending));
    } catch {
      this.goAway(1);
      return;
    }
    for (const frame of frames) this.inbound = this.inbound.then(() => this.handle(frame)).catch(() => this.goAway(1));
  }

  private async handle(frame: Frame): Promise<void> {
    if (this.closed) return;
    if (!frame.control) {
      const stream = this.streams.get(frame.streamId);
      if (!stream) return;
      if (frame.data.length > 0) stream.emit('data', frame.data);
      if (frame.flags & FLAG_FIN) this.remoteEnd(stream);
      return;
    }
    switch (frame.type) {
      case FrameType.SynStream:
      case FrameType.SynReply:
      case FrameType.Headers: {
        const { streamId, block } = headerBlockOf(frame.type, frame.body);
        const headers = parseHeaderBlock(await this.inflateBlock(block));
        if (frame.type !== FrameType.SynStream) return;
        if (streamId % 2 === 0 || streamId <= this.lastStreamId) return this.send(rstFrame(streamId, 1));
        this.lastStreamId = streamId;
        if (this.streams.size >= MAX_STREAMS) return this.send(rstFrame(streamId, 3));
        const stream = new SpdyStream(this, streamId, headers);
        this.streams.set(streamId, stream);
        this.emit('stream', stream);
        if (frame.flags & FLAG_FIN) this.remoteEnd(stream);
        return;
      }
      case FrameType.RstStream: {
        const stream = this.streams.get(frame.body.readUInt32BE(0) & 0x7fffffff);
        if (!stream) return;
        stream.reset = true;
        this.forget(stream);
        stream.emit('reset');
        return;
      }
      case FrameType.Ping:
        // Client pings have odd ids; a server would only see its own even ids come back.
        if (frame.body.length >= 4 && frame.body.readUInt32BE(0) % 2 === 1) this.send(pingFrame(frame.body.readUInt32BE(0)));
        return;
      case FrameType.GoAway:
        this.close();
        return;
      default:
        // SETTINGS, WINDOW_UPDATE and unknown control frames change nothing here.
        return;
    }
  }

  private remoteEnd(stream: SpdyStream): void {
    if (stream.remoteFin) return;
    stream.remoteFin = true;
    stream.emit('end');
    this.forgetIfDone(stream);
  }

  private inflateBlock(block: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => this.inflate.write([block], (err, chunks) => (err ? reject(err) : resolve(Buffer.concat(chunks ?? [])))));
  }

  /** A compressed header block for a frame we send. */
  headers(values: Record<string, string>): Promise<Buffer> {
    return new Promise((resolve, reject) => this.deflate.write([encodeHeaderBlock(values)], (err, chunks) => (err ? reject(err) : resolve(Buffer.concat(chunks ?? [])))));
  }

  send(frame: Buffer | Promise<Buffer>): void {
    if (this.closed) return;
    const next = this.outbound.then(async () => {
      const bytes = await frame;
      // Frames queued before a GOAWAY still leave; nothing is queued after it.
      if (this.transport.writable) this.transport.write(bytes);
    });
    this.outbound = next.catch(() => this.close());
  }

  forgetIfDone(stream: SpdyStream): void {
    if (stream.done) this.forget(stream);
  }

  forget(stream: SpdyStream): void {
    this.streams.delete(stream.id);
  }

  /** GOAWAY, then the transport ends: kubectl sees the connection to the pod end. */
  goAway(status = 0): void {
    if (this.closed) return;
    const frame = goAwayFrame(this.lastStreamId, status);
    const outbound = this.outbound;
    this.close();
    void outbound.then(() => {
      if (this.transport.writable) this.transport.end(frame);
      else this.transport.destroy();
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const stream of this.streams.values()) {
      stream.reset = true;
      stream.emit('reset');
    }
    this.streams.clear();
    this.zlib.compress.destroy();
    this.zlib.decompress.destroy();
    this.emit('close');
  }
}

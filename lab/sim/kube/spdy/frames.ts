// SPDY/3.1 frame layout (draft-mbelshe-httpbis-spdy-00 as moby/spdystream and
// Go's spdy framer speak it): an 8-byte header, then a body. Control frames
// carry version 3 and a type; data frames a 31-bit stream id. Header blocks are
// zlib-compressed elsewhere (headerCodec.ts); this file only cuts and builds frames.

export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;

export const enum FrameType {
  SynStream = 1,
  SynReply = 2,
  RstStream = 3,
  Settings = 4,
  Ping = 6,
  GoAway = 7,
  Headers = 8,
  WindowUpdate = 9,
}

/** RST_STREAM status codes. */
export const RST = { ProtocolError: 1, InvalidStream: 2, RefusedStream: 3, Cancel: 5, InternalError: 6 } as const;

export type Frame =
  | { control: true; type: number; flags: number; body: Buffer }
  | { control: false; streamId: number; flags: number; data: Buffer };

const HEADER = 8;
/** Larger frames are a protocol error here (kubectl writes at most 32 KiB of data per frame). */
export const MAX_FRAME = 1 << 20;

/**
 * Cuts whole frames off the front of `buffer`; returns them and the bytes left over.
 * Throws on a control frame of another SPDY version or an oversized frame.
 */
export function cutFrames(buffer: Buffer): { frames: Frame[]; rest: Buffer } {
  const frames: Frame[] = [];
  let at = 0;
  while (buffer.length - at >= HEADER) {
    const length = buffer.readUIntBE(at + 5, 3);
    if (length > MAX_FRAME) throw new Error(`SPDY frame of ${length} bytes is over the ${MAX_FRAME}-byte limit`);
    if (buffer.length - at < HEADER + length) break;
    const first = buffer.readUInt32BE(at);
    const flags = buffer[at + 4] ?? 0;
    const body = buffer.subarray(at + HEADER, at + HEADER + length);
    if (first & 0x80000000) {
      const version = (first >>> 16) & 0x7fff;
      if (version !== 3) throw new Error(`unsupported SPDY version ${version}`);
      frames.push({ control: true, type: first & 0xffff, flags, body });
    } else {
      frames.push({ control: false, streamId: first & 0x7fffffff, flags, data: body });
    }
    at += HEADER + length;
  }
  return { frames, rest: buffer.subarray(at) };
}

function control(type: FrameType, flags: number, body: Buffer): Buffer {
  const head = Buffer.alloc(HEADER);
  head.writeUInt32BE((0x8000 | 3) * 0x10000 + type, 0);
  head[4] = flags;
  head.writeUIntBE(body.length, 5, 3);
  return Buffer.concat([head, body]);
}

const u32 = (...values: number[]): Buffer => {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, 4 * i));
  return b;
};

export function dataFrame(streamId: number, data: Buffer, fin: boolean): Buffer {
  const head = Buffer.alloc(HEADER);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head[4] = fin ? FLAG_FIN : 0;
  head.writeUIntBE(data.length, 5, 3);
  return Buffer.concat([head, data]);
}

export const synReplyFrame = (streamId: number, compressedHeaders: Buffer, fin: boolean): Buffer =>
  control(FrameType.SynReply, fin ? FLAG_FIN : 0, Buffer.concat([u32(streamId & 0x7fffffff), compressedHeaders]));
export const rstFrame = (streamId: number, status: number): Buffer => control(FrameType.RstStream, 0, u32(streamId & 0x7fffffff, status));
export const pingFrame = (id: number): Buffer => control(FrameType.Ping, 0, u32(id));
export const goAwayFrame = (lastGoodStreamId: number, status = 0): Buffer => control(FrameType.GoAway, 0, u32(lastGoodStreamId & 0x7fffffff, status));

/** The stream id and the compressed header block of a SYN_STREAM, SYN_REPLY or HEADERS body. */
export function headerBlockOf(type: number, body: Buffer): { streamId: number; block: Buffer } {
  const skip = type === FrameType.SynStream ? 10 : 4;
  if (body.length < skip) throw new Error(`SPDY frame type ${type} is too short`);
  return { streamId: body.readUInt32BE(0) & 0x7fffffff, block: body.subarray(skip) };
}

/** A decompressed v3 header block: count, then (length, name, length, value) pairs; values may hold several, NUL-separated. */
export function parseHeaderBlock(block: Buffer): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  let at = 0;
  const take = (n: number): Buffer => {
    if (at + n > block.length) throw new Error('SPDY header block is truncated');
    const out = block.subarray(at, at + n);
    at += n;
    return out;
  };
  const count = take(4).readUInt32BE(0);
  for (let i = 0; i < count; i += 1) {
    const name = take(take(4).readUInt32BE(0)).toString('utf8');
    const value = take(take(4).readUInt32BE(0)).toString('utf8');
    headers.set(name.toLowerCase(), value.split('\0'));
  }
  return headers;
}

export function encodeHeaderBlock(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [u32(Object.keys(headers).length)];
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(value, 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

import { describe, expect, it } from 'vitest';
import { cutFrames, dataFrame, encodeHeaderBlock, FLAG_FIN, FrameType, goAwayFrame, headerBlockOf, parseHeaderBlock, pingFrame, rstFrame, synReplyFrame } from './frames';

describe('SPDY/3.1 frames', () => {
  it('lays out control frames with version 3, the type, flags and a 24-bit length', () => {
    expect(pingFrame(7).toString('hex')).toBe('80030006' + '00000004' + '00000007');
    expect(rstFrame(3, 5).toString('hex')).toBe('80030003' + '00000008' + '00000003' + '00000005');
    expect(goAwayFrame(9).toString('hex')).toBe('80030007' + '00000008' + '00000009' + '00000000');
    expect(synReplyFrame(1, Buffer.from('ab'), true).toString('hex')).toBe('80030002' + '01000006' + '00000001' + '6162');
  });

  it('lays out data frames with the stream id, FIN and the payload', () => {
    expect(dataFrame(5, Buffer.from('hi'), false).toString('hex')).toBe('00000005' + '00000002' + '6869');
    expect(dataFrame(5, Buffer.alloc(0), true).toString('hex')).toBe('00000005' + '01000000');
  });

  it('cuts whole frames and keeps a partial one for the next chunk', () => {
    const bytes = Buffer.concat([pingFrame(1), dataFrame(3, Buffer.from('hello'), true)]);
    const first = cutFrames(bytes.subarray(0, 15));
    expect(first.frames).toEqual([{ control: true, type: FrameType.Ping, flags: 0, body: Buffer.from('00000001', 'hex') }]);
    expect(first.rest.length).toBe(3);
    const second = cutFrames(Buffer.concat([first.rest, bytes.subarray(15)]));
    expect(second.frames).toEqual([{ control: false, streamId: 3, flags: FLAG_FIN, data: Buffer.from('hello') }]);
    expect(second.rest.length).toBe(0);
  });

  it('refuses another SPDY version and oversized frames', () => {
    expect(() => cutFrames(Buffer.from('8002000600000004' + '00000001', 'hex'))).toThrow('unsupported SPDY version 2');
    expect(() => cutFrames(Buffer.from('00000001' + '00ffffff', 'hex'))).toThrow('over the');
  });

  it('round-trips a header block; names are lower-cased and multi-values split on NUL', () => {
    const block = encodeHeaderBlock({ streamType: 'data', port: '4321', requestID: '0', multi: 'a\0b' });
    const parsed = parseHeaderBlock(block);
    expect(parsed.get('streamtype')).toEqual(['data']);
    expect(parsed.get('requestid')).toEqual(['0']);
    expect(parsed.get('multi')).toEqual(['a', 'b']);
    expect(() => parseHeaderBlock(block.subarray(0, 10))).toThrow('truncated');
  });

  it('finds the header block after the SYN_STREAM prelude (ids, priority, slot)', () => {
    const body = Buffer.concat([Buffer.from('00000003' + '00000000' + '0000', 'hex'), Buffer.from('zz')]);
    expect(headerBlockOf(FrameType.SynStream, body)).toEqual({ streamId: 3, block: Buffer.from('zz') });
    expect(headerBlockOf(FrameType.Headers, Buffer.from('00000005zz'.replace('zz', '7a7a'), 'hex'))).toEqual({ streamId: 5, block: Buffer.from('zz') });
  });
});

// The OpAMP WebSocket message header: a varint uint64 in front of the protobuf bytes, always 0 today.

/** Prefixes an encoded message with the 0x00 header every OpAMP WebSocket message carries. */
export function frameWsMessage(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.length + 1);
  out[0] = 0;
  out.set(payload, 1);
  return out;
}

/**
 * Strips the varint header. A frame whose first byte is not 0x00 is taken as a legacy header-less
 * message (as opamp-go does); a header that decodes to a non-zero value is malformed.
 */
export function unframeWsMessage(frame: Uint8Array): Uint8Array {
  if (frame.length === 0 || frame[0] !== 0) return frame;
  // First byte 0x00 is a complete one-byte varint of value 0.
  return frame.subarray(1);
}


// OpAMP protocol for every layer: message types, protobuf codec, WebSocket header, ids and hashes.
export type * from './types';
export * from './constants';
export { encodeAgentToServer, decodeAgentToServer, encodeServerToAgent, decodeServerToAgent } from './codec';
export { frameWsMessage, unframeWsMessage } from './wsFrame';
export { uuidToBytes, bytesToUuid, bytesToHex, isUuid, newUuidV7 } from './uuid';
export { configMapHash } from './configHash';
export { sha256 } from './sha256';
export { anyValueText, attributeText, describeAgent } from './describe';
export { utf8Encode, utf8Decode } from './utf8';

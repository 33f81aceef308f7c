// One overlay ("Additional Configuration") as the server offers it: the text, the AgentRemoteConfig built
// from it and its config_hash, computed once when the overlay is saved or loaded — never per heartbeat.
import { bytesToHex, configMapHash, utf8Encode, type AgentRemoteConfig } from '../../shared/opamp/index';

export interface Overlay {
  readonly text: string;
  /** AgentRemoteConfig{config_map {"": body}, config_hash}, as the opamp-go example server sends it. */
  readonly offer: AgentRemoteConfig;
  /** Lowercase hex of config_hash. */
  readonly hash: string;
}

/** How many config hashes were computed (observable, so tests can prove heartbeats compute none). */
export const overlayHashes = { computed: 0 };

export function makeOverlay(text: string): Overlay {
  const config = { configMap: { '': { body: utf8Encode(text) } } };
  const configHash = configMapHash(config);
  overlayHashes.computed += 1;
  return { text, offer: { config, configHash }, hash: bytesToHex(configHash) };
}

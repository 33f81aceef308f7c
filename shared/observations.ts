// Facts about one agent pod, each with the time it was observed. The engine
// gathers them (watch, exec probe, logs, server view); criteria.ts turns them
// into the six checkmarks without doing any I/O.
import type { ProcessInfo, ServerAgentView } from './state';
import type { KeyPath } from './overlay';

export interface EffectiveFileObservation {
  at: number;
  exists: boolean;
  size?: number;
  mtime?: number;
  sha256?: string;
  /** Present once the content for this hash was read. */
  content?: string;
}

export interface LogFact {
  at: number;
  text: string;
}

export interface OverlayFact {
  text: string;
  keyPaths: KeyPath[];
  /** When it was sent (or first seen on the server). */
  sentAt: number;
  /** Hash of the config the server sent, hex, when known. */
  hash?: string;
  /** When the server acknowledged the save (it sends the config to the agent as it saves), when the app sent it. */
  ackAt?: number;
}

export interface PodObservations {
  pod: string;
  /** The agent container's current start (epoch ms): criteria reset when it changes. */
  containerStartedAt?: number;
  containerRunning: boolean;
  /** CrashLoopBackOff, ImagePullBackOff, Error… while the container is not running. */
  containerReason?: string;
  /** Latest process table, undefined until the probe reported once for this container. */
  processes?: { at: number; list: ProcessInfo[] };
  probeError?: string;
  effective?: EffectiveFileObservation;
  /** The last "Connected to the server." log line since the container started. */
  connectedLog?: LogFact;
  /** The last line saying the connection failed (bad handshake, refused…) since the container started. */
  connectFailureLog?: LogFact;
  /** This pod's agent as the server lists it (matched by instance uid or host name). */
  server?: ServerAgentView & { at: number; source: string };
  /** Whether the server view could be read at all. */
  serverReachable?: boolean;
  /** The overlay the server last sent (ours or the one it kept). */
  overlay?: OverlayFact;
  /** The collector's last startup refusal in /storage/agent.log ("Error: …") since the container started. */
  collectorError?: LogFact;
  /** The supervisor's last "Agent process started" line (pid) since the container started. */
  collectorStarted?: { at: number; pid: number };
  /** The collector's last "Everything is ready" line in /storage/agent.log since the container started. */
  collectorReady?: LogFact;
}

export function emptyObservations(pod: string): PodObservations {
  return { pod, containerRunning: false };
}

/** Matches a pod to the server's agent list: the instance uid in effective.yaml first, then host.name. */
export function matchServerAgent<T extends ServerAgentView>(pod: string, instanceUid: string | undefined, agents: readonly T[]): T | undefined {
  const norm = (s: string): string => s.replace(/-/g, '').toLowerCase();
  if (instanceUid) {
    const byUid = agents.find((a) => norm(a.instanceUid) === norm(instanceUid));
    if (byUid) return byUid;
  }
  const byHost = agents.filter((a) => a.hostName === pod);
  return byHost.find((a) => a.connected) ?? byHost[0];
}

// The seam between the emulated kubelet (lab/sim/kube) and the emulated pods
// (lab/sim/pod). The kubelet owns pod lifecycle, status and logs; a sandbox
// owns what lives inside a pod: its file system, process table and containers.

/** How a pod sees the network: cluster DNS, Services and the real local ports behind them. */
export interface SimNetwork {
  /**
   * Resolves host:port as seen from inside a pod. `host` may be a Service name in any of its DNS
   * forms (`svc`, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local`), a pod IP, or 127.0.0.1/localhost
   * (which the caller resolves within its own pod). The answer is the real 127.0.0.1 port to dial.
   */
  resolve(fromNamespace: string, host: string, port: number): ResolvedAddress;
  /** Cluster DNS: a Service's A record (its ClusterIP) by any of its DNS forms, as CoreDNS answers it. */
  lookup?(fromNamespace: string, host: string): { fqdn: string; ip: string } | undefined;
}

export type ResolvedAddress =
  | { ok: true; host: string; port: number }
  | { ok: false; error: 'ENOTFOUND' | 'ECONNREFUSED' };

export interface VolumeMountSpec {
  mountPath: string;
  readOnly?: boolean;
  /** Content behind the mount. A configMap with subPath mounts one key as one file. */
  source:
    | { kind: 'configMap'; name: string; data: Record<string, string>; subPath?: string }
    | { kind: 'emptyDir'; volumeName: string }
    /** A folder of the emulated node: `hostDir` is the real folder the kubelet maps `path` to. */
    | { kind: 'hostPath'; volumeName: string; path: string; hostDir: string };
}

export interface ContainerSpec {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: Record<string, string>;
  ports?: { containerPort: number; name?: string }[];
  volumeMounts: VolumeMountSpec[];
  /** The container's main process reads stdin (`kubectl run -i`, `kubectl debug -i`): attach can write to it. */
  stdin?: boolean;
  tty?: boolean;
}

export interface PodSandboxOptions {
  namespace: string;
  name: string;
  uid: string;
  ip: string;
  network: SimNetwork;
}

export interface ContainerExit {
  exitCode: number;
  /** Kubernetes' terminated.reason: Completed, Error, OOMKilled, ContainerCannotRun. */
  reason: string;
  message?: string;
  signal?: string;
}

export type LogStream = 'stdout' | 'stderr';

export interface ContainerIo {
  /** One line of container output, without its trailing newline. The kubelet timestamps and stores it. */
  log(stream: LogStream, line: string): void;
}

export interface PodSandbox {
  readonly ip: string;
  /**
   * Starts (or restarts) a container. emptyDir volumes live as long as the sandbox, so a
   * restarted container sees what the previous one wrote to them.
   */
  startContainer(spec: ContainerSpec, io: ContainerIo): RunningContainer;
  /** The real 127.0.0.1 port behind a container port, while something in the pod listens on it. */
  localPort(containerPort: number): number | undefined;
  /** Stops every container and releases ports; the sandbox is gone afterwards. */
  destroy(): Promise<void>;
}

export interface RunningContainer {
  readonly name: string;
  readonly startedAt: Date;
  /** Settles once, when the container's main process has exited. */
  readonly exited: Promise<ContainerExit>;
  /** The readiness the kubelet reports (the agent is ready once started; the server once listening). */
  isReady(): boolean;
  /** SIGTERM, then after graceMs SIGKILL (the supervisor ignores SIGTERM as PID 1 in reality). */
  stop(graceMs: number): Promise<void>;
  exec(req: ExecRequest): ExecSession;
  /**
   * The main process's own stdio, for `kubectl attach`: a session when the container was started
   * with stdin (its shell reads what is typed); undefined when it has none (attach then follows output).
   */
  attach?(): ExecSession | undefined;
}

export interface ExecRequest {
  command: string[];
  tty: boolean;
  stdin: boolean;
  cols?: number;
  rows?: number;
}

export interface ExecSession {
  writeStdin(data: Uint8Array): void;
  closeStdin(): void;
  resize(cols: number, rows: number): void;
  onStdout(listener: (data: Uint8Array) => void): void;
  onStderr(listener: (data: Uint8Array) => void): void;
  /** Settles when the command ends; `error` is set when it could not start (not found, not executable). */
  readonly exit: Promise<{ code: number; error?: string }>;
  kill(): void;
}

/** Known images start; anything else fails to pull (ErrImagePull → ImagePullBackOff). */
export type ImageCheck = (image: string) => boolean;

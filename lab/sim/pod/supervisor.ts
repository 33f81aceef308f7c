// The agent image's PID 1: an opampsupervisor 0.136 emulator. Loads /supervisor.yaml strictly,
// keeps its instance id in storage, talks real OpAMP to the server, writes effective.yaml and runs
// an emulated otelcol-contrib child that it restarts on each new remote config. As the real one
// (see the reference's §5.7–5.9): a child that exits is restarted every 5 s, health carries the
// exit, and a new remote config is APPLIED or FAILED ("Config apply timeout exceeded") when
// config_apply_timeout fires, by the child's health; the previous config is not kept running.
import { OpampAgentClient } from '../../opamp-client/index';
import { AgentCapabilities, RemoteConfigStatuses, bytesToUuid, newUuidV7, uuidToBytes, utf8Decode, type AgentRemoteConfig } from '../../../shared/opamp/index';
import { CollectorEmulator } from './collector';
import { composeEffectiveConfig } from './compose';
import { loadSupervisorConfig, type SupervisorConfig } from './supervisorConfig';
import { signalNumber, type ProcessTable, type Proc, type Signal } from './processTable';
import type { Vfs } from './vfs';
import type { ContainerIo, SimNetwork } from './types';

export interface SupervisorHost {
  fs: Vfs; procs: ProcessTable; io: ContainerIo; network: SimNetwork; namespace: string; hostname: string; argv: string[];
  /** The pod's container ports: the collector's receivers publish theirs here (port-forward reaches them). */
  listen?: (containerPort: number, localPort: number) => void;
  unlisten?: (containerPort: number) => void;
}

/** The real supervisor's fixed restart delay for a collector that exited. */
export const COLLECTOR_RESTART_MS = 5_000;

function goLogTime(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

export class SupervisorEmulator {
  client?: OpampAgentClient;
  collector?: Proc;
  collectorRun?: CollectorEmulator;
  private restartTimer?: ReturnType<typeof setTimeout>;
  private applyTimer?: ReturnType<typeof setTimeout>;
  private stopping = false;
  private cfg?: SupervisorConfig;
  private uid = '';
  private remote: Record<string, string> | undefined;
  private readonly exitWaiters: ((code: number) => void)[] = [];
  readonly exited: Promise<number>;

  constructor(private readonly h: SupervisorHost, readonly pid: number) {
    this.exited = new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  private log(level: string, msg: string, fields: Record<string, unknown> = {}, logger = 'supervisor', caller = 'supervisor/supervisor.go:312'): void {
    this.h.io.log(level === 'error' ? 'stderr' : 'stdout', JSON.stringify({ level, ts: Date.now() / 1000, logger, caller, msg, ...fields }));
  }

  private fatal(text: string): void {
    const lines = `${goLogTime()} ${text}`.split('\n');
    for (const l of lines) this.h.io.log('stderr', l);
    setTimeout(() => this.exitWaiters.forEach((w) => w(1)), 0);
  }

  start(): void {
    const idx = this.h.argv.findIndex((a) => a === '--config' || a.startsWith('--config='));
    const file = idx < 0 ? '' : this.h.argv[idx]!.includes('=') ? this.h.argv[idx]!.split('=')[1]! : this.h.argv[idx + 1] ?? '';
    if (!file) return this.fatal('failed to load config: path to config file cannot be empty');
    const node = this.h.fs.get(file);
    if (node?.kind !== 'file') return this.fatal(`failed to load config: cannot retrieve the configuration: unable to read the file ${file}: open ${file}: no such file or directory`);
    const cfg = loadSupervisorConfig(node.data, file, (p) => this.h.fs.get(p)?.kind === 'file');
    if ('fatal' in cfg) return this.fatal(cfg.fatal);
    this.cfg = cfg;
    this.h.fs.mkdir(cfg.storageDir);
    const statePath = `${cfg.storageDir}/persistent_state.yaml`;
    const state = this.h.fs.get(statePath)?.data.match(/instance_id:\s*(\S+)/)?.[1];
    this.uid = state ?? bytesToUuid(newUuidV7());
    if (!state) this.h.fs.write(statePath, `instance_id: ${this.uid}\n`);
    const saved = this.h.fs.get(`${cfg.storageDir}/last_recv_remote_config.dat`);
    if (saved) this.remote = JSON.parse(saved.data) as Record<string, string>;
    this.log('info', 'Supervisor starting', { id: this.uid });
    this.connect(cfg);
    if (!saved) this.log('info', 'No last received remote config found');
    try { this.writeEffective(); } catch (err) {
      return this.fatal(`failed to start supervisor: failed loading initial config: could not compose initial merged config: ${(err as Error).message}`);
    }
    this.startCollector();
  }

  private connect(cfg: SupervisorConfig): void {
    const caps = AgentCapabilities.ReportsStatus | AgentCapabilities.ReportsEffectiveConfig | AgentCapabilities.ReportsHealth | AgentCapabilities.ReportsHeartbeat
      | (cfg.acceptsRemoteConfig ? AgentCapabilities.AcceptsRemoteConfig | AgentCapabilities.ReportsRemoteConfig : 0);
    const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
    this.client = new OpampAgentClient({
      endpoint: cfg.endpoint,
      tls: { insecureSkipVerify: cfg.insecureSkipVerify },
      resolve: (host, port) => this.h.network.resolve(this.h.namespace, host, port),
      instanceUid: uuidToBytes(this.uid),
      capabilities: caps,
      heartbeatMs: 30_000,
      reconnect: { initialMs: 1000, maxMs: 30_000 },
      getDescription: () => ({
        identifyingAttributes: [str('service.instance.id', this.uid), str('service.name', 'otelcol-contrib'), str('service.version', '0.136.0')],
        nonIdentifyingAttributes: [str('host.arch', 'amd64'), str('host.name', this.h.hostname), str('os.type', 'linux')],
      }),
      getEffectiveConfig: () => this.h.fs.get(`${cfg.storageDir}/effective.yaml`)?.data ?? '',
      onConnect: () => this.log('info', 'Connected to the server.'),
      onConnectFailed: (err) => {
        this.log('error', 'Connection failed (' + err + '), will retry.', {}, 'supervisor.opamp-client', 'client/wsclient.go:154');
        this.log('error', 'Failed to connect to the server', { error: err });
      },
      onRemoteConfig: (rc) => this.applyRemote(rc),
    });
    this.client.setHealth({ healthy: true, startTimeUnixNano: Date.now() * 1e6, status: 'StatusOK' });
    this.client.start();
  }

  private composeInput(): Parameters<typeof composeEffectiveConfig>[0] {
    const cfg = this.cfg!;
    const locals = cfg.args.filter((a) => a.startsWith('--config=')).map((a) => this.h.fs.get(a.slice(9))?.data ?? '');
    return {
      instanceUid: this.uid, supervisorPid: this.pid, opampLocalPort: 40_000 + (this.pid % 1000),
      resource: { 'host.arch': 'amd64', 'host.name': this.h.hostname, 'os.type': 'linux', 'service.instance.id': this.uid, 'service.name': 'otelcol-contrib', 'service.version': '0.136.0' },
      localConfigs: locals, remote: this.remote,
    };
  }

  private writeEffective(): string {
    const text = composeEffectiveConfig(this.composeInput());
    this.h.fs.write(`${this.cfg!.storageDir}/effective.yaml`, text);
    return text;
  }

  private startCollector(): void {
    const cfg = this.cfg!;
    if (this.stopping) return;
    const effective = this.h.fs.get(`${cfg.storageDir}/effective.yaml`)?.data ?? '';
    const proc = this.h.procs.spawn([cfg.executable, '--config', `${cfg.storageDir}/effective.yaml`, ...cfg.args], this.pid);
    this.collector = proc;
    this.log('info', 'Agent process started', { pid: proc.pid }, 'supervisor', 'commander/commander.go:171');
    const run = new CollectorEmulator({
      fs: this.h.fs, logPath: `${cfg.storageDir}/agent.log`, pid: proc.pid, onExit: (code) => this.collectorExited(proc, run, code),
      ...(this.h.listen ? { listen: this.h.listen } : {}), ...(this.h.unlisten ? { unlisten: this.h.unlisten } : {}),
    }, effective);
    this.collectorRun = run;
    // Killed from a shell in the pod: the commander sees the exit, reports it and starts it again 5 s later.
    proc.onSignal = () => {
      run.stop();
      this.collectorExited(proc, run, -1);
    };
    run.start();
    if (run.healthy) this.client?.setHealth({ healthy: true, startTimeUnixNano: proc.startMs * 1e6, status: 'StatusOK' });
  }

  /** The child ended on its own: health says so and it is started again after a fixed 5 s. */
  private collectorExited(proc: Proc, run: CollectorEmulator, code: number): void {
    if (this.collectorRun !== run) return;
    this.h.procs.exit(proc.pid);
    this.collector = undefined;
    this.collectorRun = undefined;
    const lastError = `Agent process PID=${proc.pid} exited unexpectedly, exit code=${code}. Will restart in a bit...`;
    this.client?.setHealth({ healthy: false, startTimeUnixNano: proc.startMs * 1e6, lastError, status: 'StatusFatalError' });
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => { if (!this.collectorRun) this.startCollector(); }, COLLECTOR_RESTART_MS);
  }

  /**
   * A signal to PID 1 from inside the container: SIGKILL and SIGSTOP are ignored (the kernel
   * protects a namespace's init), SIGTERM and SIGINT shut the supervisor down cleanly (exit 0),
   * anything else ends it as Go's default action does.
   */
  signal(signal: Signal): void {
    if (signal === 'KILL' || signal === 'STOP') return;
    const code = signal === 'TERM' || signal === 'INT' ? 0 : 128 + signalNumber(signal);
    if (code === 0) this.log('info', 'Supervisor shutting down...');
    void this.shutdown(code);
  }

  private async shutdown(code: number): Promise<void> {
    this.stopping = true;
    clearTimeout(this.applyTimer);
    clearTimeout(this.restartTimer);
    this.stopCollector();
    await this.client?.stop();
    this.exitWaiters.forEach((w) => w(code));
  }

  private stopCollector(): void {
    clearTimeout(this.restartTimer);
    this.collectorRun?.stop();
    this.collectorRun = undefined;
    if (this.collector) this.h.procs.exit(this.collector.pid);
    this.collector = undefined;
  }

  private applyTimeoutMs(): number {
    return this.cfg?.configApplyTimeoutMs ?? 5_000;
  }

  private applyRemote(rc: AgentRemoteConfig): void {
    const cfg = this.cfg!;
    const hash = rc.configHash;
    const map: Record<string, string> = {};
    for (const [k, f] of Object.entries(rc.config?.configMap ?? {})) map[k] = utf8Decode(f.body ?? new Uint8Array());
    this.h.fs.write(`${cfg.storageDir}/last_recv_remote_config.dat`, JSON.stringify(map));
    this.client!.setRemoteConfigStatus({ lastRemoteConfigHash: hash, status: RemoteConfigStatuses.APPLYING });
    const previous = this.remote;
    const before = this.h.fs.get(`${cfg.storageDir}/effective.yaml`)?.data;
    this.remote = map;
    let text: string;
    try { text = composeEffectiveConfig(this.composeInput()); } catch (err) {
      // The merge itself failed (YAML): FAILED at once, nothing restarts, the collector keeps running.
      this.remote = previous;
      this.log('error', 'Could not merge special config file', { error: (err as Error).message, specialConfig: '$REMOTE_CONFIG' });
      this.log('error', 'Error composing merged config. Reporting failed remote config status.', { error: (err as Error).message });
      this.client!.setRemoteConfigStatus({ lastRemoteConfigHash: hash, status: RemoteConfigStatuses.FAILED, errorMessage: (err as Error).message });
      return;
    }
    if (text === before) {
      this.client!.setRemoteConfigStatus({ lastRemoteConfigHash: hash, status: RemoteConfigStatuses.APPLIED });
      return;
    }
    this.client!.setRemoteConfigStatus({ lastRemoteConfigHash: hash, status: RemoteConfigStatuses.APPLYING });
    this.stopCollector();
    this.log('error', 'opamp client error', { error: 'read tcp 127.0.0.1:40000->127.0.0.1:53112: read: connection reset by peer' }, 'supervisor.opamp-server', 'server/serverimpl.go:220');
    this.h.fs.write(`${cfg.storageDir}/effective.yaml`, text);
    this.client!.effectiveConfigChanged();
    this.startCollector();
    clearTimeout(this.applyTimer);
    this.applyTimer = setTimeout(() => {
      if (this.stopping) return;
      // As the real supervisor: the collector's last reported health decides.
      if (this.collectorRun?.healthy) this.client!.setRemoteConfigStatus({ lastRemoteConfigHash: hash, status: RemoteConfigStatuses.APPLIED });
      else this.client!.setRemoteConfigStatus({ lastRemoteConfigHash: hash, status: RemoteConfigStatuses.FAILED, errorMessage: 'Config apply timeout exceeded' });
    }, this.applyTimeoutMs());
  }

  async stop(): Promise<void> {
    await this.shutdown(137);
  }
}

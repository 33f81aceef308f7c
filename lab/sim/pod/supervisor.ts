// The agent image's PID 1: an opampsupervisor 0.136 emulator. Loads /supervisor.yaml strictly,
// keeps its instance id in storage, talks real OpAMP to the server, writes effective.yaml and runs
// an emulated otelcol-contrib child that it restarts on each new remote config.
import { OpampAgentClient } from '../../opamp-client/index';
import { AgentCapabilities, RemoteConfigStatuses, bytesToUuid, newUuidV7, uuidToBytes, utf8Decode, type AgentRemoteConfig } from '../../../shared/opamp/index';
import { composeEffectiveConfig, unknownComponent } from './compose';
import { loadSupervisorConfig, type SupervisorConfig } from './supervisorConfig';
import { signalNumber, type ProcessTable, type Proc, type Signal } from './processTable';
import type { Vfs } from './vfs';
import type { ContainerIo, SimNetwork } from './types';

export interface SupervisorHost { fs: Vfs; procs: ProcessTable; io: ContainerIo; network: SimNetwork; namespace: string; hostname: string; argv: string[] }

function goLogTime(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

export class SupervisorEmulator {
  client?: OpampAgentClient;
  collector?: Proc;
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
    this.writeEffective();
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

  private writeEffective(): string {
    const cfg = this.cfg!;
    const locals = cfg.args.filter((a) => a.startsWith('--config=')).map((a) => this.h.fs.get(a.slice(9))?.data ?? '');
    const text = composeEffectiveConfig({
      instanceUid: this.uid, supervisorPid: this.pid, opampLocalPort: 40_000 + (this.pid % 1000),
      resource: { 'host.arch': 'amd64', 'host.name': this.h.hostname, 'os.type': 'linux', 'service.instance.id': this.uid, 'service.name': 'otelcol-contrib', 'service.version': '0.136.0' },
      localConfigs: locals, remote: this.remote,
    });
    this.h.fs.write(`${cfg.storageDir}/effective.yaml`, text);
    return text;
  }

  private startCollector(): void {
    const cfg = this.cfg!;
    const collector = this.h.procs.spawn([cfg.executable, '--config', `${cfg.storageDir}/effective.yaml`, ...cfg.args], this.pid);
    this.collector = collector;
    // Killed from a shell in the pod: the commander sees the exit, reports unhealthy and starts it again 5 s later.
    collector.onSignal = () => this.collectorKilled(collector);
    this.log('info', 'Agent process started', { pid: this.collector.pid }, 'supervisor', 'commander/commander.go:171');
    const t = Date.now() / 1000;
    this.h.fs.write(`${cfg.storageDir}/agent.log`, `${JSON.stringify({ level: 'info', ts: t, caller: 'service@v0.136.0/service.go:190', msg: 'Setting up own telemetry...' })}\n${JSON.stringify({ level: 'info', ts: t, caller: 'service@v0.136.0/service.go:311', msg: 'Everything is ready. Begin running and processing data.' })}\n`);
  }

  private restartTimer?: NodeJS.Timeout;
  private stopping = false;

  private collectorKilled(collector: Proc): void {
    if (this.collector !== collector) return;
    this.h.procs.exit(collector.pid);
    this.collector = undefined;
    // Go's ExitCode() is -1 for a process ended by a signal.
    const lastError = `Agent process PID=${collector.pid} exited unexpectedly, exit code=-1. Will restart in a bit...`;
    this.client?.setHealth({ healthy: false, lastError });
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      if (this.stopping || this.collector) return;
      this.startCollector();
      this.client?.setHealth({ healthy: true, startTimeUnixNano: Date.now() * 1e6, status: 'StatusOK' });
    }, 5000);
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
    clearTimeout(this.restartTimer);
    this.stopCollector();
    await this.client?.stop();
    this.exitWaiters.forEach((w) => w(code));
  }

  private stopCollector(): void {
    if (this.collector) this.h.procs.exit(this.collector.pid);
    this.collector = undefined;
  }

  private applyRemote(rc: AgentRemoteConfig): void {
    const cfg = this.cfg!;
    const hash = rc.configHash;
    const map: Record<string, string> = {};
    for (const [k, f] of Object.entries(rc.config?.configMap ?? {})) map[k] = utf8Decode(f.body ?? new Uint8Array());
    this.h.fs.write(`${cfg.storageDir}/last_recv_remote_config.dat`, JSON.stringify(map));
    this.client!.setRemoteConfigStatus({ lastRemoteConfigHash: hash, status: RemoteConfigStatuses.APPLYING });
    const previous = this.remote;
    this.remote = map;
    let text: string;
    try { text = this.writeEffective(); } catch (err) {
      this.remote = previous;
      this.log('error', 'Error composing merged config. Reporting failed remote config status.', { error: (err as Error).message });
      this.client!.setRemoteConfigStatus({ lastRemoteConfigHash: hash, status: RemoteConfigStatuses.FAILED, errorMessage: (err as Error).message });
      return;
    }
    this.stopCollector();
    this.log('error', 'opamp client error', { error: 'read tcp 127.0.0.1:40000->127.0.0.1:53112: read: connection reset by peer' }, 'supervisor.opamp-server', 'server/serverimpl.go:220');
    const bad = unknownComponent(text);
    if (bad) {
      this.h.fs.write(`${cfg.storageDir}/agent.log`, `Error: failed to get config: cannot unmarshal the configuration: decoding failed due to the following error(s):\n\nerror decoding '${bad.split("'")[1]}': ${bad.split(': ').slice(1).join(': ')}\n`);
      this.client!.setRemoteConfigStatus({ lastRemoteConfigHash: hash, status: RemoteConfigStatuses.FAILED, errorMessage: `Config apply timeout exceeded: collector failed to start: ${bad}` });
      return;
    }
    this.startCollector();
    this.client!.setRemoteConfigStatus({ lastRemoteConfigHash: hash, status: RemoteConfigStatuses.APPLIED });
    this.client!.effectiveConfigChanged();
  }

  async stop(): Promise<void> {
    await this.shutdown(137);
  }
}

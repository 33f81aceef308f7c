// OpAMP agent client over WebSocket or plain HTTP, behaving like opamp-go's client: first message is a
// full status report, sequence numbers never reset, ReportFullState answered, heartbeats, agent_disconnect
// on stop, reconnect with exponential back-off. Used by the supervisor emulator and by tests.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import WebSocket from 'ws';
import {
  AgentCapabilities, ServerToAgentFlags, decodeServerToAgent, encodeAgentToServer, frameWsMessage, unframeWsMessage,
} from '../../shared/opamp/index';
import type {
  AgentDescription, AgentRemoteConfig, AgentToServer, ComponentHealth, RemoteConfigStatus, ServerToAgent,
} from '../../shared/opamp/index';
import { utf8Encode } from '../../shared/opamp/utf8';
import { describeDialError } from './dialError';
import { dialUrl, parseEndpoint, type Endpoint, type Resolve } from './endpoint';

export interface OpampAgentClientOptions {
  endpoint: string;
  tls?: { insecureSkipVerify?: boolean };
  resolve?: Resolve;
  headers?: Record<string, string>;
  instanceUid: Uint8Array;
  capabilities: number;
  getDescription: () => AgentDescription;
  getEffectiveConfig?: () => string;
  onConnect?: () => void;
  onConnectFailed?: (err: string) => void;
  onRemoteConfig?: (remoteConfig: AgentRemoteConfig) => void;
  onMessage?: (message: ServerToAgent) => void;
  onError?: (text: string) => void;
  heartbeatMs?: number;
  reconnect?: { initialMs?: number; maxMs?: number };
}

export class OpampAgentClient {
  private readonly ep: Endpoint;
  private ws: WebSocket | undefined;
  private seq = 0;
  private stopped = true;
  private connected = false;
  private health: ComponentHealth | undefined;
  private remoteStatus: RemoteConfigStatus | undefined;
  private pending: AgentToServer | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private failures = 0;
  private httpBusy = false;
  instanceUid: Uint8Array;

  constructor(private readonly opts: OpampAgentClientOptions) {
    this.ep = parseEndpoint(opts.endpoint);
    this.instanceUid = opts.instanceUid;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  get sequenceNum(): number {
    return this.seq;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.pending = this.fullState();
    if (this.ep.transport === 'ws') this.connectWs();
    else void this.flushHttp();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.heartbeat);
    clearTimeout(this.retry);
    const bye = { ...this.base(), agentDisconnect: {} };
    if (this.ep.transport === 'http') {
      await this.postHttp(bye).catch(() => undefined);
      return;
    }
    const ws = this.ws;
    this.ws = undefined;
    if (!ws) return;
    if (ws.readyState === WebSocket.OPEN) {
      ws.send(frameWsMessage(encodeAgentToServer(bye)));
      const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
      ws.close(1000, 'Normal closure');
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2000))]);
      if ((ws.readyState as number) !== WebSocket.CLOSED) ws.terminate();
    } else {
      ws.terminate();
    }
    this.connected = false;
  }

  setHealth(health: ComponentHealth): void {
    this.health = health;
    this.send({ health });
  }

  setRemoteConfigStatus(status: RemoteConfigStatus): void {
    this.remoteStatus = status;
    this.send({ remoteConfigStatus: status });
  }

  effectiveConfigChanged(): void {
    this.send({ effectiveConfig: this.effectiveConfig() });
  }

  descriptionChanged(): void {
    this.send({ agentDescription: this.opts.getDescription() });
  }

  private base(): AgentToServer {
    return { instanceUid: this.instanceUid, sequenceNum: this.seq, capabilities: this.opts.capabilities };
  }

  private effectiveConfig() {
    const text = this.opts.getEffectiveConfig?.() ?? '';
    return { configMap: { configMap: { '': { body: utf8Encode(text) } } } };
  }

  private fullState(): AgentToServer {
    const caps = this.opts.capabilities;
    const msg: AgentToServer = {
      agentDescription: this.opts.getDescription(),
      remoteConfigStatus: this.remoteStatus ?? {},
    };
    if (this.health) msg.health = this.health;
    if (caps & AgentCapabilities.ReportsEffectiveConfig) msg.effectiveConfig = this.effectiveConfig();
    return msg;
  }

  /** Merges into the one pending report (no queues, as the spec asks) and sends when possible. */
  private send(part: AgentToServer): void {
    this.pending = { ...this.pending, ...part };
    if (this.stopped) return;
    if (this.ep.transport === 'http') void this.flushHttp();
    else this.flushWs();
  }

  private next(): AgentToServer {
    const msg = { ...this.pending, ...this.base() };
    this.pending = undefined;
    this.seq++;
    return msg;
  }

  private flushWs(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN || !this.connected || !this.pending) return;
    ws.send(frameWsMessage(encodeAgentToServer(this.next())));
    this.armHeartbeat();
  }

  private armHeartbeat(): void {
    clearTimeout(this.heartbeat);
    const ms = this.opts.heartbeatMs ?? 30_000;
    if (ms <= 0 || this.stopped) return;
    this.heartbeat = setTimeout(() => {
      this.pending = this.pending ?? {};
      if (this.ep.transport === 'http') void this.flushHttp();
      else this.flushWs();
    }, ms);
    this.heartbeat.unref?.();
  }

  private connectWs(): void {
    let url: string;
    try {
      url = dialUrl(this.ep, this.opts.resolve);
    } catch (err) {
      this.failed(err);
      return;
    }
    const ws = new WebSocket(url, {
      headers: { Host: `${this.ep.host}:${this.ep.port}`, ...this.opts.headers },
      rejectUnauthorized: !this.opts.tls?.insecureSkipVerify,
      perMessageDeflate: false,
      handshakeTimeout: 10_000,
    });
    this.ws = ws;
    ws.binaryType = 'nodebuffer';
    let opened = false;
    ws.on('open', () => {
      opened = true;
      this.failures = 0;
      this.connected = true;
      this.opts.onConnect?.();
      // The full state is read now, so it wins over what was queued before connecting (an effective
      // config read at start() may predate the file the agent writes right after).
      this.pending = { ...this.pending, ...this.fullState() };
      this.flushWs();
    });
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (!isBinary) return;
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      this.receive(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
    });
    ws.on('error', (err) => {
      if (!opened) this.failed(err);
      else this.opts.onError?.(`websocket: ${err.message}`);
    });
    ws.on('close', () => {
      this.connected = false;
      clearTimeout(this.heartbeat);
      if (this.ws === ws) this.ws = undefined;
      if (opened && !this.stopped) this.scheduleReconnect();
    });
  }

  private failed(err: unknown): void {
    this.connected = false;
    this.opts.onConnectFailed?.(describeDialError(err, { host: this.ep.host, port: this.ep.port }));
    if (!this.stopped) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    clearTimeout(this.retry);
    const initial = this.opts.reconnect?.initialMs ?? 500;
    const max = this.opts.reconnect?.maxMs ?? 30_000;
    const delay = this.failures === 0 ? 0 : Math.min(max, initial * 1.5 ** (this.failures - 1)) * (0.5 + Math.random());
    this.failures++;
    this.retry = setTimeout(() => {
      if (this.stopped) return;
      if (this.ep.transport === 'ws') this.connectWs();
      else void this.flushHttp();
    }, delay);
  }

  private receive(frame: Uint8Array): void {
    let msg: ServerToAgent;
    try {
      msg = decodeServerToAgent(unframeWsMessage(frame));
    } catch (err) {
      this.opts.onError?.(err instanceof Error ? err.message : String(err));
      return;
    }
    this.handle(msg);
  }

  private handle(msg: ServerToAgent): void {
    this.opts.onMessage?.(msg);
    if (msg.errorResponse) {
      this.opts.onError?.(msg.errorResponse.errorMessage ?? 'server error response');
      return;
    }
    const newUid = msg.agentIdentification?.newInstanceUid;
    if (newUid && newUid.length === 16) this.instanceUid = newUid;
    if ((msg.flags ?? 0) & ServerToAgentFlags.ReportFullState) this.send(this.fullState());
    if (msg.remoteConfig) {
      if (this.opts.capabilities & AgentCapabilities.AcceptsRemoteConfig) this.opts.onRemoteConfig?.(msg.remoteConfig);
    }
  }

  private async flushHttp(): Promise<void> {
    if (this.httpBusy || this.stopped) return;
    this.httpBusy = true;
    try {
      while (!this.stopped) {
        const msg = this.next();
        const reply = await this.postHttp(msg);
        if (!this.connected) {
          this.connected = true;
          this.failures = 0;
          this.opts.onConnect?.();
        }
        this.handle(reply);
        if (!this.pending) break;
      }
      this.armHeartbeat();
    } catch (err) {
      this.pending = { ...this.pending, ...this.fullState() };
      this.httpBusy = false;
      this.failed(err);
      return;
    }
    this.httpBusy = false;
  }

  private async postHttp(msg: AgentToServer): Promise<ServerToAgent> {
    const url = dialUrl(this.ep, this.opts.resolve);
    const request = url.startsWith('https') ? httpsRequest : httpRequest;
    const body = encodeAgentToServer(msg);
    return new Promise((resolve, reject) => {
      const req = request(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-protobuf', 'Content-Length': body.length, Host: `${this.ep.host}:${this.ep.port}`, ...this.opts.headers },
        rejectUnauthorized: !this.opts.tls?.insecureSkipVerify,
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode !== 200) return reject(new Error(`OpAMP HTTP ${res.statusCode}`));
          try {
            resolve(decodeServerToAgent(new Uint8Array(Buffer.concat(chunks))));
          } catch (err) {
            reject(err);
          }
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}

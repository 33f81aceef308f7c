// The agent image's otelcol-contrib 0.136, as the supervisor's child: it loads effective.yaml with the
// project's one collector-config validator (shared/collectorConfig) and, like the real binary, either
// refuses it (the error on stderr, which the supervisor sends to /storage/agent.log, exit code 1) or
// runs it. Its stdout/stderr go to agent.log; its own logs are JSON (the supervisor's telemetry config).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isConfigMap, validateCollectorConfig, type ConfigMap, type ConfigVerdict } from '../../../shared/collectorConfig/index';
import { describeError } from '../../../shared/errorText';
import { decodeTraceRequest, encodeTraceResponse, traceRequestFromJson, type ExportTraceServiceRequest } from '../../../shared/otlp/traceProto';
import { detailedTraces, otlpHttpReceivers, runProcessors, spanCount, tracesPipelines } from './collectorPipeline';
import type { Vfs } from './vfs';

export interface CollectorHost {
  fs: Vfs;
  /** The file the supervisor redirects the collector's stdout and stderr to. */
  logPath: string;
  pid: number;
  /** Called once when the process ends on its own (not when stopped). */
  onExit: (code: number) => void;
  /** Publishes a listening container port (the pod's port-forward reaches it) and withdraws it. */
  listen?: (containerPort: number, localPort: number) => void;
  unlisten?: (containerPort: number) => void;
}

/** OTLP/HTTP bodies above this are refused (the real receiver's default max_request_body_size is 20 MiB). */
const MAX_BODY = 20 * 1024 * 1024;

function goLogTime(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

export class CollectorEmulator {
  readonly verdict: ConfigVerdict;
  private stopped = false;
  private exitTimer?: ReturnType<typeof setTimeout>;
  private readonly servers: { port: number; server: Server }[] = [];

  constructor(private readonly h: CollectorHost, configText: string) {
    this.verdict = validateCollectorConfig(configText);
  }

  get healthy(): boolean {
    return this.verdict.ok && !this.stopped;
  }

  /** The last error the process printed, when it refused its config. */
  get lastError(): string | undefined {
    return this.verdict.ok ? undefined : this.verdict.startupError;
  }

  log(fields: Record<string, unknown>): void {
    this.write(`${JSON.stringify({ level: 'info', ts: Date.now() / 1000, ...fields })}\n`);
  }

  write(text: string): void {
    if (this.h.fs.get(this.h.logPath.replace(/\/[^/]*$/, '') || '/')?.kind !== 'dir') return;
    this.h.fs.write(this.h.logPath, text, true);
  }

  start(): void {
    const v = this.verdict;
    // Decode and validation errors come before the logger exists; pipeline build errors after it.
    if (v.ok || v.stage === 'build') this.log({ caller: 'service@v0.136.0/service.go:190', msg: 'Setting up own telemetry...' });
    if (!v.ok) {
      const err = v.startupError ?? v.issues[0]?.message ?? 'invalid configuration';
      this.exitTimer = setTimeout(() => {
        if (this.stopped) return;
        this.write(`Error: ${err}\n${goLogTime()} collector server run finished with error: ${err}\n`);
        this.stopped = true;
        this.h.onExit(1);
      }, 50);
      return;
    }
    this.startReceivers(v.value ?? {});
    this.log({ caller: 'service@v0.136.0/service.go:311', msg: 'Everything is ready. Begin running and processing data.' });
  }

  private startReceivers(cfg: ConfigMap): void {
    for (const rec of otlpHttpReceivers(cfg)) {
      const pipelines = tracesPipelines(cfg, rec.id);
      const server = createServer((req, res) => {
        // Whatever a client sends through a port-forward (a body that breaks a processor, a reset mid-body)
        // ends that request, never the embedded lab and the app hosting it.
        this.onOtlp(req, res, cfg, pipelines).catch((err: unknown) => {
          if (res.headersSent) res.destroy();
          else res.writeHead(400, { 'content-type': 'text/plain' }).end(`request failed: ${describeError(err)}`);
        });
      });
      server.on('error', () => undefined);
      server.listen(0, '127.0.0.1', () => {
        const addr = server.address();
        if (this.stopped || typeof addr !== 'object' || !addr) return;
        this.h.listen?.(rec.port, addr.port);
      });
      this.servers.push({ port: rec.port, server });
      this.log({ caller: 'otlpreceiver@v0.136.0/otlp.go:181', msg: 'Starting HTTP server', 'otelcol.component.id': rec.id, 'otelcol.component.kind': 'receiver', endpoint: `localhost:${rec.port}` });
    }
  }

  private async onOtlp(req: IncomingMessage, res: ServerResponse, cfg: ConfigMap, pipelines: ReturnType<typeof tracesPipelines>): Promise<void> {
    const reply = (code: number, text: string): void => { res.writeHead(code, { 'content-type': 'text/plain' }).end(text); };
    if (req.url?.split('?')[0] !== '/v1/traces') return reply(404, '404 page not found\n');
    if (req.method !== 'POST') return reply(405, `${req.method ?? ''} method not allowed, supported: [POST]`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > MAX_BODY) return reply(400, 'request body too large');
      chunks.push(c);
    }
    const body = Buffer.concat(chunks);
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
    let data: ExportTraceServiceRequest;
    try {
      if (type === 'application/x-protobuf') data = decodeTraceRequest(body);
      else if (type === 'application/json') data = traceRequestFromJson(JSON.parse(body.toString('utf8')) as unknown);
      else return reply(415, `415 unsupported media type, supported: [application/json, application/x-protobuf]`);
    } catch (err) {
      return reply(400, `proto: ${(err as Error).message}`);
    }
    for (const p of pipelines) {
      const out = runProcessors(data, p.processors, cfg);
      for (const exp of p.exporters) this.export(exp, out, cfg);
    }
    res.writeHead(200, { 'content-type': type === 'application/json' ? 'application/json' : 'application/x-protobuf' });
    res.end(type === 'application/json' ? '{}' : Buffer.from(encodeTraceResponse()));
  }

  /** The debug exporter: a summary line, then (detailed) the otlptext block as one log message. */
  private export(id: string, data: ExportTraceServiceRequest, cfg: ConfigMap): void {
    if (id.split('/')[0] !== 'debug') return;
    const exps = isConfigMap(cfg.exporters) ? cfg.exporters : {};
    const settings = isConfigMap(exps[id]) ? (exps[id] as ConfigMap) : {};
    const verbosity = typeof settings.verbosity === 'string' ? settings.verbosity.toLowerCase() : 'basic';
    const fields = { 'otelcol.component.id': id, 'otelcol.component.kind': 'exporter', 'otelcol.signal': 'traces' };
    this.log({ caller: 'debugexporter@v0.136.0/debug.go:56', msg: 'Traces', ...fields, 'resource spans': data.resourceSpans?.length ?? 0, spans: spanCount(data) });
    if (verbosity === 'detailed') this.log({ caller: 'debugexporter@v0.136.0/debug.go:67', msg: detailedTraces(data), ...fields });
  }

  stop(): void {
    if (this.exitTimer) clearTimeout(this.exitTimer);
    for (const { port, server } of this.servers.splice(0)) {
      this.h.unlisten?.(port);
      server.close();
      server.closeAllConnections?.();
    }
    if (!this.stopped && this.verdict.ok) this.log({ caller: 'service@v0.136.0/service.go:341', msg: 'Shutdown complete.' });
    this.stopped = true;
  }
}


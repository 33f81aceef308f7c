// startLabServer: OpAMP (4320, TLS by default with the demo certificate), UI + /api (4321), opamp-go
// compatible REST API (4322). Ports 0 pick free ones; the real ports are returned.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { AgentRegistry } from './agentRegistry';
import { DEMO_CERT_PEM, DEMO_KEY_PEM } from './demoCert';
import { createOpampListener, OPAMP_PATH } from './opampListener';
import { createRestServer } from './restServer';
import { createUiServer } from './uiServer';

export { AgentRegistry } from './agentRegistry';
export { agentGroup, workloadOfHost } from './agentGroup';
export { OPAMP_PATH } from './opampListener';
export { DEMO_CERT_PEM, DEMO_KEY_PEM } from './demoCert';

export interface LabServerOptions {
  host?: string;
  opampPort?: number;
  uiPort?: number;
  restPort?: number | false;
  /** Default: TLS with the demo certificate. false = plain ws:// and http://. */
  tls?: { cert: string | Buffer; key: string | Buffer } | false;
  /** Largest accepted OpAMP message (WebSocket close 1009 / HTTP 413 above it). Default 16 MiB. */
  maxMessageBytes?: number;
  /** Disconnected agents are forgotten after this long (their group overlay is kept). Default 10 min. */
  forgetDisconnectedMs?: number;
  log?: (line: string) => void;
}

export interface LabServer {
  host: string;
  opampPort: number;
  uiPort: number;
  restPort: number | undefined;
  tls: boolean;
  /** e.g. wss://127.0.0.1:4320/v1/opamp */
  opampUrl: string;
  uiUrl: string;
  registry: AgentRegistry;
  close(): Promise<void>;
}

function listen(server: { listen(port: number, host: string): unknown; once(ev: string, fn: (...a: never[]) => void): unknown; address(): unknown }, port: number, host: string, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(`${what} port ${port} on ${host}: ${err.code === 'EADDRINUSE' ? 'address already in use' : err.message}`)));
    server.once('listening', () => resolve((server.address() as AddressInfo).port));
    server.listen(port, host);
  });
}

function closeHttp(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startLabServer(opts: LabServerOptions = {}): Promise<LabServer> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? (() => {});
  const tls = opts.tls === undefined ? { cert: DEMO_CERT_PEM, key: DEMO_KEY_PEM } : opts.tls;
  const registry = new AgentRegistry(log);
  const opamp = createOpampListener({ registry, tls, maxMessageBytes: opts.maxMessageBytes ?? 16 * 1024 * 1024, log });
  const ui = createUiServer(registry, log);
  const rest = opts.restPort === false ? undefined : createRestServer(registry, log);
  const started: Array<() => Promise<void>> = [];
  try {
    const opampPort = await listen(opamp.server, opts.opampPort ?? 4320, host, 'OpAMP');
    started.push(() => opamp.close());
    const uiPort = await listen(ui, opts.uiPort ?? 4321, host, 'UI');
    started.push(() => closeHttp(ui));
    let restPort: number | undefined;
    if (rest) {
      restPort = await listen(rest, opts.restPort === false ? 0 : (opts.restPort ?? 4322), host, 'REST API');
      started.push(() => closeHttp(rest));
    }
    const pruner = setInterval(() => registry.prune(opts.forgetDisconnectedMs ?? 600_000), 30_000);
    pruner.unref();
    const shownHost = host.includes(':') ? `[${host}]` : host;
    const opampUrl = `${tls ? 'wss' : 'ws'}://${shownHost}:${opampPort}${OPAMP_PATH}`;
    log(`[OPAMP] OpAMP server listening at ${opampUrl} - TLS ${tls ? 'enabled (use wss:// or https://; demo certificate)' : 'disabled (use ws:// or http://)'}`);
    log(`[UI] web UI at http://${shownHost}:${uiPort}`);
    if (restPort) log(`[API] REST API at http://${shownHost}:${restPort}/api/v1/agents`);
    let closing: Promise<void> | undefined;
    return {
      host, opampPort, uiPort, restPort, tls: !!tls, opampUrl, uiUrl: `http://${shownHost}:${uiPort}`, registry,
      close() {
        closing ??= (async () => {
          clearInterval(pruner);
          await Promise.all(started.map((c) => c()));
          log('[MAIN] OpAMP server stopped');
        })();
        return closing;
      },
    };
  } catch (err) {
    await Promise.all(started.map((c) => c()));
    throw err;
  }
}

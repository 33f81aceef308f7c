// startLabServer: OpAMP (4320, TLS by default with the demo certificate), UI + /api (4321), opamp-go
// compatible REST API (4322). Ports 0 pick free ones; the real ports are returned.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { AgentRegistry } from './agentRegistry';
import { DEMO_CERT_PEM, DEMO_KEY_PEM } from './demoCert';
import { withLimits, type ServerLimits } from './limits';
import { createOpampListener, OPAMP_PATH } from './opampListener';
import { OverlayStore } from './overlayStore';
import { createRestServer } from './restServer';
import { createUiServer } from './uiServer';

export { AgentRegistry } from './agentRegistry';
export { agentGroup, workloadOfHost } from './agentGroup';
export { OPAMP_PATH } from './opampListener';
export { DEMO_CERT_PEM, DEMO_KEY_PEM } from './demoCert';
export { DEFAULT_LIMITS, type ServerLimits } from './limits';

export interface LabServerOptions {
  host?: string;
  opampPort?: number;
  uiPort?: number;
  restPort?: number | false;
  /** Default: TLS with the demo certificate. false = plain ws:// and http://. */
  tls?: { cert: string | Buffer; key: string | Buffer } | false;
  /** Folder for overlays.json, so saved overlays survive a restart. Default: memory only. */
  dataDir?: string;
  /** Host names the UI and REST ports answer to besides IPs, localhost and the in-cluster Service names. */
  allowedHosts?: string[];
  /** Overrides of the stated limits (see limits.ts and README.md). */
  limits?: Partial<ServerLimits>;
  /** Shorthand for limits.maxMessageBytes. */
  maxMessageBytes?: number;
  /** Shorthand for limits.forgetDisconnectedMs. */
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
  limits: ServerLimits;
  /** Open agent WebSockets. */
  connections(): number;
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string, what: string, log: (line: string) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException): void =>
      reject(new Error(`${what} port ${port} on ${host}: ${err.code === 'EADDRINUSE' ? 'address already in use' : err.message}`));
    server.once('error', failed);
    server.once('listening', () => {
      server.off('error', failed);
      // Once listening, an error is an accept failure (EMFILE under a flood): logged, and the server keeps serving.
      server.on('error', (err: Error) => log(`${what} port: ${err.message}`));
      resolve((server.address() as AddressInfo).port);
    });
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
  const limits = withLimits({
    ...(opts.maxMessageBytes ? { maxMessageBytes: opts.maxMessageBytes } : {}),
    ...(opts.forgetDisconnectedMs ? { forgetDisconnectedMs: opts.forgetDisconnectedMs } : {}),
    ...opts.limits,
  });
  // A name given to --host is one the server is served under, too.
  const hostPolicy = { allowedHosts: [...(opts.allowedHosts ?? []), ...(/^[a-z]/i.test(host) ? [host] : [])] };
  const overlays = new OverlayStore({ ...(opts.dataDir ? { dataDir: opts.dataDir } : {}), maxAgents: limits.maxStoredAgentOverlays, maxGroups: limits.maxStoredGroupOverlays, log });
  await overlays.load();
  const registry = new AgentRegistry({ limits, overlays, log });
  const opamp = createOpampListener({ registry, tls, limits, hostPolicy, log });
  const ui = createUiServer({ registry, limits, hostPolicy, log });
  const rest = opts.restPort === false ? undefined : createRestServer({ registry, limits, hostPolicy, log });
  const started: Array<() => Promise<void>> = [];
  try {
    const opampPort = await listen(opamp.server, opts.opampPort ?? 4320, host, 'OpAMP', log);
    started.push(() => opamp.close());
    const uiPort = await listen(ui, opts.uiPort ?? 4321, host, 'UI', log);
    started.push(() => closeHttp(ui));
    let restPort: number | undefined;
    if (rest) {
      restPort = await listen(rest, opts.restPort === false ? 0 : (opts.restPort ?? 4322), host, 'REST API', log);
      started.push(() => closeHttp(rest));
    }
    const pruner = setInterval(() => registry.prune(), 30_000);
    pruner.unref();
    const shownHost = host.includes(':') ? `[${host}]` : host;
    const opampUrl = `${tls ? 'wss' : 'ws'}://${shownHost}:${opampPort}${OPAMP_PATH}`;
    log(`[OPAMP] OpAMP server listening at ${opampUrl} - TLS ${tls ? 'enabled (use wss:// or https://; demo certificate)' : 'disabled (use ws:// or http://)'}`);
    log(`[UI] web UI at http://${shownHost}:${uiPort}`);
    if (restPort) log(`[API] REST API at http://${shownHost}:${restPort}/api/v1/agents`);
    log(overlays.path ? `[STORE] saved overlays are kept in ${overlays.path}` : '[STORE] saved overlays are kept in memory only (no --data-dir)');
    let closing: Promise<void> | undefined;
    return {
      host, opampPort, uiPort, restPort, tls: !!tls, opampUrl, uiUrl: `http://${shownHost}:${uiPort}`, registry, limits,
      connections: () => opamp.connections(),
      close() {
        closing ??= (async () => {
          clearInterval(pruner);
          await Promise.all(started.map((c) => c()));
          await overlays.flush();
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

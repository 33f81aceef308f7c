// A cluster session: a kubeconfig, one context and one namespace, with the API
// clients built from them. Credentials stay inside KubeConfig; only names and
// the server URL leave this module.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import type { ContextList } from '../../../shared/api';
import { parseYamlDocument } from '../../../shared/yamlSafe';
import { EngineError } from '../errors';
import { apiGetJson } from './apiGet';
import { statusMessage } from './statusMessage';

export interface KubeSession {
  kc: k8s.KubeConfig;
  kubeconfigPath?: string;
  contextName: string;
  namespace: string;
  server?: string;
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
}

export function defaultKubeconfigPaths(): string[] {
  const env = process.env.KUBECONFIG;
  if (env) return env.split(delimiter).filter(Boolean);
  return [join(homedir(), '.kube', 'config')];
}

export function loadKubeConfig(path?: string): { kc: k8s.KubeConfig; path?: string } {
  const kc = new k8s.KubeConfig();
  const paths = path ? [path] : defaultKubeconfigPaths();
  const existing = paths.filter((p) => existsSync(p));
  if (existing.length === 0) {
    throw new EngineError('kubeconfig', path ? `No kubeconfig file at ${path}.` : `No kubeconfig found (looked at ${paths.join(', ')}). Use the embedded lab, or choose a kubeconfig file.`);
  }
  try {
    // client-node parses with its own YAML library; the budget check comes first, so a kubeconfig
    // that is an alias bomb or refers to itself gets a clear error instead of a hang or a crash.
    for (const file of existing) parseYamlDocument(readFileSync(file, 'utf8'));
    if (path) kc.loadFromFile(path);
    else if (process.env.KUBECONFIG) kc.loadFromDefault();
    else kc.loadFromFile(existing[0] ?? '');
  } catch (err) {
    throw new EngineError('kubeconfig', `Cannot read the kubeconfig ${existing.join(', ')}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  if (kc.getContexts().length === 0) throw new EngineError('kubeconfig', `The kubeconfig ${existing.join(', ')} has no contexts.`);
  return { kc, path: existing.join(delimiter) };
}

export function listContexts(path?: string): ContextList {
  try {
    const { kc, path: used } = loadKubeConfig(path);
    return {
      kubeconfigPath: used,
      current: kc.getCurrentContext() || undefined,
      contexts: kc.getContexts().map((c) => {
        const cluster = kc.getCluster(c.cluster);
        return { name: c.name, cluster: c.cluster, ...(c.namespace ? { namespace: c.namespace } : {}), ...(cluster?.server ? { server: cluster.server } : {}) };
      }),
    };
  } catch (err) {
    const e = err instanceof EngineError ? err : new EngineError('kubeconfig', String(err));
    return { contexts: [], error: { kind: e.kind, message: e.message } };
  }
}

/** Walks an error and its causes for an errno-style code. */
function errnoCode(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown; errno?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i += 1) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

/** Plain-language errors for anything a request to the API server can throw. */
export function kubeError(err: unknown, what: string, server?: string): EngineError {
  if (err instanceof EngineError) return err;
  const status = (err as { code?: unknown })?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (status === 401) return new EngineError('auth', `${what}: the API server rejected the credentials (401 Unauthorized). Log in again (e.g. refresh your AWS SSO session) or pick another context.`);
  if (status === 403) {
    const reason = statusMessage(err);
    return new EngineError('auth', `${what}: forbidden (403)${reason ? `: ${reason}` : ''}. Your user lacks RBAC permission for this in the namespace.`);
  }
  if (status === 404) return new EngineError('not-found', `${what}: not found (404).`);
  const code = errnoCode(err);
  if (code && ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'].includes(code)) {
    return new EngineError('unreachable', `${what}: cannot reach the API server${server ? ` at ${server}` : ''} (${code}). Is the cluster running and the VPN connected?`, { detail: message });
  }
  if (/certificate|self.signed|CERT_/i.test(message) || (code && code.startsWith('ERR_TLS'))) {
    return new EngineError('unreachable', `${what}: TLS error talking to ${server ?? 'the API server'}: ${message}`);
  }
  if (/fetch failed|socket hang up|network/i.test(message)) return new EngineError('unreachable', `${what}: cannot reach the API server${server ? ` at ${server}` : ''}: ${message}`);
  if (typeof status === 'number') return new EngineError('internal', `${what}: the API server answered ${status}: ${message.split('\n')[0]}`);
  return new EngineError('internal', `${what}: ${message}`);
}

type AgentFactory = (cluster: k8s.Cluster | null, options: Record<string, unknown>) => unknown;

/**
 * client-node builds a new HTTPS agent for every request and every exec/port-forward WebSocket
 * (KubeConfig's private createAgent), so each paid a new TLS handshake and a new secure context
 * (CA, client certificate and key parsed again). One keep-alive agent per cluster and credentials
 * lets requests reuse a connection and resume TLS sessions. Credentials that change (an exec plugin
 * issuing a new client certificate) give a new agent, as before.
 */
export function shareAgents(kc: k8s.KubeConfig): void {
  const target = kc as unknown as { createAgent: AgentFactory };
  const create = target.createAgent.bind(kc);
  const agents = new Map<string, unknown>();
  const text = (v: unknown): string => (v === undefined || v === null ? '' : Buffer.isBuffer(v) ? v.toString('base64') : String(v));
  target.createAgent = (cluster, options) => {
    const key = [cluster?.server, cluster?.proxyUrl, options.ca, options.cert, options.key, options.pfx, options.passphrase, options.rejectUnauthorized, options.servername, options.timeout].map(text).join('\0');
    let agent = agents.get(key);
    if (!agent) {
      // Idle keep-alive sockets are unref'd by Node's agent, so they never hold a finished command open.
      agent = create(cluster, { ...options, keepAlive: true });
      agents.set(key, agent);
    }
    return agent;
  };
}

/** Runs the user's exec credential plugin up front so its failure gets its own clear error. */
async function checkCredentialPlugin(kc: k8s.KubeConfig): Promise<void> {
  const user = kc.getCurrentUser();
  const exec = user?.exec as { command?: string } | undefined;
  if (!exec?.command) return;
  try {
    await kc.applyToFetchOptions({});
  } catch (err) {
    const code = errnoCode(err);
    const message = err instanceof Error ? err.message.trim() : String(err);
    if (code === 'ENOENT') {
      throw new EngineError('plugin', `The credential plugin "${exec.command}" was not found on PATH. Install it (for EKS: the AWS CLI) or start the app from a terminal.`, { detail: `PATH=${process.env.PATH ?? ''}` });
    }
    throw new EngineError('plugin', `The credential plugin "${exec.command}" failed${message ? `: ${message.split('\n').slice(-3).join(' ')}` : ''}`, { detail: message });
  }
}

export async function openSession(target: { kubeconfigPath?: string; context?: string; namespace?: string; kubeconfigText?: string }): Promise<KubeSession> {
  let kc: k8s.KubeConfig;
  let path: string | undefined;
  if (target.kubeconfigText !== undefined) {
    kc = new k8s.KubeConfig();
    kc.loadFromString(target.kubeconfigText);
  } else {
    ({ kc, path } = loadKubeConfig(target.kubeconfigPath));
  }
  if (target.context) {
    if (!kc.getContextObject(target.context)) {
      throw new EngineError('context', `The kubeconfig has no context "${target.context}" (it has: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'}).`);
    }
    kc.setCurrentContext(target.context);
  }
  const contextName = kc.getCurrentContext();
  const ctx = kc.getContextObject(contextName);
  if (!ctx) throw new EngineError('context', `The kubeconfig's current context "${contextName}" does not exist. Pick a context.`);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new EngineError('kubeconfig', `Context "${contextName}" names cluster "${ctx.cluster}", which the kubeconfig does not define.`);
  const namespace = target.namespace ?? ctx.namespace ?? 'opamp';
  shareAgents(kc);
  await checkCredentialPlugin(kc);
  const session = sessionOf(kc, path, contextName, namespace, cluster.server);
  try {
    await apiGetJson(kc, `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods?limit=1`);
  } catch (err) {
    throw kubeError(err, `context "${contextName}"`, cluster.server);
  }
  return session;
}

/**
 * The typed clients are made on first use: the CLI loads their generated models only then, and a
 * one-look `verify` reads what it needs with plain GETs (apiGet.ts).
 */
function sessionOf(kc: k8s.KubeConfig, kubeconfigPath: string | undefined, contextName: string, namespace: string, server: string): KubeSession {
  let core: k8s.CoreV1Api | undefined;
  let apps: k8s.AppsV1Api | undefined;
  return {
    kc,
    kubeconfigPath,
    contextName,
    namespace,
    server,
    get core() {
      return (core ??= kc.makeApiClient(k8s.CoreV1Api));
    },
    get apps() {
      return (apps ??= kc.makeApiClient(k8s.AppsV1Api));
    },
  };
}

export async function listNamespaces(session: KubeSession): Promise<string[]> {
  try {
    const list = await session.core.listNamespace();
    return list.items.map((n) => n.metadata?.name ?? '').filter(Boolean).sort();
  } catch (err) {
    const e = kubeError(err, 'list namespaces', session.server);
    // Many users may not list namespaces; the current one is still usable.
    if (e.kind === 'auth') return [session.namespace];
    throw e;
  }
}

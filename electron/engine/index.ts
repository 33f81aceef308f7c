// The engine's front door: the shells (Electron, web, CLI, tests) create the
// LabService here and know nothing else about the engine.
import { describeError } from '../../shared/errorText';
import { validateOverlay } from '../../shared/overlay';
import { LabEngine } from './engine';
import { EngineError } from './errors';
import { readPodFile } from './kube/execOnce';
import { listContexts, listNamespaces } from './kube/session';
import { createLabService, type LabService } from './labService';
import { StateStore } from './stateStore';
import { GuideHost } from './guide/guideHost';
import { Terminals } from './terminals';
import type { CommandRecord } from './labShell/kubectlWrapper';
import { prepareLabFolder } from './labShell/labFolder';

export interface EngineServiceOptions {
  shell: 'electron' | 'web' | 'test';
  version: string;
  /** Where saved progress and other per-user files live. */
  dataDir: string;
  log?: (line: string) => void;
  /** Opens a URL in the user's browser; each shell knows how (Electron's shell, xdg-open, a test spy). */
  openExternal?: (url: string) => Promise<void>;
  /** Embedded lab tuning for tests and benches (replicas, speed). */
  sim?: { replicas?: number; speed?: number };
  /** Seconds between looks of the in-pod probe (default 0.25). */
  probeInterval?: number;
  /** Milliseconds between reads of the server's view (default 1000); `verify --watch` reads as often as the probe looks. */
  serverEveryMs?: number;
  /** One look for a one-shot `verify`: only what the six verdicts need (see EngineOptions.oneLook). */
  oneLook?: boolean;
  /** The lab shell's argv (tests pin one); default: the user's $SHELL. */
  labShell?: string[];
}

export interface EngineService extends LabService {
  /** For the CLI, tests and benches in Node; the shells use only the LabService part. */
  readonly engine: LabEngine;
  readonly store: StateStore;
}

export function createEngineService(opts: EngineServiceOptions): EngineService {
  const store = new StateStore();
  const engine = new LabEngine({ shell: opts.shell, dataDir: opts.dataDir, store, ...(opts.log ? { log: opts.log } : {}), ...(opts.sim ? { sim: opts.sim } : {}), ...(opts.probeInterval ? { probeInterval: opts.probeInterval } : {}), ...(opts.serverEveryMs ? { serverEveryMs: opts.serverEveryMs } : {}), ...(opts.oneLook ? { oneLook: true } : {}) });
  // Lab shells report the kubectl commands they ran to Lab mode (set up below).
  let onCommand: (r: CommandRecord) => void = () => undefined;
  const terminals = new Terminals((e) => store.emit(e), (r) => onCommand(r));
  const agentPod = (pod?: string): string => {
    if (pod) return pod;
    const first = store.current.pods.find((p) => p.app === 'opamp-agent' && p.ready && !p.terminating);
    if (!first) throw new EngineError('not-found', 'No running opamp-agent pod.');
    return first.name;
  };
  // Lab mode (guide steps, doctor, fault exercises): owned by the guide helper.
  const guide = new GuideHost({
    store,
    dataDir: opts.dataDir,
    session: () => engine.kube,
    restartRollout: () => engine.restartRollout(),
    pushOverlay: (text) => engine.pushOverlay(text),
    ...(opts.oneLook ? { passive: true } : {}),
  });
  onCommand = (r) => guide.onCommand(r.argv, r.exitCode);
  const openTerminal = async ({ kind, pod, cols, rows }: { kind?: 'agent' | 'lab-shell'; pod?: string; cols: number; rows: number }) => {
    if (kind !== 'lab-shell') return terminals.start(engine.requireSession(), agentPod(pod), cols, rows);
    const c = store.current.connection;
    const namespace = c.status === 'connected' && c.namespace ? c.namespace : 'opamp';
    return terminals.startLabShell(
      {
        dataDir: opts.dataDir,
        cwd: await prepareLabFolder(opts.dataDir, namespace),
        ...(c.status === 'connected' && c.kubeconfig ? { kubeconfig: c.kubeconfig, namespace, ...(c.contextName ? { context: engine.kube?.contextName ?? c.contextName } : {}) } : {}),
        ...(opts.labShell ? { shell: opts.labShell } : {}),
      },
      cols,
      rows,
    );
  };
  const service = createLabService({
    shell: opts.shell,
    version: opts.version,
    store,
    handlers: {
      listContexts: async ({ kubeconfigPath }) => listContexts(kubeconfigPath),
      listNamespaces: async () => listNamespaces(engine.requireSession()),
      connect: async ({ target }) => engine.connect(target),
      disconnect: async () => {
        // Lab shells live on this machine and outlast a connection; agent shells do not.
        terminals.closeAll('agent');
        await engine.disconnect();
      },
      restartRollout: async ({ deployment }) => engine.restartRollout(deployment),
      validateOverlay: async ({ text }) => {
        const { value: _value, ...v } = validateOverlay(text);
        return v;
      },
      pushOverlay: async ({ text, pod, force }) => engine.pushOverlay(text, pod, force),
      checkTelemetry: async ({ pod }) => engine.checkTelemetry(pod),
      readFile: async ({ pod, path }) => ({ content: await readPodFile(engine.requireSession(), pod, path) }),
      terminalOpen: openTerminal,
      terminalWrite: async ({ terminalId, data }) => terminals.write(terminalId, data),
      terminalResize: async ({ terminalId, cols, rows }) => terminals.resize(terminalId, cols, rows),
      terminalClose: async ({ terminalId }) => terminals.close(terminalId),
      openExternal: async ({ url }) => {
        await opts.openExternal?.(url);
      },
      getLogHistory: async () => ({ lines: engine.logLines() }),
      readPodLog: async ({ pod, container, previous }) => engine.readPodLog(pod, container, previous ?? false),
      getObjectYaml: async ({ kind, name }) => ({ yaml: engine.objectYaml(kind, name) }),
      applyConfigMap: async ({ name, data, resourceVersion }) => engine.applyConfigMap(name, data, resourceVersion),
      ...guide.handlers(),
    },
    onClose: async () => {
      guide.close();
      terminals.closeAll();
      await engine.disconnect();
    },
    // The message only: this output reaches the attendee, and a stack trace tells them nothing.
    onUnexpectedError: (method, err) => opts.log?.(`${method}: unexpected error: ${describeError(err)}`),
  });
  return { ...service, engine, store };
}

// Fault exercises: make one of the guide's three classic mistakes for real
// (edit supervisor.yaml in the ConfigMap, restart the rollout), and undo them.
import YAML from 'yaml';
import { applyAgentConfigMap, readAgentConfigMap, rolloutRestart, type GuideDeps } from './actions';
import { readAgentFiles } from './labFiles';

export const FAULTS = {
  'invalid-key': 'Add an unknown agent.id key to supervisor.yaml (the supervisor exits at startup)',
  'bad-endpoint': 'Point server.endpoint at the UI port 4321 and path /opamp (websocket: bad handshake)',
  'no-executable': 'Point agent.executable at a binary that is not in the image (no collector)',
} as const;
export type FaultId = keyof typeof FAULTS;

export function isFaultId(id: string): id is FaultId {
  return Object.hasOwn(FAULTS, id);
}

/** Pure: the broken supervisor.yaml for a fault, from a good one. Keeps comments. */
export function breakSupervisorYaml(text: string, fault: FaultId): string {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`supervisor.yaml does not parse: ${doc.errors[0]?.message}`);
  switch (fault) {
    case 'invalid-key':
      doc.setIn(['agent', 'id'], 'opamp-agent-1');
      break;
    case 'bad-endpoint': {
      const ep = String(doc.getIn(['server', 'endpoint']) ?? '');
      doc.setIn(['server', 'endpoint'], ep.replace(/:4320\b/, ':4321').replace(/\/v1\/opamp$/, '/opamp'));
      break;
    }
    case 'no-executable':
      doc.setIn(['agent', 'executable'], '/usr/bin/otelcol');
      break;
  }
  return doc.toString();
}

export async function injectFault(deps: GuideDeps, fault: string): Promise<void> {
  if (!isFaultId(fault)) throw new Error(`unknown fault "${fault}": one of ${Object.keys(FAULTS).join(', ')}`);
  const current = (await readAgentConfigMap(deps)) ?? (await readAgentFiles(deps.labDir));
  const good = (await readAgentFiles(deps.labDir))['supervisor.yaml'];
  // Always break the lab's good file, so faults do not stack on each other.
  await applyAgentConfigMap(deps, { ...current, 'supervisor.yaml': breakSupervisorYaml(good, fault) });
  await rolloutRestart(deps);
}

/** Restores the ConfigMap from lab/agent and restarts the rollout. */
export async function resetLab(deps: GuideDeps): Promise<void> {
  await applyAgentConfigMap(deps);
  await rolloutRestart(deps);
}

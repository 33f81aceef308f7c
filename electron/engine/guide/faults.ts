// Fault exercises: make one of the guide's three classic mistakes for real
// (edit supervisor.yaml in the ConfigMap, restart the rollout), and undo them.
// Each says which kubectl commands it stands for.
import type { StepActionResult } from '../../../shared/api';
import { FAULTS, isFaultId, type FaultId } from '../../../shared/guide/faults';
import { parseYamlDocument } from '../../../shared/yamlSafe';
import { EngineError } from '../errors';
import { applyAgentConfigMap, readAgentConfigMap, rolloutRestart, type GuideDeps } from './actions';
import { readAgentFiles } from './labFiles';

export { FAULTS, isFaultId, type FaultId };

/** Pure: the broken supervisor.yaml for a fault, from a good one. Keeps comments. */
export function breakSupervisorYaml(text: string, fault: FaultId): string {
  const doc = parseYamlDocument(text);
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

const EDIT: Record<FaultId, string> = {
  'invalid-key': 'add "id: opamp-agent-1" under agent: in supervisor.yaml',
  'bad-endpoint': 'change server.endpoint in supervisor.yaml to …:4321/opamp',
  'no-executable': 'change agent.executable in supervisor.yaml to /usr/bin/otelcol',
};

function applyAndRestart(ns: string): string[] {
  return [
    `kubectl -n ${ns} create configmap opamp-agent-config --from-file=supervisor.yaml --from-file=collector.yaml -o yaml --dry-run=client | kubectl apply -f -`,
    `kubectl -n ${ns} rollout restart deploy/opamp-agent`,
  ];
}

export async function injectFault(deps: GuideDeps, fault: string): Promise<StepActionResult> {
  if (!isFaultId(fault)) throw new EngineError('invalid-input', `unknown fault "${fault}": one of ${Object.keys(FAULTS).join(', ')}`);
  const current = (await readAgentConfigMap(deps)) ?? (await readAgentFiles(deps.labDir));
  const good = (await readAgentFiles(deps.labDir))['supervisor.yaml'];
  // Always break the lab's good file, so faults do not stack on each other.
  await applyAgentConfigMap(deps, { ...current, 'supervisor.yaml': breakSupervisorYaml(good, fault) });
  await rolloutRestart(deps);
  return { ran: [`# ${EDIT[fault]}`, ...applyAndRestart(deps.namespace)] };
}

/** Restores the ConfigMap from the lab's files and restarts the rollout. */
export async function resetLab(deps: GuideDeps): Promise<StepActionResult> {
  await applyAgentConfigMap(deps);
  await rolloutRestart(deps);
  return { ran: ['# restore supervisor.yaml and collector.yaml from the lab', ...applyAndRestart(deps.namespace)] };
}

import { describe, expect, it } from 'vitest';
import { appendRolloutMessage, rolloutStatusMessage } from './kubectlMessages';

const dep = (gen: number, observed: number, s: { replicas?: number; updatedReplicas?: number; availableReplicas?: number }, desired = 1) => ({
  metadata: { name: 'opamp-agent', generation: gen },
  spec: { replicas: desired },
  status: { observedGeneration: observed, ...s },
});

describe("kubectl rollout status messages", () => {
  it('walks through the stages of a restart like kubectl', () => {
    expect(rolloutStatusMessage(dep(2, 1, {})).message).toBe('Waiting for deployment spec update to be observed...');
    expect(rolloutStatusMessage(dep(2, 2, { replicas: 2, updatedReplicas: 0 })).message).toBe('Waiting for deployment "opamp-agent" rollout to finish: 0 out of 1 new replicas have been updated...');
    expect(rolloutStatusMessage(dep(2, 2, { replicas: 2, updatedReplicas: 1, availableReplicas: 1 })).message).toBe('Waiting for deployment "opamp-agent" rollout to finish: 1 old replicas are pending termination...');
    expect(rolloutStatusMessage(dep(2, 2, { replicas: 1, updatedReplicas: 1, availableReplicas: 0 })).message).toBe('Waiting for deployment "opamp-agent" rollout to finish: 0 of 1 updated replicas are available...');
    expect(rolloutStatusMessage(dep(2, 2, { replicas: 1, updatedReplicas: 1, availableReplicas: 1 }))).toEqual({ done: true, message: 'deployment "opamp-agent" successfully rolled out' });
  });

  it('reports a progress deadline as an error and does not repeat messages', () => {
    const d = { ...dep(1, 1, {}), status: { observedGeneration: 1, conditions: [{ type: 'Progressing', reason: 'ProgressDeadlineExceeded' }] } };
    expect(rolloutStatusMessage(d).error).toBe('deployment "opamp-agent" exceeded its progress deadline');
    expect(appendRolloutMessage(['a'], 'a')).toEqual(['a']);
    expect(appendRolloutMessage(['a'], 'b')).toEqual(['a', 'b']);
  });
});

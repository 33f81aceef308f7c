// Evidence in, diagnoses out: the doctor's entry point. Pure.
import type { Diagnosis } from '../state';
import type { DoctorInput } from './input';
import { badHandshake, connectionRefused, executableProblem, insecureSkipVerify, invalidKeys } from './rulesSupervisor';
import { clusterAuth, crashLoop, imagePull, pending, remoteConfigFailed } from './rulesCluster';

const ORDER: Record<Diagnosis['severity'], number> = { error: 0, warning: 1, info: 2 };

export function diagnose(input: DoctorInput): Diagnosis[] {
  const causes = [
    ...clusterAuth(input),
    ...imagePull(input),
    ...pending(input),
    ...invalidKeys(input),
    ...executableProblem(input),
    ...badHandshake(input),
    ...connectionRefused(input),
    ...remoteConfigFailed(input),
  ];
  // A crash loop with a named cause is shown as a consequence, not as a second problem.
  const crashing = input.pods.filter((p) => p.containers.some((c) => c.reason === 'CrashLoopBackOff')).map((p) => p.name);
  const explained = new Set(
    crashing.filter((pod) => causes.some((d) => d.severity === 'error' && (d.pod === undefined || d.pod === pod))),
  );
  const all = [...causes, ...crashLoop(input, explained), ...insecureSkipVerify(input)];
  return all.sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
}

export type { DoctorInput, DoctorLogLine, ServicePort } from './input';
export { emptyDoctorInput } from './input';

// The self-review APIs kubectl's `auth` commands post: the lab user is the
// cluster's administrator (like kind's kubernetes-admin), so every access
// review is allowed and the rules review grants everything. Reviews are
// answered, never stored, as the API server does.
import { errors } from './status';
import { isRecord, nowIso, type KubeObject } from './types';

/** Who the bearer token of the lab's kubeconfig authenticates as. */
export const LAB_USER = { username: 'opamp-lab-admin', groups: ['system:masters', 'system:authenticated'] };

const REVIEWS = new Set(['selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'selfsubjectreviews']);

export function isReview(resource: string): boolean {
  return REVIEWS.has(resource);
}

export function answerReview(resource: string, body: unknown): KubeObject {
  if (!isRecord(body)) throw errors.badRequest('the body of the request was not a JSON object');
  const obj = structuredClone(body) as KubeObject;
  obj.metadata = { ...(isRecord(obj.metadata) ? obj.metadata : {}), creationTimestamp: nowIso() };
  switch (resource) {
    case 'selfsubjectaccessreviews': {
      const spec = (isRecord(obj.spec) ? obj.spec : {}) as Record<string, unknown>;
      if (!isRecord(spec.resourceAttributes) && !isRecord(spec.nonResourceAttributes)) {
        throw errors.invalid('SelfSubjectAccessReview', 'authorization.k8s.io', '', [{ reason: 'FieldValueRequired', field: 'spec.resourceAttributes', message: 'Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified' }]);
      }
      obj.status = { allowed: true, reason: 'the lab user is the cluster administrator (system:masters)' };
      return obj;
    }
    case 'selfsubjectrulesreviews':
      obj.status = { resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }], incomplete: false };
      return obj;
    default:
      obj.status = { userInfo: LAB_USER };
      return obj;
  }
}

// The API server's answers to objects it refuses, field paths and wording as
// Kubernetes gives them: ranges and names (422 Invalid) and values of the
// wrong JSON type (Go's decode error).
import { describe, expect, it } from 'vitest';
import { KubeApi } from './kubeApi';
import { checkLabels, checkName } from './objectValidation';
import { decodeError } from './shapeCheck';
import { ApiError } from './status';
import { ObjectStore } from './store';

const deployment = (replicas: unknown, labels: Record<string, string> = { app: 'x' }) => ({
  metadata: { name: 'x', labels },
  spec: { replicas, selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
});

function failure(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('object validation', () => {
  const api = new KubeApi(new ObjectStore());
  api.create('namespaces', undefined, { metadata: { name: 'default' } });

  it('replicas: -5 is 422 with the field path; "many" and 2.5 cannot be decoded (400)', () => {
    const negative = failure(() => api.create('deployments', 'default', deployment(-5)));
    expect([negative.code, negative.message]).toEqual([422, 'Deployment.apps "x" is invalid: spec.replicas: Invalid value: -5: must be greater than or equal to 0']);
    const many = failure(() => api.create('deployments', 'default', deployment('many')));
    expect([many.code, many.message]).toEqual([400, 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32']);
    expect(decodeError('apps/v1', 'Deployment', deployment(2.5))).toBe('json: cannot unmarshal number 2.5 into Go struct field DeploymentSpec.spec.replicas of type int32');
  });

  it('ConfigMap data must be a map of strings; a strategic patch that breaks it is refused, the stored object unchanged', () => {
    api.create('configmaps', 'default', { metadata: { name: 'cm' }, data: { a: 'b' } });
    expect(decodeError('v1', 'ConfigMap', { data: 'notamap' })).toBe('json: cannot unmarshal string into Go struct field ConfigMap.data of type map[string]string');
    expect(decodeError('v1', 'ConfigMap', { data: { x: { y: 1 } } })).toBe('json: cannot unmarshal object into Go struct field ConfigMap.data of type string');
    const patched = failure(() => api.patch('configmaps', 'default', 'cm', 'strategic', '{"data":"notamap"}'));
    expect([patched.code, patched.message]).toEqual([422, ' "" is invalid: patch: Invalid value: "map[data:notamap]": json: cannot unmarshal string into Go struct field ConfigMap.data of type map[string]string']);
    expect(api.get('configmaps', 'default', 'cm').data).toEqual({ a: 'b' });
    const badKey = failure(() => api.patch('configmaps', 'default', 'cm', 'merge', '{"data":{"bad key":"v"}}'));
    expect(badKey.details?.causes?.[0]?.field).toBe('data[bad key]');
  });

  it('names: namespaces are DNS-1123 labels, services DNS-1035 labels, others subdomains', () => {
    expect(checkName('namespaces', 'Bad_NS')[0]?.message).toMatch(/^Invalid value: "Bad_NS": a lowercase RFC 1123 label must consist of/);
    expect(checkName('namespaces', 'a.b')).toHaveLength(1);
    expect(checkName('configmaps', 'a.b')).toEqual([]);
    expect(checkName('services', '1abc')[0]?.message).toMatch(/a DNS-1035 label must consist of/);
    expect(checkName('namespaces', 'x'.repeat(64))[0]?.message).toMatch(/must be no more than 63 characters/);
  });

  it('label keys and values as apimachinery checks them', () => {
    expect(checkLabels({ 'app.kubernetes.io/name': 'web', a: '' }, 'metadata.labels')).toEqual([]);
    expect(checkLabels({ 'bad key!': 'x' }, 'metadata.labels')[0]?.message).toMatch(/^Invalid value: "bad key!": name part must consist of alphanumeric characters/);
    expect(checkLabels({ '/x': 'y' }, 'metadata.labels')[0]?.message).toBe('Invalid value: "/x": prefix part must be non-empty');
    expect(checkLabels({ a: 'has space' }, 'metadata.labels')[0]?.message).toMatch(/a valid label must be an empty string or consist of/);
    const invalidTemplate = failure(() => api.create('deployments', 'default', deployment(1, { 'x/y/z': 'a' })));
    expect(invalidTemplate.details?.causes?.[0]?.field).toBe('metadata.labels');
  });
});

describe('malformed request paths', () => {
  it('a broken percent-escape is a 400 Status, not a 500', async () => {
    const { ApiServer } = await import('./apiServer');
    const server = new ApiServer({ api: new KubeApi(new ObjectStore()) });
    const url = await server.listen();
    try {
      for (const path of ['/api/v1/namespaces/%E0%A4%A/pods', '/api/v1/namespaces/x/services/%E0%A4%A:80/proxy/']) {
        const res = await fetch(`${url}${path}`);
        expect(res.status, path).toBe(400);
        expect(((await res.json()) as { reason: string }).reason).toBe('BadRequest');
      }
    } finally {
      await server.close();
    }
  });
});

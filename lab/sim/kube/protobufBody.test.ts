import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { decodeProtobufBody, encodeProtobufObject, messageTypeOf, wantsOnlyProtobuf } from './protobufBody';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'opamp', labels: { app: 'web' }, creationTimestamp: '2026-01-02T03:04:05Z' },
  spec: {
    replicas: 0,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }], resources: { limits: { memory: '64Mi' } }, readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 } }],
        // Embedded Go structs (VolumeSource, LocalObjectReference) are fields in protobuf and inline in JSON.
        volumes: [{ name: 'config', configMap: { name: 'web-config', defaultMode: 420 } }],
      },
    },
  },
  status: {},
};

describe('Kubernetes protobuf bodies', () => {
  it('round-trips a Deployment: Time, IntOrString, Quantity, a pointer zero, nested maps and lists', () => {
    const body = encodeProtobufObject(deployment);
    expect(body?.subarray(0, 4)).toEqual(Buffer.from('k8s\0'));
    expect(decodeProtobufBody(body as Buffer)).toEqual(deployment);
  });

  it('reads the bytes a Go client writes: empty strings, false and zero scalars are what omitempty leaves out', () => {
    const type = messageTypeOf('v1', 'Secret') as protobuf.Type;
    const raw = type.encode(type.fromObject({ metadata: { name: 's', namespace: '', generateName: '', creationTimestamp: { seconds: 0, nanos: 0 } }, immutable: false, data: { pw: Buffer.from('hunter2') }, type: 'Opaque' })).finish();
    const envelopeType = type.root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
    const body = Buffer.concat([Buffer.from('k8s\0'), envelopeType.encode(envelopeType.fromObject({ typeMeta: { apiVersion: 'v1', kind: 'Secret' }, raw })).finish()]);
    // immutable is a *bool in Go: a false on the wire was set on purpose.
    expect(decodeProtobufBody(body)).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, immutable: false, data: { pw: Buffer.from('hunter2').toString('base64') }, type: 'Opaque' });
  });

  it('knows the message of every kind the lab serves, and refuses others with 415', () => {
    for (const [apiVersion, kind] of [['v1', 'Pod'], ['v1', 'Service'], ['v1', 'ConfigMap'], ['v1', 'Namespace'], ['v1', 'ServiceAccount'], ['v1', 'Event'], ['v1', 'Node'], ['v1', 'Endpoints'], ['apps/v1', 'ReplicaSet'], ['discovery.k8s.io/v1', 'EndpointSlice'], ['autoscaling/v1', 'Scale'], ['authorization.k8s.io/v1', 'SelfSubjectAccessReview'], ['authentication.k8s.io/v1', 'SelfSubjectReview'], ['meta.k8s.io/v1', 'DeleteOptions']]) {
      expect(messageTypeOf(apiVersion as string, kind as string), kind).toBeDefined();
    }
    const namespace = encodeProtobufObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }) as Buffer;
    const tampered = Buffer.from(namespace.toString('binary').replace('Namespace', 'NamespacX'), 'binary');
    expect(() => decodeProtobufBody(tampered)).toThrow(/no protobuf message for NamespacX/);
    expect(() => decodeProtobufBody(Buffer.from('{}'))).toThrow('protobuf body without the k8s envelope');
    expect(() => decodeProtobufBody(Buffer.concat([Buffer.from('k8s\0'), Buffer.from([0x0a, 0xff])]))).toThrow(/unknown format/);
  });

  it('answers in protobuf only when the client does not take JSON', () => {
    expect(wantsOnlyProtobuf('application/vnd.kubernetes.protobuf')).toBe(true);
    expect(wantsOnlyProtobuf('application/vnd.kubernetes.protobuf, application/json')).toBe(false);
    expect(wantsOnlyProtobuf('application/json')).toBe(false);
    expect(wantsOnlyProtobuf(undefined)).toBe(false);
  });
});

describe('protobuf over HTTP', () => {
  it('creates from a protobuf body and answers in protobuf when the client takes only that', async () => {
    const { ApiServer } = await import('./apiServer');
    const { KubeApi } = await import('./kubeApi');
    const { ObjectStore } = await import('./store');
    const api = new KubeApi(new ObjectStore());
    api.create('namespaces', undefined, { metadata: { name: 'default' } });
    const server = new ApiServer({ api });
    const url = await server.listen();
    try {
      const body = encodeProtobufObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-proto' }, data: { greeting: 'hello' } }) as Buffer;
      const created = await fetch(`${url}/api/v1/namespaces/default/configmaps`, { method: 'POST', body, headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf', Accept: 'application/vnd.kubernetes.protobuf' } });
      expect(created.status).toBe(201);
      expect(created.headers.get('content-type')).toBe('application/vnd.kubernetes.protobuf');
      const decoded = decodeProtobufBody(Buffer.from(await created.arrayBuffer()));
      expect(decoded).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-proto', namespace: 'default' }, data: { greeting: 'hello' } });
      const json = await fetch(`${url}/api/v1/namespaces/default/configmaps/from-proto`, { headers: { Accept: 'application/vnd.kubernetes.protobuf, application/json' } });
      expect(json.headers.get('content-type')).toBe('application/json');
    } finally {
      await server.close();
    }
  });
});

// The lab's files agree with each other: the ConfigMap in lab/k8s carries exactly
// lab/agent/supervisor.yaml and collector.yaml, mounted where the guide expects them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';

const read = (p: string): string => readFileSync(new URL(`../../lab/${p}`, import.meta.url), 'utf8');

describe('lab assets', () => {
  it('the opamp-agent-config ConfigMap holds lab/agent/supervisor.yaml and collector.yaml verbatim', () => {
    const cm = YAML.parse(read('k8s/opamp-agent-config.yaml')) as { kind: string; metadata: { name: string; namespace: string }; data: Record<string, string> };
    expect(cm).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'opamp-agent-config', namespace: 'opamp' } });
    expect(cm.data['supervisor.yaml']).toBe(read('agent/supervisor.yaml'));
    expect(cm.data['collector.yaml']).toBe(read('agent/collector.yaml'));
  });

  it('the agent Deployment mounts them by subPath, keeps /storage in an emptyDir and is labelled app=opamp-agent', () => {
    const d = YAML.parse(read('k8s/opamp-agent.yaml')) as {
      spec: { selector: { matchLabels: Record<string, string> }; template: { spec: { containers: { name: string; volumeMounts: { mountPath: string; subPath?: string; name: string }[] }[]; volumes: { name: string; emptyDir?: object; configMap?: { name: string } }[] } } };
    };
    expect(d.spec.selector.matchLabels).toEqual({ app: 'opamp-agent' });
    const agent = d.spec.template.spec.containers.find((c) => c.name === 'agent')!;
    const mounts = Object.fromEntries(agent.volumeMounts.map((m) => [m.mountPath, m]));
    expect(mounts['/supervisor.yaml']?.subPath).toBe('supervisor.yaml');
    expect(mounts['/collector.yaml']?.subPath).toBe('collector.yaml');
    const storage = d.spec.template.spec.volumes.find((v) => v.name === mounts['/storage']?.name);
    expect(storage?.emptyDir).toBeDefined();
  });
});

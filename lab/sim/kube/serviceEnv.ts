// The Docker-links style variables the kubelet gives every container for the
// Services of its namespace (and `kubernetes` from default) when the pod keeps
// enableServiceLinks: FOO_SERVICE_HOST, FOO_SERVICE_PORT[_NAME], FOO_PORT_…_TCP….
import type { KubeObject } from './types';

type Loose = Record<string, any>;

const envName = (s: string): string => s.toUpperCase().replace(/-/g, '_');

export function serviceEnv(services: KubeObject[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const svc of services) {
    const ip = svc.spec?.clusterIP as string | undefined;
    if (!ip || ip === 'None') continue;
    const name = envName(svc.metadata.name ?? '');
    const ports = (svc.spec?.ports ?? []) as Loose[];
    if (!ports.length) continue;
    env[`${name}_SERVICE_HOST`] = ip;
    env[`${name}_SERVICE_PORT`] = String(ports[0]!.port);
    for (const p of ports) if (p.name) env[`${name}_SERVICE_PORT_${envName(String(p.name))}`] = String(p.port);
    const proto = (p: Loose): string => String(p.protocol ?? 'TCP').toLowerCase();
    env[`${name}_PORT`] = `${proto(ports[0]!)}://${ip}:${ports[0]!.port}`;
    for (const p of ports) {
      const pre = `${name}_PORT_${p.port}_${String(p.protocol ?? 'TCP').toUpperCase()}`;
      env[pre] = `${proto(p)}://${ip}:${p.port}`;
      env[`${pre}_PROTO`] = proto(p);
      env[`${pre}_PORT`] = String(p.port);
      env[`${pre}_ADDR`] = ip;
    }
  }
  return env;
}

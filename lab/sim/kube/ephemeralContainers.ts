// pods/ephemeralcontainers, as the API server checks a write to it (what
// `kubectl debug -it POD --image=busybox --target=agent` sends): ephemeral
// containers are only ever added, each with a new name, an image and none of
// the fields a long-running container has (ports, probes, resources).
import { errors, type StatusCause } from './status';
import type { KubeObject } from './types';

type Loose = Record<string, any>;

const NOT_ALLOWED = ['ports', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle'];

export function checkEphemeralContainers(current: KubeObject, next: KubeObject): void {
  const before = (current.spec?.ephemeralContainers ?? []) as Loose[];
  const after = (next.spec?.ephemeralContainers ?? []) as Loose[];
  const causes: StatusCause[] = [];
  const field = 'spec.ephemeralContainers';
  for (const old of before) {
    const same = after.find((c) => c.name === old.name);
    if (!same || JSON.stringify(same) !== JSON.stringify(old)) causes.push({ reason: 'FieldValueForbidden', field, message: `Forbidden: existing ephemeral containers "${String(old.name)}" may not be removed or changed` });
  }
  const taken = new Set<string>([...((current.spec?.containers ?? []) as Loose[]), ...((current.spec?.initContainers ?? []) as Loose[])].map((c) => String(c.name)));
  after.forEach((c, i) => {
    const path = `${field}[${i}]`;
    if (before.some((old) => old.name === c.name)) return;
    if (!c.name) causes.push({ reason: 'FieldValueRequired', field: `${path}.name`, message: 'Required value' });
    else if (taken.has(String(c.name))) causes.push({ reason: 'FieldValueDuplicate', field: `${path}.name`, message: `Duplicate value: "${String(c.name)}"` });
    if (!c.image) causes.push({ reason: 'FieldValueRequired', field: `${path}.image`, message: 'Required value' });
    for (const key of NOT_ALLOWED) if (c[key] !== undefined) causes.push({ reason: 'FieldValueForbidden', field: `${path}.${key}`, message: 'Forbidden: cannot be set for an Ephemeral Container' });
    taken.add(String(c.name));
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    const image = String(c.image ?? '');
    c.imagePullPolicy ??= !/:[^/]+$/.test(image) || image.endsWith(':latest') ? 'Always' : 'IfNotPresent';
  });
  if (causes.length > 0) throw errors.invalid('Pod', '', current.metadata.name ?? '', causes);
}

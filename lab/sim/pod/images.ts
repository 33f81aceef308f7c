// Which images an emulated pod can run; anything else fails to pull.
export type ImageKind = 'agent' | 'server' | 'shell';

export function imageKind(image: string): ImageKind | undefined {
  const name = image.replace(/@sha256:[0-9a-f]+$/, '').replace(/:[^/:]+$/, '');
  const last = name.split('/').pop() ?? '';
  if (last === 'opamp-agent') return 'agent';
  if (name === 'opamp-lab/opamp-server' || name.endsWith('/opamp-lab/opamp-server')) return 'server';
  if (last === 'busybox' || last === 'alpine') return 'shell';
  return undefined;
}

export function isKnownImage(image: string): boolean {
  return imageKind(image) !== undefined;
}

// What runs inside emulated pods comes from lab/sim/pod (sandbox and known
// images); the kube side only sees this pair of functions.
import type { PodSandbox, PodSandboxOptions } from './pod/types';

export interface PodRuntime {
  createSandbox(opts: PodSandboxOptions): PodSandbox;
  isKnownImage(image: string): boolean;
}

export async function loadPodRuntime(): Promise<PodRuntime> {
  // Resolved at run time so the kube side builds on its own while lab/sim/pod grows.
  const sandboxPath = './pod/sandbox';
  const imagesPath = './pod/images';
  try {
    const sandbox = (await import(sandboxPath)) as { createPodSandbox: PodRuntime['createSandbox'] };
    const images = (await import(imagesPath)) as { isKnownImage: PodRuntime['isKnownImage'] };
    return { createSandbox: sandbox.createPodSandbox, isKnownImage: images.isKnownImage };
  } catch (err) {
    throw new Error(`sim: cannot load the pod runtime (lab/sim/pod/sandbox.ts, images.ts): ${(err as Error).message}`);
  }
}

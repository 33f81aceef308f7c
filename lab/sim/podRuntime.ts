// What runs inside emulated pods comes from lab/sim/pod (sandbox and known
// images); the kube side only sees this pair of functions.
import { isKnownImage } from './pod/images';
import { createPodSandbox } from './pod/sandbox';
import type { PodSandbox, PodSandboxOptions } from './pod/types';

export interface PodRuntime {
  createSandbox(opts: PodSandboxOptions): PodSandbox;
  isKnownImage(image: string): boolean;
}

/** Async so callers stay unchanged should the runtime ever load lazily again. */
export async function loadPodRuntime(): Promise<PodRuntime> {
  return { createSandbox: createPodSandbox, isKnownImage };
}

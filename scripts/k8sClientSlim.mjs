// What the engine and the embedded lab use of @kubernetes/client-node, imported from the modules that
// define it. The CLI bundle (scripts/build-cli.mjs) resolves the package to this file: the package's
// own index re-exports every API group and client helper, which a command would parse on every start.
// A name missing here fails the build (esbuild: "No matching export"), never a run.
export { KubeConfig } from '@kubernetes/client-node/dist/config.js';
export { Exec } from '@kubernetes/client-node/dist/exec.js';
export { PortForward } from '@kubernetes/client-node/dist/portforward.js';
export { Log } from '@kubernetes/client-node/dist/log.js';
export { makeInformer } from '@kubernetes/client-node/dist/informer.js';
export { setHeaderOptions } from '@kubernetes/client-node/dist/middleware.js';
export { PatchStrategy } from '@kubernetes/client-node/dist/patch.js';
export { KubernetesObjectApi } from '@kubernetes/client-node/dist/object.js';
export { CoreV1Api, AppsV1Api } from '@kubernetes/client-node/dist/gen/index.js';

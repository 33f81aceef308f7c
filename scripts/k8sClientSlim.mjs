// What every engine command uses of @kubernetes/client-node: the kubeconfig and the streams (exec,
// port-forward, logs), imported from the modules that define them. The CLI bundle (scripts/build-cli.mjs)
// resolves the package to this file and to k8sApiSlim.mjs: the package's own index re-exports every API
// group and ~1,000 model classes, which a command would read and run on every start.
// A name missing from both fails the build (esbuild: "No matching export"), never a run.
export { KubeConfig } from '@kubernetes/client-node/dist/config.js';
export { Exec } from '@kubernetes/client-node/dist/exec.js';
export { PortForward } from '@kubernetes/client-node/dist/portforward.js';
export { Log } from '@kubernetes/client-node/dist/log.js';
export { setHeaderOptions } from '@kubernetes/client-node/dist/middleware.js';
export { PatchStrategy } from '@kubernetes/client-node/dist/patch.js';

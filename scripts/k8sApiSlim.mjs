// The typed API clients and informers of @kubernetes/client-node, which bring the generated model
// classes with them (most of the client's size). Built as a second file that the CLI loads only when a
// command first uses one of these names (scripts/build-cli.mjs); a one-look `verify` never does.
export { CoreV1Api, AppsV1Api } from '@kubernetes/client-node/dist/gen/index.js';
export { KubernetesObjectApi } from '@kubernetes/client-node/dist/object.js';
export { makeInformer } from '@kubernetes/client-node/dist/informer.js';

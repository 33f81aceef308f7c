// A stand-in for a class or function exported by a module that is loaded only when the name is first
// used: constructing it, calling it or reading one of its properties loads the module (once) and acts
// on the real value. The CLI bundle exports the Kubernetes client's typed API clients this way
// (scripts/build-cli.mjs), so a command that only reads a kubeconfig and opens streams never loads
// their generated model classes.
export function lazyExport(load: () => Record<string, unknown>, name: string): unknown {
  const real = (): ((...args: unknown[]) => unknown) & { new (...args: unknown[]): unknown } => {
    const value = load()[name];
    if (typeof value !== 'function') throw new TypeError(`${name} is not exported by the lazily loaded module`);
    return value as ((...args: unknown[]) => unknown) & { new (...args: unknown[]): unknown };
  };
  // A plain function as the target, so the proxy can be both called and constructed.
  return new Proxy(function standIn() {}, {
    construct: (_t, args) => Reflect.construct(real(), args) as object,
    apply: (_t, self, args) => Reflect.apply(real(), self, args),
    get: (_t, prop) => Reflect.get(real(), prop),
    has: (_t, prop) => Reflect.has(real(), prop),
  });
}

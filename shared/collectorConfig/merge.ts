// How opampsupervisor merges config files into effective.yaml (koanf): maps merge key by key, any
// other value (lists included) is replaced by the later file, except service.extensions, which the
// supervisor concatenates and de-duplicates. Shared by the emulated supervisor and the overlay
// editor, so the editor judges the same merged config the collector will load.
export type ConfigMap = Record<string, unknown>;
export const isConfigMap = (v: unknown): v is ConfigMap => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergeConfig(base: ConfigMap, over: ConfigMap, path = ''): ConfigMap {
  const out: ConfigMap = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const here = path ? `${path}::${k}` : k;
    const old = out[k];
    if (here === 'service::extensions' && Array.isArray(old) && Array.isArray(v)) out[k] = [...new Set([...old, ...v])];
    else if (isConfigMap(old) && isConfigMap(v)) out[k] = mergeConfig(old, v, here);
    else out[k] = v;
  }
  return out;
}

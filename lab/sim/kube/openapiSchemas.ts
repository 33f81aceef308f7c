// OpenAPI v3 schemas for the kinds the emulator serves, built at run time from
// the generated models of @kubernetes/client-node (a pinned dependency
// generated from Kubernetes' own OpenAPI document): field names and types from
// each model's attribute type map, required fields and descriptions from the
// declarations the package ships beside them. Nothing here is hand-typed, and
// no upstream text is kept in the repo.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { mergeKeyFor } from './patch';

type Schema = Record<string, unknown>;
interface Attribute { name: string; baseName: string; type: string; format: string }
interface Model { getAttributeTypeMap(): Attribute[] }

// Loaded on the first request for a document: the package takes seconds to load on a busy machine,
// and the embedded lab should not wait for it to start.
let models: Record<string, unknown> = {};
export async function loadModels(): Promise<void> {
  // The models module itself, not the package's index: the command line's bundle resolves the index
  // to a slim client without models (scripts/build-cli.mjs), and `kubectl explain` then had no schemas.
  if (Object.keys(models).length === 0) models = (await import('@kubernetes/client-node/dist/gen/models/all.js')) as unknown as Record<string, unknown>;
}

function model(name: string): Model | undefined {
  const m = models[name];
  if (typeof m !== 'function') return undefined;
  const candidate = m as unknown as Partial<Model>;
  return typeof candidate.getAttributeTypeMap === 'function' ? (candidate as Model) : undefined;
}

/** `V1PodSpec` → `PodSpec`, `CoreV1Event` → `Event`: the name kubectl explain shows. */
export function displayName(className: string): string {
  return /^[A-Za-z]*?V\d+(?:(?:alpha|beta)\d+)?([A-Z].*)$/.exec(className)?.[1] ?? className;
}

/** The schema key; its last dot-separated part is what kubectl prints as the type. */
export const schemaKey = (className: string): string => `io.k8s.opamp-lab.${className.slice(0, className.length - displayName(className).length).toLowerCase() || 'model'}.${displayName(className)}`;

let modelsDir: string | undefined | null;
/** Where the package's declarations are; null when it cannot be found (a bundle): no descriptions then. */
function declarationsDir(): string | null {
  if (modelsDir !== undefined) return modelsDir;
  try {
    const require = createRequire(join(process.cwd(), 'noop.js'));
    modelsDir = join(dirname(require.resolve('@kubernetes/client-node')), 'gen', 'models');
  } catch {
    modelsDir = null;
  }
  return modelsDir;
}

interface Declarations { description?: string; fields: Map<string, { description?: string; required: boolean }> }

/** The class comment, and each property's comment and optionality, from the model's .d.ts. */
function declarations(className: string): Declarations {
  const out: Declarations = { fields: new Map() };
  const dir = declarationsDir();
  if (!dir) return out;
  let text: string;
  try {
    text = readFileSync(join(dir, `${className}.d.ts`), 'utf8');
  } catch {
    return out;
  }
  const clean = (comment: string): string => comment.split('\n').map((l) => l.replace(/^\s*\*\s?/, '').trim()).filter(Boolean).join(' ').replace(/\\(['"\\])/g, '$1');
  // The class comment is the last one before the class (the file starts with the generator's header).
  const head = text.slice(0, Math.max(0, text.indexOf('export declare class')));
  const start = head.lastIndexOf('/**');
  if (start >= 0 && /\*\/\s*$/.test(head)) out.description = clean(head.slice(start + 3, head.lastIndexOf('*/')));
  // A property and the comment right above it (the comment may not run past its own end).
  for (const m of text.matchAll(/(?:\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*)?'([A-Za-z0-9$_-]+)'(\??):/g)) {
    out.fields.set(m[2] ?? '', { ...(m[1] ? { description: clean(m[1]) } : {}), required: m[3] !== '?' });
  }
  return out;
}

/** Not a model in the package: a string or an integer, named so kubectl prints <IntOrString>. */
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

function typeSchema(type: string, format: string, refs: Set<string>): Schema {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return { type: 'array', items: typeSchema(array[1] ?? '', '', refs) };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return { type: 'object', additionalProperties: typeSchema(map[1] ?? '', '', refs) };
  switch (type) {
    case 'string':
    case 'String': return { type: 'string', ...(format ? { format } : {}) };
    case 'Date': return { type: 'string', format: 'date-time' };
    case 'number': return format.startsWith('int') ? { type: 'integer', format } : { type: 'number', format: format || 'double' };
    case 'boolean': return { type: 'boolean' };
    case 'IntOrString':
      refs.add(INT_OR_STRING);
      return { $ref: `#/components/schemas/${INT_OR_STRING}` };
    case 'any':
    case 'object': return { type: 'object' };
    default:
      if (!model(type)) return {};
      refs.add(type);
      return { $ref: `#/components/schemas/${schemaKey(type)}` };
  }
}

function modelSchema(className: string, refs: Set<string>): Schema {
  const decl = declarations(className);
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const attr of model(className)?.getAttributeTypeMap() ?? []) {
    const field = decl.fields.get(attr.name);
    const typed = typeSchema(attr.type, attr.format, refs);
    // A reference with a description beside it is wrapped in allOf, as Kubernetes' v3 documents do.
    const schema: Schema = typed.$ref ? { allOf: [typed] } : typed;
    if (field?.description) schema.description = field.description;
    if (typed.type === 'array') {
      const key = mergeKeyFor(attr.baseName, attr.type.includes('ContainerPort') ? [{ containerPort: 0 }] : [{}]);
      if (key) Object.assign(schema, { 'x-kubernetes-patch-merge-key': key, 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': [key] });
    }
    properties[attr.baseName] = schema;
    if (field?.required) required.push(attr.baseName);
  }
  return { type: 'object', ...(decl.description ? { description: decl.description } : {}), properties, ...(required.length ? { required } : {}) };
}

/** The model class of a served kind (`V1Pod`, `CoreV1Event`, …). */
export function modelOf(kind: string): string | undefined {
  return [`V1${kind}`, `CoreV1${kind}`].find((name) => model(name));
}

/** Schemas for these kinds and every model they reach, keyed as components.schemas wants them (after loadModels). */
export function schemasFor(kinds: { group: string; version: string; kind: string }[]): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  const pending = new Set<string>();
  const gvkOf = new Map<string, { group: string; version: string; kind: string }>();
  for (const gvk of kinds) {
    const name = modelOf(gvk.kind);
    if (!name) continue;
    pending.add(name);
    gvkOf.set(name, gvk);
  }
  const done = new Set<string>();
  while (pending.size > 0) {
    const [name] = pending;
    pending.delete(name as string);
    if (!name || done.has(name)) continue;
    done.add(name);
    if (name === INT_OR_STRING) {
      out[name] = { type: 'string', format: 'int-or-string' };
      continue;
    }
    const refs = new Set<string>();
    const schema = modelSchema(name, refs);
    const gvk = gvkOf.get(name);
    if (gvk) schema['x-kubernetes-group-version-kind'] = [gvk];
    out[schemaKey(name)] = schema;
    for (const r of refs) if (!done.has(r)) pending.add(r);
  }
  return out;
}

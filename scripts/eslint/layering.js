// ESLint rule: the import direction of DESIGN.md, by the folder an import
// resolves to (not by its spelling), so renderer/lab and the top-level lab/
// are told apart.
//   renderer → renderer, shared        shared → shared only (pure libraries)
//   lab → lab, shared                  electron → electron, shared, lab
//   electron/engine never imports the `electron` package; nothing imports renderer.
import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..', '..');
const NODE_BUILTINS = new Set(builtinModules);

const LAYERS = {
  shared: { folders: ['shared'], packages: ['yaml', 'protobufjs', 'zod', 'vitest'], node: false },
  renderer: { folders: ['renderer', 'shared'], deniedPackages: ['electron', 'ws', '@kubernetes/client-node', 'protobufjs'], node: false },
  lab: { folders: ['lab', 'shared'], deniedPackages: ['electron', 'react', 'react-dom'], node: true },
  'electron/engine': { folders: ['electron', 'shared', 'lab'], deniedPackages: ['electron', 'react', 'react-dom'], node: true },
  electron: { folders: ['electron', 'shared', 'lab'], deniedPackages: ['react', 'react-dom'], node: true },
};

function layerOf(file) {
  const rel = relative(ROOT, file).split(sep).join('/');
  if (rel.startsWith('electron/engine/')) return 'electron/engine';
  const top = rel.split('/')[0];
  return Object.hasOwn(LAYERS, top) ? top : undefined;
}

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export default {
  meta: { type: 'problem', schema: [], messages: { denied: '{{layer}} may not import {{what}} (see DESIGN.md, dependency direction)' } },
  create(context) {
    const file = context.filename;
    const layer = layerOf(file);
    if (!layer) return {};
    const rules = LAYERS[layer];
    const check = (node, spec) => {
      if (typeof spec !== 'string') return;
      let what;
      if (spec.startsWith('.')) {
        const target = relative(ROOT, resolve(dirname(file), spec)).split(sep).join('/');
        const top = target.split('/')[0];
        if (!rules.folders.includes(top)) what = `${top}/ (${spec})`;
      } else if (spec.startsWith('node:') || NODE_BUILTINS.has(spec)) {
        if (!rules.node) what = `Node built-in "${spec}"`;
      } else {
        const pkg = packageName(spec);
        if (rules.packages && !rules.packages.includes(pkg)) what = `package "${pkg}"`;
        if (rules.deniedPackages?.includes(pkg)) what = `package "${pkg}"`;
      }
      if (what) context.report({ node, messageId: 'denied', data: { layer, what } });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

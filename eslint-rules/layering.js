/*
 * loupe/layering — who may import whom under src/ (DESIGN.md "Layout"; examples-to-follow.md 2.2).
 *
 * ---------------------------------------------------------------------------------------------
 *  Do not relax these rules.
 *  Core is pure so one parser/detector runs alike in a worker, in the CLI and in tests; the
 *  renderer parses hostile log text, so it stays sandboxed and never reaches Node or Electron;
 *  workers are started by URL, never bundled into the window. A layer that leaks here breaks
 *  one of those, usually silently. Move the code or invert the dependency instead.
 * ---------------------------------------------------------------------------------------------
 *
 * LAYERS, PACKAGES and NODE_BUILTIN_LAYERS below are the single source of truth: the tests and
 * eslint.config.js read them from here. Files outside src/ (test, bench, scripts) are unrestricted.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * @typedef {'core' | 'store' | 'workers' | 'renderer' | 'preload' | 'main' | 'node' | 'cli' | 'shared'} LayerName
 * @typedef {{ imports: readonly LayerName[], typeOnly: readonly LayerName[], runs: string, rule: string, hint: string }} Layer
 */

/**
 * From -> may import. `typeOnly`: allowed only as `import type` / `export type` (erased at build).
 * @type {Readonly<Record<LayerName, Layer>>}
 */
export const LAYERS = {
  core: {
    imports: ['core'],
    typeOnly: [],
    runs: 'anywhere (worker, Node, tests)',
    rule: 'must stay pure',
    hint: 'core imports nothing of the other layers; move the code or invert the dependency',
  },
  store: {
    imports: ['store', 'core', 'shared'],
    typeOnly: [],
    runs: 'in the window and in workers',
    rule: 'is the database layer',
    hint: 'store builds on core and shared only; let the caller (renderer or a worker) pass in what it needs',
  },
  workers: {
    imports: ['workers', 'store', 'core', 'shared'],
    typeOnly: [],
    runs: 'in a web worker',
    rule: 'runs off the UI thread',
    hint: 'workers use store, core and shared; UI code belongs in src/renderer, Node code in src/node',
  },
  renderer: {
    imports: ['renderer', 'store', 'core', 'shared'],
    typeOnly: ['workers'],
    runs: 'in the sandboxed renderer',
    rule: 'is the sandboxed UI',
    hint: 'the renderer reaches Node and Electron only through the preload bridge typed in src/shared; parsing and detection belong in core, run by a worker',
  },
  preload: {
    imports: ['preload', 'shared'],
    typeOnly: [],
    runs: 'in the sandboxed preload',
    rule: 'is the narrow IPC bridge',
    hint: 'preload only exposes the src/shared channels through contextBridge; put logic in main or the renderer',
  },
  main: {
    imports: ['main', 'node', 'core', 'shared'],
    typeOnly: [],
    runs: 'in the Electron main process',
    rule: 'is the Electron main process',
    hint: 'main uses node, core and shared; UI code belongs in src/renderer and reaches main only through IPC',
  },
  node: {
    imports: ['node', 'core', 'shared'],
    typeOnly: [],
    runs: 'in Node',
    rule: 'holds the Node adapters for main and cli',
    hint: 'node builds on core and shared; it must not depend on its callers (main, cli) or on the UI',
  },
  cli: {
    imports: ['cli', 'node', 'core', 'shared'],
    typeOnly: [],
    runs: 'in Node',
    rule: 'is the Node command line',
    hint: 'cli uses node, core and shared; it must not depend on Electron or the UI',
  },
  shared: {
    imports: ['shared'],
    typeOnly: [],
    runs: 'on both sides of IPC',
    rule: 'is the IPC contract both sides import',
    hint: 'shared imports only shared; keep it to types and channel names',
  },
};

/** Only these layers may import Node builtins (`node:*`, 'fs', 'path', ...). */
export const NODE_BUILTIN_LAYERS = /** @type {const} */ (['main', 'node', 'cli']);

/**
 * Every npm package imported from src/ is classified here: the layers that may import it, and
 * what to do instead. An unclassified package is an error, so each new dependency gets a decision
 * (Signal's file-suffix rule). Core takes no package unless listed in the `corePackages` option.
 * @type {Readonly<Record<string, { layers: readonly LayerName[], hint: string }>>}
 */
export const PACKAGES = {
  electron: {
    layers: ['main', 'preload'],
    hint: 'Electron APIs live in src/main; the renderer reaches them through the preload bridge and the IPC contract in src/shared',
  },
  react: { layers: ['renderer'], hint: 'UI code lives in src/renderer' },
  'react-dom': { layers: ['renderer'], hint: 'UI code lives in src/renderer' },
  '@tanstack/react-virtual': { layers: ['renderer'], hint: 'UI code lives in src/renderer' },
  dexie: {
    layers: ['store'],
    hint: 'the database is reached only through src/store; call or add a store function',
  },
  comlink: {
    layers: ['workers', 'renderer', 'node', 'cli'],
    hint: 'comlink connects a worker to its caller; core stays unaware of threads',
  },
  yaml: {
    layers: ['core'],
    hint: 'Sigma rules are YAML, read by src/core/rules (listed in corePackages); other layers call core',
  },
  'hash-wasm': {
    layers: ['workers', 'node', 'cli'],
    hint: 'hash where the bytes are read (a worker or src/node); core takes digests as data',
  },
  'node-liblzma': {
    layers: ['workers', 'node'],
    hint: 'xz decoding is a capability core receives (Decompressors in src/core/archive); wire it in src/workers/decompressors.ts or src/node/archive/decompressors.ts',
  },
  'codemirror': { layers: ['renderer'], hint: 'the rule editor lives in src/renderer' },
  '@codemirror/lang-yaml': { layers: ['renderer'], hint: 'the rule editor lives in src/renderer' },
  '@codemirror/state': { layers: ['renderer'], hint: 'the rule editor lives in src/renderer' },
  '@codemirror/view': { layers: ['renderer'], hint: 'the rule editor lives in src/renderer' },
  '@codemirror/autocomplete': { layers: ['renderer'], hint: 'the rule editor lives in src/renderer' },
  '@codemirror/lint': { layers: ['renderer'], hint: 'the rule editor lives in src/renderer' },
  '@codemirror/merge': { layers: ['renderer'], hint: 'the rule editor lives in src/renderer' },
  '@codemirror/language': { layers: ['renderer'], hint: 'the rule editor lives in src/renderer' },
  '@codemirror/commands': { layers: ['renderer'], hint: 'the rule editor lives in src/renderer' },
  uplot: { layers: ['renderer'], hint: 'charts are drawn in src/renderer; bins are computed in core or a worker' },
  pdfmake: {
    layers: ['workers', 'node', 'cli'],
    hint: 'core composes the report as data; pdfmake renders it in the report worker or in Node (CLI)',
  },
};

/** What a sandboxed preload can get from Electron (electron docs, "Process Sandboxing"). */
export const PRELOAD_ELECTRON_NAMES = /** @type {const} */ ([
  'contextBridge',
  'crashReporter',
  'ipcRenderer',
  'nativeImage',
  'webFrame',
  'webUtils',
]);

/** Electron entry points per layer: main must not take renderer modules, preload no main ones. */
const ELECTRON_SPECIFIERS = {
  main: ['electron', 'electron/main', 'electron/common'],
  preload: ['electron', 'electron/renderer', 'electron/common'],
};

const BUILTINS = new Set(builtinModules);

/** The repository root: the folder holding eslint-rules/. */
const DEFAULT_ROOT = toPosix(path.dirname(path.dirname(fileURLToPath(import.meta.url))));

/** @param {string} p */
function toPosix(p) {
  return p.replaceAll('\\', '/');
}

/**
 * The top folder of src/ a file is in, or undefined when it is outside src/. Inside the project
 * root the path is taken relative to it (so a test fixture folder named src/ is not a layer);
 * elsewhere (RuleTester's virtual '/repo/src/core/a.ts') the segment after the last '/src/'.
 * @param {string} file posix path
 * @param {string} root posix path
 * @param {{ folder?: boolean }} [as] folder: the path may name a folder (an import of '../store' is its index)
 * @returns {string | undefined}
 */
export function layerOf(file, root, as = {}) {
  let rest;
  if (file.startsWith(`${root}/`)) {
    const rel = file.slice(root.length + 1);
    if (!rel.startsWith('src/')) return undefined;
    rest = rel.slice('src/'.length);
  } else {
    const at = file.lastIndexOf('/src/');
    if (at < 0) return undefined;
    rest = file.slice(at + '/src/'.length);
  }
  const slash = rest.indexOf('/');
  if (slash >= 0) return rest.slice(0, slash);
  // A file directly in src/ belongs to no layer: '.' marks it so it is reported, not skipped.
  return as.folder ? rest : '.';
}

/** @param {string} layer @returns {layer is LayerName} */
function isLayer(layer) {
  return Object.hasOwn(LAYERS, layer);
}

/** '@scope/pkg/sub' -> '@scope/pkg'; 'pkg/sub' -> 'pkg'. @param {string} spec */
function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : /** @type {string} */ (parts[0]);
}

/**
 * The string of a static specifier, or undefined for computed ones (those cannot be checked).
 * @param {import('estree').Node | null | undefined} node
 */
function staticString(node) {
  if (!node) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Enforce the src/ layer table (who may import whom, and which packages where)',
    },
    schema: [
      {
        type: 'object',
        properties: {
          corePackages: { type: 'array', items: { type: 'string' }, uniqueItems: true },
          root: { type: 'string' },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ corePackages: [] }],
    messages: {
      layer: 'src/{{from}} {{rule}}: it may not import src/{{to}} ({{hint}}).',
      typeOnlyLayer:
        'src/{{from}} may import src/{{to}} only with `import type` / `export type` (src/{{to}} code is started by URL, e.g. `new Worker(new URL(\'../workers/x.ts\', import.meta.url), { type: \'module\' })`, and reached through comlink; a value import would bundle it into the window. Under verbatimModuleSyntax `import { type X }` still loads the module: write `import type { X }`).',
      unknownLayer:
        'src/{{layer}} is not a layer: every file under src/ lives in one of {{layers}}. Move it, or add the layer to LAYERS in eslint-rules/layering.js.',
      nodeBuiltin:
        'src/{{from}} runs {{runs}}: it may not import the Node builtin \'{{name}}\' (Node APIs are used only in {{nodeLayers}}; put the I/O in src/node and pass data in).',
      corePackage:
        'src/core must stay pure: it may not import the package \'{{name}}\' (core uses no npm package unless it is listed in the corePackages option of loupe/layering in eslint.config.js; pass the capability in instead).',
      package:
        'src/{{from}} may not import \'{{name}}\': it is allowed only in {{allowed}} ({{hint}}).',
      unclassifiedPackage:
        'The package \'{{name}}\' is not classified: add it to PACKAGES in eslint-rules/layering.js with the layers that may import it, then import it from one of those.',
      electronEntry:
        'src/{{from}} may not import \'{{spec}}\': use one of {{allowed}} (main takes main-process modules, the preload only renderer-side ones).',
      preloadElectronName:
        'The sandboxed preload cannot use electron.{{name}}: import only the renderer-side modules {{allowed}}, by name.',
    },
  },

  create(context) {
    const [options] = /** @type {[{ corePackages?: string[], root?: string }]} */ (context.options);
    const corePackages = new Set(options?.corePackages ?? []);
    const root = toPosix(options?.root ?? DEFAULT_ROOT).replace(/\/$/, '');
    const filename = toPosix(context.physicalFilename ?? context.filename);
    const from = layerOf(filename, root);
    if (from === undefined) return {}; // outside src/: tests, bench and scripts are unrestricted

    if (!isLayer(from)) {
      return {
        Program(node) {
          context.report({
            node,
            messageId: 'unknownLayer',
            data: { layer: from === '.' ? path.posix.basename(filename) : from, layers: Object.keys(LAYERS).join(', ') },
          });
        },
      };
    }
    const layer = LAYERS[from];

    /**
     * @param {import('estree').Node} node where to report
     * @param {string} spec the module specifier as written
     * @param {{ typeOnly: boolean, names?: { name: string, typeOnly: boolean }[] | 'all' }} how
     *   names: the named bindings taken from the module, or 'all' for default/namespace imports
     */
    function check(node, spec, how) {
      // '../workers/x.ts?worker' is still the worker module: the query does not change the layer.
      const bare = spec.replace(/[?#].*$/, '');
      if (bare.startsWith('.') || bare.startsWith('/')) {
        checkPath(node, bare, how.typeOnly);
      } else if (bare.startsWith('node:') || BUILTINS.has(bare)) {
        checkBuiltin(node, bare);
      } else if (/^[a-z][\w+.-]*:/i.test(bare)) {
        // Bundler virtual modules and URLs ('virtual:x', 'data:') are not packages.
      } else {
        checkPackage(node, bare, how);
      }
    }

    /** @param {import('estree').Node} node @param {string} spec @param {boolean} typeOnly */
    function checkPath(node, spec, typeOnly) {
      const target = path.posix.normalize(
        spec.startsWith('/') ? spec : path.posix.join(path.posix.dirname(filename), spec),
      );
      const to = layerOf(target, root, { folder: true });
      if (to === undefined || to === from) return; // assets/, package.json, ...: not a layer
      if (!isLayer(to)) {
        context.report({
          node,
          messageId: 'unknownLayer',
          data: { layer: to, layers: Object.keys(LAYERS).join(', ') },
        });
        return;
      }
      if (/** @type {readonly string[]} */ (layer.imports).includes(to)) return;
      if (/** @type {readonly string[]} */ (layer.typeOnly).includes(to)) {
        if (!typeOnly) context.report({ node, messageId: 'typeOnlyLayer', data: { from, to } });
        return;
      }
      context.report({ node, messageId: 'layer', data: { from, to, rule: layer.rule, hint: layer.hint } });
    }

    /** @param {import('estree').Node} node @param {string} name */
    function checkBuiltin(node, name) {
      if (/** @type {readonly string[]} */ (NODE_BUILTIN_LAYERS).includes(from)) return;
      context.report({
        node,
        messageId: 'nodeBuiltin',
        data: {
          from,
          runs: layer.runs,
          name,
          nodeLayers: NODE_BUILTIN_LAYERS.map((l) => `src/${l}`).join(', '),
        },
      });
    }

    /**
     * @param {import('estree').Node} node @param {string} spec
     * @param {{ typeOnly: boolean, names?: { name: string, typeOnly: boolean }[] | 'all' }} how
     */
    function checkPackage(node, spec, how) {
      const name = packageName(spec);
      if (from === 'core') {
        if (!corePackages.has(name)) context.report({ node, messageId: 'corePackage', data: { name } });
        return;
      }
      const entry = Object.hasOwn(PACKAGES, name) ? PACKAGES[name] : undefined;
      if (!entry) {
        context.report({ node, messageId: 'unclassifiedPackage', data: { name } });
        return;
      }
      if (!(/** @type {readonly string[]} */ (entry.layers).includes(from))) {
        context.report({
          node,
          messageId: 'package',
          data: { from, name, allowed: entry.layers.map((l) => `src/${l}`).join(', '), hint: entry.hint },
        });
        return;
      }
      if (name === 'electron' && (from === 'main' || from === 'preload')) checkElectron(node, spec, how);
    }

    /**
     * @param {import('estree').Node} node @param {string} spec
     * @param {{ typeOnly: boolean, names?: { name: string, typeOnly: boolean }[] | 'all' }} how
     */
    function checkElectron(node, spec, how) {
      const entries = ELECTRON_SPECIFIERS[/** @type {'main' | 'preload'} */ (from)];
      if (!entries.includes(spec)) {
        context.report({
          node,
          messageId: 'electronEntry',
          data: { from, spec, allowed: entries.map((e) => `'${e}'`).join(', ') },
        });
        return;
      }
      // Types are erased, so only the preload's runtime bindings need to be renderer-side.
      if (from !== 'preload' || how.typeOnly || how.names === undefined) return;
      const allowed = /** @type {readonly string[]} */ (PRELOAD_ELECTRON_NAMES);
      const names = how.names === 'all' ? [{ name: '*', typeOnly: false }] : how.names;
      for (const { name, typeOnly } of names) {
        if (typeOnly || allowed.includes(name)) continue;
        context.report({
          node,
          messageId: 'preloadElectronName',
          data: { name: name === '*' ? '* (a default or namespace import)' : name, allowed: allowed.join(', ') },
        });
      }
    }

    /** @param {import('estree').ImportDeclaration['specifiers'][number]} s */
    function importedName(s) {
      if (s.type !== 'ImportSpecifier') return { name: '*', typeOnly: false };
      const imported = s.imported.type === 'Identifier' ? s.imported.name : String(s.imported.value);
      // typescript-eslint adds importKind to specifiers (`import { type X }`); estree lacks it.
      return { name: imported, typeOnly: /** @type {{ importKind?: string }} */ (s).importKind === 'type' };
    }

    return {
      ImportDeclaration(node) {
        const spec = staticString(node.source);
        if (spec === undefined) return;
        const typeOnly = /** @type {{ importKind?: string }} */ (node).importKind === 'type';
        const names = node.specifiers.some((s) => s.type !== 'ImportSpecifier') ? 'all' : node.specifiers.map(importedName);
        check(node, spec, { typeOnly, names });
      },
      ExportNamedDeclaration(node) {
        const spec = staticString(node.source);
        if (spec === undefined) return;
        check(node, spec, { typeOnly: /** @type {{ exportKind?: string }} */ (node).exportKind === 'type', names: 'all' });
      },
      ExportAllDeclaration(node) {
        const spec = staticString(node.source);
        if (spec === undefined) return;
        check(node, spec, { typeOnly: /** @type {{ exportKind?: string }} */ (node).exportKind === 'type', names: 'all' });
      },
      ImportExpression(node) {
        const spec = staticString(node.source);
        if (spec !== undefined) check(node, spec, { typeOnly: false });
      },
      CallExpression(node) {
        if (node.callee.type !== 'Identifier' || node.callee.name !== 'require') return;
        const spec = staticString(/** @type {import('estree').Node | undefined} */ (node.arguments[0]));
        if (spec !== undefined) check(node, spec, { typeOnly: false });
      },
      /** `import x = require('y')` (TypeScript). @param {import('estree').Node & { importKind?: string, moduleReference?: { type: string, expression?: import('estree').Node } }} node */
      TSImportEqualsDeclaration(node) {
        const ref = node.moduleReference;
        if (ref?.type !== 'TSExternalModuleReference') return;
        const spec = staticString(ref.expression);
        if (spec !== undefined) check(node, spec, { typeOnly: node.importKind === 'type' });
      },
      /** `typeof import('y')` in a type: erased, so type-only. @param {import('estree').Node & { source?: import('estree').Node, argument?: { literal?: import('estree').Node } }} node */
      TSImportType(node) {
        const spec = staticString(node.source ?? node.argument?.literal);
        if (spec !== undefined) check(node, spec, { typeOnly: true });
      },
    };
  },
};

export default rule;

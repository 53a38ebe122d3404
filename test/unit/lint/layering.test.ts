import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ESLint, RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import layering, { LAYERS, NODE_BUILTIN_LAYERS, PACKAGES, layerOf, type LayerName } from '../../../eslint-rules/layering.js';

// RuleTester reports through the test framework's describe/it; vitest has no globals here.
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({
  languageOptions: {
    parser: tseslint.parser,
    parserOptions: { ecmaFeatures: { jsx: true } },
  },
});

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const layerNames = Object.keys(LAYERS) as LayerName[];
/** A virtual file in a layer; outside the repo root, so the layer comes from the last '/src/'. */
const file = (layer: string, name = 'a.ts'): string => `/repo/src/${layer}/${name}`;

describe('the layer table', () => {
  it('gives every row the import rules of DESIGN.md', () => {
    const table = Object.fromEntries(
      layerNames.map((l) => [l, { imports: [...LAYERS[l].imports].sort(), typeOnly: [...LAYERS[l].typeOnly] }]),
    );
    expect(table).toEqual({
      core: { imports: ['core'], typeOnly: [] },
      store: { imports: ['core', 'shared', 'store'], typeOnly: [] },
      workers: { imports: ['core', 'shared', 'store', 'workers'], typeOnly: [] },
      renderer: { imports: ['core', 'renderer', 'shared', 'store'], typeOnly: ['workers'] },
      preload: { imports: ['preload', 'shared'], typeOnly: [] },
      main: { imports: ['core', 'main', 'node', 'shared'], typeOnly: [] },
      node: { imports: ['core', 'node', 'shared'], typeOnly: [] },
      cli: { imports: ['cli', 'core', 'node', 'shared'], typeOnly: [] },
      shared: { imports: ['shared'], typeOnly: [] },
    });
    expect([...NODE_BUILTIN_LAYERS].sort()).toEqual(['cli', 'main', 'node']);
  });

  it('knows every folder under src/', () => {
    const folders = readdirSync(`${repoRoot}src`, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(folders.filter((f) => !layerNames.includes(f as LayerName))).toEqual([]);
  });

  it('classifies every runtime dependency (each new package gets a decision)', () => {
    const pkg = JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8')) as { dependencies?: Record<string, string> };
    const unclassified = Object.keys(pkg.dependencies ?? {}).filter((name) => !Object.hasOwn(PACKAGES, name));
    expect(unclassified).toEqual([]);
  });

  it('finds the layer after src/, relative to the project root when inside it', () => {
    expect(layerOf('/repo/src/core/formats/syslog.ts', '/elsewhere')).toBe('core');
    expect(layerOf('/repo/test/unit/core/a.test.ts', '/elsewhere')).toBeUndefined();
    expect(layerOf('/repo/src/a.ts', '/elsewhere')).toBe('.');
    // An import of '../store' names the folder's index.
    expect(layerOf('/repo/src/store', '/elsewhere', { folder: true })).toBe('store');
    // Inside the root, a nested folder named src/ (e.g. a fixture) is not a layer.
    expect(layerOf('/repo/test/fixtures/src/core/a.ts', '/repo')).toBeUndefined();
    expect(layerOf('/repo/src/store/db.ts', '/repo')).toBe('store');
  });
});

// Every (from, to) pair of the table, both ways: allowed pairs are valid, the rest report.
const matrixValid: RuleTester.ValidTestCase[] = [];
const matrixInvalid: RuleTester.InvalidTestCase[] = [];
for (const from of layerNames) {
  for (const to of layerNames) {
    const code = `import { x } from '../${to}/x';`;
    const filename = file(from);
    if (LAYERS[from].imports.includes(to)) {
      matrixValid.push({ name: `${from} -> ${to}`, code, filename });
    } else {
      const typeOnly = LAYERS[from].typeOnly.includes(to);
      matrixInvalid.push({
        name: `${from} -> ${to}`,
        code,
        filename,
        errors: [{ messageId: typeOnly ? 'typeOnlyLayer' : 'layer' }],
      });
    }
  }
}

tester.run('loupe/layering: the full layer matrix', layering, { valid: matrixValid, invalid: matrixInvalid });

tester.run('loupe/layering', layering, {
  valid: [
    { name: 'core imports core', code: "import { parse } from '../formats/syslog';", filename: file('core', 'ingest/a.ts') },
    {
      name: 'renderer imports a worker contract with import type',
      code: "import type { IngestApi } from '../workers/contract';",
      filename: file('renderer', 'app.tsx'),
    },
    {
      name: 'renderer re-exports worker types with export type',
      code: "export type { IngestApi } from '../workers/contract';\nexport type * from '../workers/detect';",
      filename: file('renderer'),
    },
    {
      name: 'renderer names a worker type with typeof import()',
      code: "type Api = typeof import('../workers/ingest.worker');",
      filename: file('renderer'),
    },
    {
      name: 'renderer starts a worker by URL (a string, not an import)',
      code: "new Worker(new URL('../workers/ingest.worker.ts', import.meta.url), { type: 'module' });",
      filename: file('renderer'),
    },
    { name: 'workers import the store folder index', code: "import { database } from '../store';", filename: file('workers', 'ingest.worker.ts') },
    { name: 'renderer imports the store index from deep inside', code: "import type { EvidenceRecord } from '../../../store';", filename: file('renderer', 'views/ingest/List.tsx') },
    { name: 'main imports node', code: "import { openBundle } from '../node/files';", filename: file('main') },
    { name: 'main imports Node builtins', code: "import { readFile } from 'node:fs/promises';\nimport path from 'path';", filename: file('main') },
    { name: 'main imports electron', code: "import { app, BrowserWindow } from 'electron';", filename: file('main') },
    { name: 'cli imports node and core', code: "import { x } from '../node/x';\nimport { y } from '../core/y';", filename: file('cli') },
    { name: 'store imports dexie', code: "import Dexie, { type Table } from 'dexie';", filename: file('store', 'db.ts') },
    {
      name: 'preload imports renderer-side electron modules',
      code: "import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';",
      filename: file('preload', 'preload.ts'),
    },
    {
      name: 'preload may name any electron type in import type',
      code: "import type { BrowserWindow } from 'electron';",
      filename: file('preload'),
    },
    { name: 'renderer imports react', code: "import { useState } from 'react';\nimport { createRoot } from 'react-dom/client';", filename: file('renderer', 'main.tsx') },
    { name: 'renderer imports comlink', code: "import { wrap } from 'comlink';", filename: file('renderer') },
    { name: 'workers import store and dynamic-import core', code: "import { db } from '../store/db';\nconst m = await import('../core/index');", filename: file('workers', 'ingest.worker.ts') },
    { name: 'core allowlist option admits a package', code: "import { x } from 'tiny-pure';", filename: file('core'), options: [{ corePackages: ['tiny-pure'] }] },
    { name: 'a test may import anything', code: "import { x } from '../../src/store/db';\nimport fs from 'node:fs';\nimport React from 'react';", filename: '/repo/test/unit/core/a.test.ts' },
    { name: 'bench may import anything', code: "import { x } from '../src/workers/w';\nimport Dexie from 'dexie';", filename: '/repo/bench/ingest.bench.ts' },
    { name: 'scripts may import anything', code: "const { build } = require('esbuild');", filename: '/repo/scripts/build.cjs' },
    {
      name: 'inside the root, a fixture folder named src is not a layer',
      code: "import { x } from '../store/x';",
      filename: '/repo/test/fixtures/src/core/a.ts',
      options: [{ root: '/repo' }],
    },
    { name: 'imports of non-layer files (assets) are not layered', code: "import rules from '../../assets/rules.json';", filename: file('core') },
    { name: 'computed dynamic imports cannot be checked', code: 'const m = await import(name);', filename: file('core') },
  ],
  invalid: [
    {
      name: 'core imports store',
      code: "import { db } from '../store/db';",
      filename: file('core'),
      errors: [
        {
          message:
            'src/core must stay pure: it may not import src/store (core imports nothing of the other layers; move the code or invert the dependency).',
        },
      ],
    },
    {
      name: 'renderer imports a worker value',
      code: "import { ingest } from '../workers/ingest.worker';",
      filename: file('renderer', 'app.tsx'),
      errors: [{ messageId: 'typeOnlyLayer', data: { from: 'renderer', to: 'workers' } }],
    },
    {
      name: 'renderer imports a worker through ?worker (still a value import)',
      code: "import IngestWorker from '../workers/ingest.worker.ts?worker';",
      filename: file('renderer'),
      errors: [{ messageId: 'typeOnlyLayer' }],
    },
    {
      name: 'renderer imports worker types with inline type specifiers (still a runtime import)',
      code: "import { type IngestApi } from '../workers/contract';",
      filename: file('renderer'),
      errors: [{ messageId: 'typeOnlyLayer' }],
    },
    {
      name: 'renderer dynamic-imports a worker',
      code: "const w = await import('../workers/ingest.worker');",
      filename: file('renderer'),
      errors: [{ messageId: 'typeOnlyLayer' }],
    },
    {
      name: 'core imports node:fs',
      code: "import { readFileSync } from 'node:fs';",
      filename: file('core'),
      errors: [
        {
          message:
            "src/core runs anywhere (worker, Node, tests): it may not import the Node builtin 'node:fs' (Node APIs are used only in src/main, src/node, src/cli; put the I/O in src/node and pass data in).",
        },
      ],
    },
    {
      name: 'renderer, store, workers, preload and shared import Node builtins without the node: prefix',
      code: "import path from 'path';",
      filename: file('renderer'),
      errors: [{ messageId: 'nodeBuiltin' }],
    },
    { name: 'store imports fs/promises', code: "import { readFile } from 'fs/promises';", filename: file('store'), errors: [{ messageId: 'nodeBuiltin' }] },
    { name: 'workers require a builtin', code: "const os = require('os');", filename: file('workers'), errors: [{ messageId: 'nodeBuiltin' }] },
    { name: 'preload imports a builtin', code: "import { EventEmitter } from 'node:events';", filename: file('preload'), errors: [{ messageId: 'nodeBuiltin' }] },
    {
      name: 'renderer imports dexie',
      code: "import Dexie from 'dexie';",
      filename: file('renderer'),
      errors: [{ messageId: 'package', data: { from: 'renderer', name: 'dexie', allowed: 'src/store', hint: PACKAGES['dexie']?.hint ?? '' } }],
    },
    { name: 'workers import dexie (go through store)', code: "import Dexie from 'dexie';", filename: file('workers'), errors: [{ messageId: 'package' }] },
    { name: 'core imports react', code: "import React from 'react';", filename: file('core'), errors: [{ messageId: 'corePackage', data: { name: 'react' } }] },
    { name: 'core imports comlink', code: "import { expose } from 'comlink';", filename: file('core'), errors: [{ messageId: 'corePackage' }] },
    { name: 'store imports react-dom/client', code: "import { createRoot } from 'react-dom/client';", filename: file('store'), errors: [{ messageId: 'package' }] },
    { name: 'renderer imports electron', code: "import { ipcRenderer } from 'electron';", filename: file('renderer'), errors: [{ messageId: 'package' }] },
    { name: 'node imports electron', code: "import { app } from 'electron';", filename: file('node'), errors: [{ messageId: 'package' }] },
    { name: 'a package nobody classified', code: "import leftPad from 'left-pad';", filename: file('main'), errors: [{ messageId: 'unclassifiedPackage', data: { name: 'left-pad' } }] },
    { name: 'a scoped package nobody classified', code: "import { x } from '@acme/tool/sub';", filename: file('renderer'), errors: [{ messageId: 'unclassifiedPackage', data: { name: '@acme/tool' } }] },
    {
      name: 'preload imports a main-process electron module',
      code: "import { contextBridge, BrowserWindow } from 'electron';",
      filename: file('preload'),
      errors: [{ messageId: 'preloadElectronName', data: { name: 'BrowserWindow', allowed: 'contextBridge, crashReporter, ipcRenderer, nativeImage, webFrame, webUtils' } }],
    },
    { name: 'preload takes all of electron', code: "import * as electron from 'electron';", filename: file('preload'), errors: [{ messageId: 'preloadElectronName' }] },
    { name: 'preload imports electron/main', code: "import { app } from 'electron/main';", filename: file('preload'), errors: [{ messageId: 'electronEntry' }] },
    { name: 'main imports electron/renderer', code: "import { ipcRenderer } from 'electron/renderer';", filename: file('main'), errors: [{ messageId: 'electronEntry' }] },
    { name: 'core dynamic-imports store', code: "const m = await import('../store/db');", filename: file('core'), errors: [{ messageId: 'layer' }] },
    { name: 'core dynamic-imports through a static template', code: 'const m = await import(`../store/db`);', filename: file('core'), errors: [{ messageId: 'layer' }] },
    { name: 'core re-exports store with export-from', code: "export { db } from '../store/db';", filename: file('core'), errors: [{ messageId: 'layer' }] },
    { name: 'core re-exports store with export *', code: "export * from '../store/db';", filename: file('core'), errors: [{ messageId: 'layer' }] },
    { name: 'core takes store types (type-only does not help core)', code: "import type { Db } from '../store/db';", filename: file('core'), errors: [{ messageId: 'layer' }] },
    { name: 'core names a store type with typeof import()', code: "type M = typeof import('../store/db');", filename: file('core'), errors: [{ messageId: 'layer' }] },
    { name: 'core requires store', code: "const db = require('../store/db');", filename: file('core'), errors: [{ messageId: 'layer' }] },
    { name: 'core import-equals store', code: "import db = require('../store/db');", filename: file('core'), errors: [{ messageId: 'layer' }] },
    { name: 'core imports renderer from deep inside', code: "import { View } from '../../renderer/views/timeline';", filename: file('core', 'formats/x.ts'), errors: [{ messageId: 'layer' }] },
    { name: 'store imports workers', code: "import { x } from '../workers/x';", filename: file('store'), errors: [{ messageId: 'layer' }] },
    { name: 'node imports main', code: "import { win } from '../main/window';", filename: file('node'), errors: [{ messageId: 'layer' }] },
    { name: 'preload imports core', code: "import { x } from '../core/x';", filename: file('preload'), errors: [{ messageId: 'layer' }] },
    { name: 'shared imports core', code: "import type { LoupeEvent } from '../core/model/event';", filename: file('shared'), errors: [{ messageId: 'layer' }] },
    { name: 'a file in an unknown src folder', code: 'export const x = 1;', filename: file('utils'), errors: [{ messageId: 'unknownLayer', data: { layer: 'utils', layers: layerNames.join(', ') } }] },
    {
      name: 'a file directly in src/',
      code: 'export const x = 1;',
      filename: '/repo/src/env.d.ts',
      errors: [{ messageId: 'unknownLayer', data: { layer: 'env.d.ts', layers: layerNames.join(', ') } }],
    },
    { name: 'core imports the store folder index', code: "import { database } from '../store';", filename: file('core', 'a.ts'), errors: [{ messageId: 'layer' }] },
    { name: 'renderer imports the workers folder index', code: "import { x } from '../workers';", filename: file('renderer'), errors: [{ messageId: 'typeOnlyLayer' }] },
    { name: 'an import into an unknown src folder', code: "import { x } from '../utils/x';", filename: file('core'), errors: [{ messageId: 'unknownLayer' }] },
  ],
});

describe('eslint.config.js', () => {
  // The real config, on virtual files: proves the rule and the HTML/console bans are wired.
  const eslint = new ESLint({ cwd: repoRoot });
  const lint = async (filePath: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).map((m) => `${m.line}:${m.ruleId ?? 'fatal'}`);
  };

  it('enforces layering under src/ and not in test/', async () => {
    const code = "import { db } from '../store/db';\nexport const x = db;\n";
    expect(await lint('src/core/zz-lint-probe.ts', code)).toEqual(['1:loupe/layering']);
    expect(await lint('test/unit/zz-lint-probe.test.ts', code)).toEqual([]);
  });

  it('bans HTML sinks, console in app code, any and ==', async () => {
    const code = [
      'export const A = (p: { h: string }) => <div dangerouslySetInnerHTML={{ __html: p.h }} />;',
      'export function f(el: HTMLElement, s: string): void {',
      '  el.innerHTML = s;',
      "  el['outerHTML'] = s;",
      "  el.insertAdjacentHTML('beforeend', s);",
      '  document.write(s);',
      '  console.log(s);',
      '}',
      'export const g = (v: any): boolean => v == 1;',
    ].join('\n');
    expect(await lint('src/renderer/zz-lint-probe.tsx', code)).toEqual([
      '1:no-restricted-syntax',
      '3:no-restricted-syntax',
      '4:no-restricted-syntax',
      '5:no-restricted-syntax',
      '6:no-restricted-syntax',
      '7:no-console',
      '9:@typescript-eslint/no-explicit-any',
      '9:eqeqeq',
    ]);
  });

  it('allows console in the Node entry points', async () => {
    expect(await lint('src/cli/zz-lint-probe.ts', "console.log('ok');\n")).toEqual([]);
  });
});

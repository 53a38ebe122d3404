// Lint that enforces the architecture (DESIGN.md "Layout"; examples-to-follow.md 2.2, 2.11).
// Syntax-only (no type information) so `npm run lint` stays fast; tsc checks types per environment.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import loupe from './eslint-rules/index.js';

// Log text is hostile: it is only ever rendered as text, never parsed as HTML.
const NO_HTML = 'Log text is hostile: never build HTML from strings. Render text nodes / React children (textContent).';
const htmlSinks = [
  { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: `dangerouslySetInnerHTML is banned. ${NO_HTML}` },
  {
    selector: "AssignmentExpression > MemberExpression.left[property.name=/^(inner|outer)HTML$/]",
    message: `Assigning .innerHTML/.outerHTML is banned. ${NO_HTML}`,
  },
  {
    selector: "AssignmentExpression > MemberExpression.left[property.value=/^(inner|outer)HTML$/]",
    message: `Assigning ['innerHTML']/['outerHTML'] is banned. ${NO_HTML}`,
  },
  {
    selector: "CallExpression[callee.property.name=/^(insertAdjacentHTML|setHTMLUnsafe|createContextualFragment)$/]",
    message: `insertAdjacentHTML / setHTMLUnsafe / createContextualFragment are banned. ${NO_HTML}`,
  },
  {
    selector: "CallExpression[callee.object.name='document'][callee.property.name=/^write(ln)?$/]",
    message: `document.write is banned. ${NO_HTML}`,
  },
];

export default defineConfig(
  globalIgnores([
    'dist/',
    'out/',
    'demo/',
    'node_modules/',
    'test-results/',
    'playwright-report/',
    'coverage/',
  ]),

  {
    name: 'loupe/base',
    // All code, so no TS or JS file is linted without rules (scripts/*.mjs, bin/*.mjs, eslint-rules/*.js).
    files: ['**/*.{ts,tsx,mts,cts}', '**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    plugins: { loupe },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      // verbatimModuleSyntax keeps `import { type X }` as a runtime import; `import type` is erased.
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', ...htmlSinks],
      eqeqeq: ['error', 'always'],
    },
  },

  // Globals per environment (the tsconfig per folder is the stricter check; this covers .js/.mjs).
  { files: ['src/core/**', 'src/shared/**'], languageOptions: { globals: {} } },
  { files: ['src/store/**', 'src/workers/**'], languageOptions: { globals: { ...globals.worker } } },
  { files: ['src/renderer/**', 'src/preload/**'], languageOptions: { globals: { ...globals.browser } } },
  {
    files: ['src/main/**', 'src/node/**', 'src/cli/**', 'scripts/**', 'bin/**', 'bench/**', 'eslint-rules/**', '*.{js,mjs,cjs,ts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  { files: ['test/**'], languageOptions: { globals: { ...globals.node } } },
  // Playwright callbacks passed to page.evaluate() run in the page.
  { files: ['test/e2e/**'], languageOptions: { globals: { ...globals.node, ...globals.browser } } },

  {
    name: 'loupe/layering',
    files: ['src/**'],
    rules: {
      // Core takes no npm package; adding one here is an architecture decision (DESIGN.md).
      'loupe/layering': ['error', { corePackages: ['yaml'] }],
    },
  },

  {
    name: 'loupe/no-console-in-app-code',
    // Errors go to the caller as data; console output is for the Node entry points
    // (src/cli, src/main, src/node), scripts, bench and tests.
    files: ['src/core/**', 'src/store/**', 'src/workers/**', 'src/renderer/**', 'src/preload/**', 'src/shared/**'],
    rules: { 'no-console': 'error' },
  },
);

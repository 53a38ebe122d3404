// Bundles the Node-side entry points (CLI, Electron main and preload, scripts) with esbuild.
// Run by npm start, npm test and on first use of `npx loupe` (bin/loupe.mjs); takes < 1 s.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

const entries = [
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli/loupe.mjs', format: 'esm', external: ['pdfmake'], banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" } },
  { entryPoints: ['scripts/demo-bundle.ts'], outfile: 'dist/scripts/demo-bundle.mjs', format: 'esm' },
  { entryPoints: ['scripts/start.ts'], outfile: 'dist/scripts/start.mjs', format: 'esm' },
  { entryPoints: ['scripts/screenshots.ts'], outfile: 'dist/scripts/screenshots.mjs', format: 'esm', external: ['@playwright/test', 'playwright-core'] },
  { entryPoints: ['src/main/main.ts'], outfile: 'dist/main/main.cjs', format: 'cjs', external: ['electron'] },
  // The preload runs sandboxed: only `electron`'s renderer modules are available, so bundle everything else.
  { entryPoints: ['src/preload/preload.ts'], outfile: 'dist/preload/preload.cjs', format: 'cjs', external: ['electron'], platform: 'browser' },
];

await Promise.all(
  entries
    .filter((entry) => existsSync(entry.entryPoints[0]))
    .map((entry) => build({ ...common, ...entry })),
);

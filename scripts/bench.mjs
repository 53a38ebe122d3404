// `npm run bench`: bundles the benchmark page, worker and runner with esbuild, then runs them.
// See bench/run.ts for what is measured.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

// Inside the project, so the runner resolves @playwright/test from node_modules.
const out = 'dist/bench';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { page: 'bench/store/page.ts', 'store.worker': 'bench/store/store.worker.ts' },
  outdir: out, bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: true, logLevel: 'warning',
});
copyFileSync('bench/store/index.html', join(out, 'index.html'));
await build({
  entryPoints: ['bench/run.ts'], outfile: join(out, 'run.mjs'), bundle: true, format: 'esm', platform: 'node', target: 'node20',
  external: ['@playwright/test', 'playwright-core'], logLevel: 'warning',
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
});
const result = spawnSync(process.execPath, [join(out, 'run.mjs'), out, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);

// Bundles bench/profile-ingest.ts with esbuild and runs it in this Node process.
// `node scripts/profile-ingest.mjs [--mb=50] [--runs=3] [--stage=split|parse|encode] [--family=firewall|web|maas|auth|journal]`; add `--cpu-prof` to node itself for a V8 profile:
// `node --cpu-prof --cpu-prof-dir=/tmp scripts/profile-ingest.mjs`.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const arg = argv.find((a) => a.startsWith(`--${name}=`));
  return arg === undefined ? fallback : Math.max(1, Number(arg.slice(name.length + 3)) || fallback);
};
const dir = mkdtempSync(join(tmpdir(), 'loupe-profile-'));
const out = join(dir, 'profile-ingest.mjs');
try {
  await build({
    absWorkingDir: root, entryPoints: ['bench/profile-ingest.ts'], outfile: out, bundle: true, format: 'esm',
    platform: 'node', target: 'node20', sourcemap: 'inline', logLevel: 'warning',
  });
  const { profileIngest } = await import(pathToFileURL(out).href);
  await profileIngest({ megabytes: option('mb', 50), runs: option('runs', 3), stage: argv.find((a) => a.startsWith('--stage='))?.slice(8), family: argv.find((a) => a.startsWith('--family='))?.slice(9) }, (line) => console.log(line));
} finally {
  if (process.env['LOUPE_PROFILE_KEEP'] === undefined) rmSync(dir, { recursive: true, force: true });
}

#!/usr/bin/env node
// The `loupe` command. The CLI is bundled on first use (dependencies install without scripts; see .npmrc).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = new URL('../dist/cli/loupe.mjs', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  const result = spawnSync(process.execPath, ['scripts/build-node.mjs'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(1);
}
const { main } = await import(pathToFileURL(fileURLToPath(entry)).href);
process.exitCode = await main(process.argv.slice(2));

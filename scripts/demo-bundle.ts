/**
 * `npm run demo-bundle`: regenerates the demo sos report in ./demo (relative to the working
 * directory), replacing whatever was there.
 */
import { rm } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { generateDemoBundle } from '../src/node/demo/generate-demo-bundle';

async function main(): Promise<void> {
  const outDir = resolve(process.cwd(), 'demo');
  // Guard the recursive delete: only ever a directory named demo.
  if (basename(outDir) !== 'demo') throw new Error(`refusing to clear ${outDir}`);
  await rm(outDir, { recursive: true, force: true });
  const info = await generateDemoBundle(outDir);
  process.stdout.write(`demo bundle: ${info.fileCount} files, ${info.totalBytes} bytes -> ${info.bundleDir}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo-bundle: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

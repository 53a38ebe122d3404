// Type-checks each environment with its own tsconfig: core without DOM or Node types, workers
// with WebWorker, the renderer with DOM, Node code with Node types, tests with all of them.
import { spawnSync } from 'node:child_process';

const projects = ['core', 'workers', 'renderer', 'node', 'preload', 'test'];
let failed = false;
for (const project of projects) {
  const result = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', `tsconfig.${project}.json`], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`typecheck: tsconfig.${project}.json failed`);
    failed = true;
  }
}
if (!failed) console.log(`typecheck: ${projects.length} projects clean`);
process.exit(failed ? 1 : 0);

// `npm test`: typecheck, lint, unit tests (vitest), build, demo bundle, end-to-end tests
// (Playwright over Debian's Chromium). Ends with one summary line: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const npx = (args, env = {}) => spawnSync('npx', args, { stdio: 'inherit', env: { ...process.env, ...env } });
mkdirSync('test-results', { recursive: true });

const steps = [];
function step(name, run) {
  const started = Date.now();
  const result = run();
  const ok = result.status === 0;
  steps.push({ name, ok, seconds: (Date.now() - started) / 1000 });
  if (!ok) console.error(`\n✗ ${name} failed (exit ${result.status})`);
  return ok;
}

step('typecheck', () => spawnSync(process.execPath, ['scripts/typecheck.mjs'], { stdio: 'inherit' }));
step('lint', () => npx(['eslint', '--max-warnings=0', '.']));
step('unit tests', () => npx(['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/unit.json']));
const built = step('build', () => spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' }))
  && step('demo bundle', () => spawnSync(process.execPath, ['dist/scripts/demo-bundle.mjs'], { stdio: 'inherit' }));
if (built) step('end-to-end tests', () => npx(['playwright', 'test']));

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync('test-results/unit.json')) {
  const unit = JSON.parse(readFileSync('test-results/unit.json', 'utf8'));
  passed += unit.numPassedTests;
  failed += unit.numFailedTests;
  skipped += unit.numPendingTests + unit.numTodoTests;
}
if (built && existsSync('test-results/e2e.json')) {
  const e2e = JSON.parse(readFileSync('test-results/e2e.json', 'utf8'));
  passed += e2e.stats.expected;
  failed += e2e.stats.unexpected + e2e.stats.flaky;
  skipped += e2e.stats.skipped;
}
const stepFailures = steps.filter((s) => !s.ok);
console.log('');
for (const s of steps) console.log(`${s.ok ? '✓' : '✗'} ${s.name} (${s.seconds.toFixed(1)} s)`);
// A failed step that ran no counted test (typecheck, lint, build) still fails the run.
if (failed === 0 && stepFailures.length > 0) failed = stepFailures.length;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(stepFailures.length > 0 || failed > 0 ? 1 : 0);

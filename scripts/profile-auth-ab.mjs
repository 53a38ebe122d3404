// Before/after of the syslog and auth parsers on one machine state: bench/profile-ingest.ts bundled
// twice, once as it is and once with src/core/formats' syslog/auth files replaced by their frozen
// plain forms (test/unit/core/formats/auth-reference/, the oracle of auth-fast-paths.test.ts), then
// run alternately in fresh Node processes; prints each run's CPU-time MB/s and the ratio of medians.
// `flock /tmp/bench.lock node scripts/profile-auth-ab.mjs [--stage=parse|encode] [--family=auth] [--runs=3] [--mb=20]`
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, fallback) => process.argv.slice(2).find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const stage = arg('stage', 'parse');
const family = arg('family', 'auth');
const runs = Number(arg('runs', '3'));
const megabytes = Number(arg('mb', '20'));
const PLAIN = new Set(['sshd', 'sshd-sessions', 'pam-unix', 'sudo', 'su', 'auth-common', 'dropbear', 'syslog', 'syslog-envelope', 'syslog-messages']);
const plain = {
  name: 'plain',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const m = /src\/core\/formats\/([a-z-]+)$/.exec(resolve(args.resolveDir, args.path));
      return m !== null && PLAIN.has(m[1]) ? { path: join(root, 'test/unit/core/formats/auth-reference', `${m[1]}.ts`) } : undefined;
    });
  },
};
const dir = mkdtempSync(join(tmpdir(), 'loupe-ab-'));
try {
  for (const [name, plugins] of [['fast', []], ['plain', [plain]]]) {
    await build({ absWorkingDir: root, entryPoints: ['bench/profile-ingest.ts'], outfile: join(dir, `${name}.mjs`), bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning', plugins });
  }
  const rates = { fast: [], plain: [] };
  for (let run = 0; run < runs; run++) {
    for (const name of ['plain', 'fast']) {
      const code = `import(${JSON.stringify(pathToFileURL(join(dir, `${name}.mjs`)).href)}).then((m) => m.profileIngest({ megabytes: ${megabytes}, runs: 3, stage: '${stage}', family: '${family}' }, console.log))`;
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', code]).toString();
      rates[name].push(Number(/cpu\s+\d+ ms\s+([\d.]+) MB\/s/.exec(out)[1]));
    }
  }
  const median = (a) => [...a].sort((x, y) => x - y)[Math.floor((a.length - 1) / 2)];
  console.log(`${family} ${stage}, CPU-time MB/s per run: plain ${rates.plain.join(', ')} | now ${rates.fast.join(', ')} | ratio of medians ${(median(rates.fast) / median(rates.plain)).toFixed(2)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

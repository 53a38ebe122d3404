// Issue 4's parse benchmark: single-thread parse rate, in MB/s and lines/s, of each log family on a
// generated file (200 MB each; 20 MB with --quick), beside GoAccess (the Apache access log) and
// lnav (every file: it indexes each line to answer a count) on the same files in the same run.
// `npm run bench -- --families` runs only this part (scripts/bench.mjs calls it after its own parts
// otherwise); `--runs=N` (3), `--max-wait=S` (30), `--mb=N` to change the file size.
// Loupe runs in a fresh Node process per run (bench/families-run.ts), timed inside from opening the
// file to its last event; the peers are timed around spawnSync (their start-up included, lnav warmed
// up once on a tiny file). Prints per-run figures, then medians with min and max, and ratios
// Loupe / peer per run. Writes bench/results/families[-quick].json. Figures, not tests: only counts
// that come out wrong (lines lost, unparsed lines, a peer counting other lines) fail.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const numberArg = (name, fallback) => {
  const arg = argv.find((a) => a.startsWith(`--${name}=`));
  return arg === undefined ? fallback : Math.max(0, Number(arg.slice(name.length + 3)) || fallback);
};
const RUNS = Math.max(1, numberArg('runs', 3));
const MAX_WAIT_MS = numberArg('max-wait', 30) * 1000;
const FILE_BYTES = numberArg('mb', quick ? 20 : 200) * 1e6;
const SEED = 11;
const LNAV = '/usr/bin/lnav';
const GOACCESS = '/usr/bin/goaccess';
const MB = 1e6;
const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : String(n));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

const tmp = mkdtempSync(join(tmpdir(), 'loupe-families-'));
const home = join(tmp, 'home');
mkdirSync(home);
const peerEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config') };

/** Busy CPU time of the machine and of this process tree, to say how much others used meanwhile. */
function busyTicks() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return f.slice(0, 8).reduce((a, b) => a + b, 0) - f[3] - f[4];
}
function ownTicks() {
  const f = readFileSync('/proc/self/stat', 'utf8');
  const v = f.slice(f.lastIndexOf(')') + 2).split(' ').map(Number);
  return v[11] + v[12] + v[13] + v[14];
}
const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;
function otherLoad() {
  const b0 = busyTicks();
  const o0 = ownTicks();
  const t0 = Date.now();
  return () => Math.max(0, (busyTicks() - b0 - (ownTicks() - o0)) / TICKS / Math.max(0.001, (Date.now() - t0) / 1000));
}
async function waitForQuiet() {
  const deadline = Date.now() + MAX_WAIT_MS;
  for (;;) {
    const load = otherLoad();
    await new Promise((done) => setTimeout(done, 1000));
    const cores = load();
    if (cores < 0.25 || Date.now() > deadline) return cores;
  }
}

async function bundle() {
  const out = join(tmp, 'node');
  await build({
    absWorkingDir: root, entryPoints: { 'families-run': 'bench/families-run.ts' }, outdir: out, outExtension: { '.js': '.mjs' }, bundle: true, format: 'esm',
    platform: 'node', target: 'node20', logLevel: 'warning',
  });
  await build({
    absWorkingDir: root,
    stdin: { contents: "export { FAMILIES, FAMILY_PATHS, FAMILY_DATASETS, generateFamilyText } from './bench/families';\n", resolveDir: root, sourcefile: 'families-support.ts', loader: 'ts' },
    outfile: join(out, 'families-support.mjs'), bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning',
  });
  return { runner: join(out, 'families-run.mjs'), support: await import(pathToFileURL(join(out, 'families-support.mjs')).href) };
}

async function writeFamily(support, family, file) {
  const stats = { bytes: 0, lines: 0, events: 0 };
  const out = createWriteStream(file);
  for (const chunk of support.generateFamilyText(family, SEED, FILE_BYTES, stats)) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  return stats;
}

function runLoupe(runner, mode, file, path) {
  const load = otherLoad();
  const result = spawnSync(process.execPath, [runner, mode, file, path], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (result.status !== 0) throw new Error(`loupe ${mode} failed: ${result.stderr}`);
  return { ...JSON.parse(result.stdout.trim().split('\n').at(-1)), otherCores: load() };
}

function timed(command, args) {
  const load = otherLoad();
  const t = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 26, env: peerEnv });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (result.status !== 0) throw new Error(`${command} failed (${result.status}): ${result.stderr}`);
  return { ms, stdout: result.stdout, otherCores: load() };
}

/** lnav indexes every line to answer the count (all_logs: whatever format it recognised the file as). */
function runLnav(file) {
  const r = timed(LNAV, ['-n', '-c', ';SELECT count(*) AS lines FROM all_logs', file]);
  return { ms: r.ms, lines: Number(r.stdout.trim().split('\n').at(-1).trim()), otherCores: r.otherCores };
}

/** GoAccess parses the whole log into its report (JSON, to a file). */
function runGoaccess(file) {
  const output = join(tmp, 'goaccess.json');
  const r = timed(GOACCESS, [file, '--log-format=COMBINED', '--no-global-config', '-o', output]);
  const general = JSON.parse(readFileSync(output, 'utf8')).general;
  rmSync(output, { force: true });
  return { ms: r.ms, lines: general.total_requests, valid: general.valid_requests, failed: general.failed_requests, otherCores: r.otherCores };
}

const version = (command, args) => spawnSync(command, args, { encoding: 'utf8' }).stdout?.split('\n')[0]?.trim() ?? null;
const checks = [];
const check = (what, ok, detail) => {
  checks.push({ what, ok, detail });
  if (!ok) console.log(`    CHECK FAILED: ${what}: ${detail}`);
};

let exitCode = 0;
const started = Date.now();
try {
  const lnavVersion = version(LNAV, ['-V']);
  const goaccessVersion = version(GOACCESS, ['--version']);
  console.log(`Parse benchmark per log family: ${fmt(FILE_BYTES / MB)} MB files, ${RUNS} run${RUNS === 1 ? '' : 's'} each; Node ${process.version}, ${cpus().length} CPUs; ${lnavVersion ?? 'no lnav'}; ${goaccessVersion ?? 'no goaccess'}`);
  const { runner, support } = await bundle();
  if (lnavVersion !== null) {
    const warm = join(tmp, 'warm.log');
    writeFileSync(warm, 'Mar 12 08:00:01 maas-region-01 CRON[1]: (root) CMD (true)\n');
    timed(LNAV, ['-n', '-c', ';SELECT count(*) FROM all_logs', warm]);
  }
  const results = {};
  for (const family of support.FAMILIES) {
    const file = join(tmp, `${family}.log`);
    const path = support.FAMILY_PATHS[family];
    const t = Date.now();
    const written = await writeFamily(support, family, file);
    console.log(`\n${family}: ${path}, ${fmt(written.bytes / MB, 1)} MB, ${fmt(written.lines)} lines (generated in ${fmt((Date.now() - t) / 1000, 1)} s)`);
    const runs = [];
    for (let run = 0; run < RUNS; run++) {
      await waitForQuiet();
      const parse = runLoupe(runner, 'parse', file, path);
      const encode = runLoupe(runner, 'encode', file, path);
      const lnav = lnavVersion !== null ? runLnav(file) : undefined;
      const goaccess = family === 'web' && goaccessVersion !== null ? runGoaccess(file) : undefined;
      runs.push({ parse, encode, lnav, goaccess });
      const rate = (ms) => `${fmt(written.bytes / MB / (ms / 1000), 1)} MB/s`;
      console.log(
        `  run ${run + 1}: loupe parse ${rate(parse.ms)}, parse + encode ${rate(encode.ms)}` +
        (lnav !== undefined ? `; lnav ${rate(lnav.ms)} (${fmt(lnav.lines)} lines)` : '') +
        (goaccess !== undefined ? `; goaccess ${rate(goaccess.ms)} (${fmt(goaccess.valid)} valid, ${fmt(goaccess.failed)} failed)` : '') +
        `; other processes ${Math.max(parse.otherCores, encode.otherCores).toFixed(2)} cores`,
      );
      for (const [mode, r] of [['parse', parse], ['parse + encode', encode]]) {
        check(`${family} run ${run + 1} ${mode}: every line read`, r.lines === written.lines && r.bytes === written.bytes, `${r.lines} of ${written.lines} lines, ${r.bytes} of ${written.bytes} bytes`);
        check(`${family} run ${run + 1} ${mode}: no line unparsed, lines = parsed + continued`, r.unparsed === 0 && r.parsed + r.continued === r.lines, `${r.parsed} parsed, ${r.continued} continued, ${r.unparsed} unparsed`);
        check(`${family} run ${run + 1} ${mode}: events of ${support.FAMILY_DATASETS[family]}`, (r.datasets[support.FAMILY_DATASETS[family]] ?? 0) > r.parsed / 4, JSON.stringify(r.datasets));
      }
      if (lnav !== undefined) check(`${family} run ${run + 1}: lnav counts every line`, lnav.lines === written.lines || lnav.lines === encode.parsed, `${lnav.lines} vs ${written.lines} lines`);
      if (goaccess !== undefined) check(`${family} run ${run + 1}: goaccess reads every request`, goaccess.valid === written.lines, `${goaccess.valid} valid of ${written.lines}`);
    }
    results[family] = { path, file: written, runs };
    rmSync(file, { force: true });
  }

  // Summary
  const rows = [];
  const row = (family, what, values, digits, note = '') => rows.push([family, what, fmt(median(values), digits), fmt(Math.min(...values), digits), fmt(Math.max(...values), digits), note]);
  for (const [family, r] of Object.entries(results)) {
    const bytes = r.file.bytes / MB;
    const mbps = (ms) => bytes / (ms / 1000);
    row(family, 'loupe parse, MB/s', r.runs.map((x) => mbps(x.parse.ms)), 1, 'FileIngestor: split, sniff, parse, events');
    row(family, 'loupe parse, lines/s', r.runs.map((x) => (r.file.lines / x.parse.ms) * 1000), 0);
    row(family, 'loupe parse + encode, MB/s', r.runs.map((x) => mbps(x.encode.ms)), 1, 'ingestEvidence: + duplicate index, blocks (no store)');
    row(family, 'loupe parse + encode, lines/s', r.runs.map((x) => (r.file.lines / x.encode.ms) * 1000), 0);
    if (r.runs[0].lnav !== undefined) {
      row(family, 'lnav, MB/s', r.runs.map((x) => mbps(x.lnav.ms)), 1, 'lnav -n, count(*) FROM all_logs');
      row(family, 'lnav, lines/s', r.runs.map((x) => (r.file.lines / x.lnav.ms) * 1000), 0);
      row(family, 'ratio loupe parse + encode / lnav', r.runs.map((x) => x.lnav.ms / x.encode.ms), 2, 'per run; > 1 = Loupe faster');
    }
    if (r.runs[0].goaccess !== undefined) {
      row(family, 'goaccess, MB/s', r.runs.map((x) => mbps(x.goaccess.ms)), 1, 'goaccess --log-format=COMBINED -o report.json');
      row(family, 'goaccess, lines/s', r.runs.map((x) => (r.file.lines / x.goaccess.ms) * 1000), 0);
      row(family, 'ratio loupe parse + encode / goaccess', r.runs.map((x) => x.goaccess.ms / x.encode.ms), 2, 'per run; > 1 = Loupe faster');
    }
    row(family, 'other processes', r.runs.flatMap((x) => [x.parse.otherCores, x.encode.otherCores]), 2, 'cores used by others meanwhile; > 0.3 = noisy');
  }
  const header = ['family', 'measurement', 'median', 'min', 'max', ''];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((cells) => cells[c].length)));
  const line = (cells) => cells.map((cell, c) => (c >= 2 && c <= 4 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  console.log(`\nSummary: ${fmt(FILE_BYTES / MB)} MB per family, ${RUNS} run${RUNS === 1 ? '' : 's'}: median (min, max)`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const cells of rows) console.log(line(cells));
  const failed = checks.filter((c) => !c.ok);
  console.log(failed.length === 0 ? `\nchecks: all ${checks.length} passed` : `\nchecks: ${failed.length} of ${checks.length} FAILED`);
  if (failed.length > 0) exitCode = 1;
  const out = join(root, 'bench', 'results', quick ? 'families-quick.json' : 'families.json');
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(out, `${JSON.stringify({
    date: new Date().toISOString(), mode: quick ? 'quick' : 'full', durationSeconds: Math.round((Date.now() - started) / 1000),
    machine: { cpus: cpus().length, node: process.version, lnav: lnavVersion, goaccess: goaccessVersion },
    params: { fileBytes: FILE_BYTES, runs: RUNS, seed: SEED }, summary: rows, results, checks,
  }, null, 2)}\n`);
  console.log(`results: ${out.slice(root.length)}`);
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  exitCode = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(exitCode);

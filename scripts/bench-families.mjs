// Issue 4's parse benchmark: single-thread parse rate, in MB/s and lines/s, of each log family on a
// generated file (200 MB each; 20 MB with --quick), beside GoAccess (the Apache access log) and
// lnav on the same files in the same run. lnav runs twice per file: "lnav index" counts the rows
// of all_logs (it reads every line and matches its format's pattern to answer), "lnav fields"
// counts every column of the format's own table (syslog_log, access_log, generic_log), which
// makes it extract each line's header fields; "lnav values" counts log_msg_format of all_logs, which
// makes lnav's data parser read every message body for its values (the key=value pairs of a UFW
// line, the user and address of an sshd line, the tokens of a regiond request) as Loupe's message
// parsers do; not run on the Apache log, whose format has no body. Loupe is reported parse-only and
// parse + encode (blocks), and ratios Loupe / peer per run (> 1 = Loupe faster). On the syslog
// files, the runner also does lnav's index work itself ("lnav's index work in V8": the splitter, then
// lnav's own syslog_log pattern and level patterns on each line, no fields): a yardstick of what the
// index costs in this runtime, against what a parse into ECS fields costs. Where taskset is
// installed, Loupe's parse and lnav's index also run pinned to one CPU ("one CPU"), since neither
// is one thread left to itself: Node has GC and compiler threads, lnav a reader thread.
// `npm run bench -- --families` runs only this part (scripts/bench.mjs calls it after its own parts
// otherwise); `--runs=N` (3), `--max-wait=S` (30), `--mb=N` to change the file size.
// Loupe runs in a fresh Node process per run (bench/families-run.ts), timed inside from opening the
// file to its last event; the peers are timed around spawnSync (their start-up included, lnav warmed
// up once on a tiny file). Prints per-run figures, then medians with min and max, and ratios
// Loupe / peer per run. Writes bench/results/families[-quick].json. Figures, not tests: only counts
// that come out wrong (lines lost, unparsed lines, a peer counting other lines) fail.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  GOACCESS, LNAV, MB, TASKSET, createChecks, fmt, lnavEnv, median, numberArg, otherLoad, printTable, runLnav, runTimed, versionOf, waitForQuiet, warmUpLnav,
} from './bench-common.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const RUNS = Math.max(1, numberArg(argv, 'runs', 3));
const MAX_WAIT_MS = numberArg(argv, 'max-wait', 30) * 1000;
const FILE_BYTES = numberArg(argv, 'mb', quick ? 20 : 200) * 1e6;
const SEED = 11;

const tmp = mkdtempSync(join(tmpdir(), 'loupe-families-'));
const home = join(tmp, 'home');
mkdirSync(home);
const peerEnv = lnavEnv(home);

/** lnav's own table for the format it recognises in each family's file, and every column of it. */
const LNAV_TABLES = {
  firewall: ['syslog_log', ['log_hostname', 'log_procname', 'log_pid', 'log_body']],
  web: ['access_log', ['c_ip', 'cs_method', 'cs_uri_stem', 'cs_uri_query', 'sc_status', 'sc_bytes', 'cs_referer', 'cs_user_agent']],
  maas: ['generic_log', ['log_body']],
  auth: ['syslog_log', ['log_hostname', 'log_procname', 'log_pid', 'log_body']],
  journal: ['syslog_log', ['log_hostname', 'log_procname', 'log_pid', 'log_body']],
};

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

/** The CPU that the one-core runs are pinned to (`taskset`; none where util-linux's taskset is missing). */
const ONE_CPU = existsSync(TASKSET) ? cpus().length - 1 : undefined;

function runLoupe(runner, mode, file, path, cpu) {
  const load = otherLoad();
  const args = [runner, mode, file, path];
  const result = cpu === undefined
    ? spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 })
    : spawnSync(TASKSET, ['-c', String(cpu), process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (result.status !== 0) throw new Error(`loupe ${mode} failed: ${result.stderr}`);
  return { ...JSON.parse(result.stdout.trim().split('\n').at(-1)), otherCores: load.cores() };
}

/** lnav index: the rows of all_logs (whatever format it recognised the file as). */
function runLnavIndex(file, cpu) {
  const r = runLnav(file, ';SELECT count(*) AS lines FROM all_logs', peerEnv, cpu);
  return { ms: r.ms, lines: r.numbers[0], otherCores: r.otherCores };
}

/** lnav fields: every column of the format's table counted, so each line's fields are extracted. */
function runLnavFields(family, file) {
  const [table, columns] = LNAV_TABLES[family];
  const r = runLnav(file, `;SELECT count(*), ${columns.map((c) => `count(${c})`).join(', ')} FROM ${table}`, peerEnv);
  return { ms: r.ms, lines: r.numbers[0], table, otherCores: r.otherCores };
}

/** Syslog files, for which the runner can do lnav's own index work in V8 (its syslog_log pattern). */
const LNAV_SYSLOG_FAMILIES = new Set(['firewall', 'auth', 'journal']);

/** Families whose lines have a message body that lnav's data parser reads (Apache's access_log has none). */
const LNAV_VALUES = new Set(['firewall', 'maas', 'auth', 'journal']);

/** lnav values: log_msg_format of every row, so lnav's data parser finds the values in each message. */
function runLnavValues(file) {
  const r = runLnav(file, ';SELECT count(*), count(log_msg_format) FROM all_logs', peerEnv);
  return { ms: r.ms, lines: r.numbers[0], formats: r.numbers[1], otherCores: r.otherCores };
}

/** GoAccess parses the whole log into its report (JSON, to a file). */
function runGoaccess(file) {
  const output = join(tmp, 'goaccess.json');
  const r = runTimed(GOACCESS, [file, '--log-format=COMBINED', '--no-global-config', '-o', output], peerEnv);
  const general = JSON.parse(readFileSync(output, 'utf8')).general;
  rmSync(output, { force: true });
  return { ms: r.ms, lines: general.total_requests, valid: general.valid_requests, failed: general.failed_requests, otherCores: r.otherCores };
}

const checks = createChecks();
const check = checks.check;

let exitCode = 0;
const started = Date.now();
try {
  const lnavVersion = versionOf(LNAV, ['-V']) ?? null;
  const goaccessVersion = versionOf(GOACCESS, ['--version']) ?? null;
  console.log(`Parse benchmark per log family: ${fmt(FILE_BYTES / MB)} MB files, ${RUNS} run${RUNS === 1 ? '' : 's'} each; Node ${process.version}, ${cpus().length} CPUs; ${lnavVersion ?? 'no lnav'}; ${goaccessVersion ?? 'no goaccess'}`);
  const { runner, support } = await bundle();
  if (lnavVersion !== null) warmUpLnav(tmp, peerEnv);
  const results = {};
  for (const family of support.FAMILIES) {
    const file = join(tmp, `${family}.log`);
    const path = support.FAMILY_PATHS[family];
    const t = Date.now();
    const written = await writeFamily(support, family, file);
    console.log(`\n${family}: ${path}, ${fmt(written.bytes / MB, 1)} MB, ${fmt(written.lines)} lines (generated in ${fmt((Date.now() - t) / 1000, 1)} s)`);
    const runs = [];
    for (let run = 0; run < RUNS; run++) {
      await waitForQuiet(MAX_WAIT_MS);
      const parse = runLoupe(runner, 'parse', file, path);
      const encode = runLoupe(runner, 'encode', file, path);
      const lnav = lnavVersion !== null ? runLnavIndex(file) : undefined;
      const lnavFields = lnavVersion !== null ? runLnavFields(family, file) : undefined;
      const lnavValues = lnavVersion !== null && LNAV_VALUES.has(family) ? runLnavValues(file) : undefined;
      const goaccess = family === 'web' && goaccessVersion !== null ? runGoaccess(file) : undefined;
      const indexWork = LNAV_SYSLOG_FAMILIES.has(family) ? runLoupe(runner, 'lnav-index', file, path) : undefined;
      // Both on one CPU: Node's GC and compiler threads and lnav's reader thread then share the core
      // with the parser, which is what "single-thread" asks of the comparison.
      const oneCore = ONE_CPU !== undefined && lnavVersion !== null
        ? { parse: runLoupe(runner, 'parse', file, path, ONE_CPU), lnav: runLnavIndex(file, ONE_CPU) }
        : undefined;
      runs.push({ parse, encode, lnav, lnavFields, lnavValues, goaccess, indexWork, oneCore });
      const rate = (ms) => `${fmt(written.bytes / MB / (ms / 1000), 1)} MB/s`;
      console.log(
        `  run ${run + 1}: loupe parse ${rate(parse.ms)}, parse + encode ${rate(encode.ms)}` +
        (lnav !== undefined ? `; lnav index ${rate(lnav.ms)} (${fmt(lnav.lines)} lines), fields ${rate(lnavFields.ms)} (${fmt(lnavFields.lines)} rows of ${lnavFields.table})` : '') +
        (lnavValues !== undefined ? `, values ${rate(lnavValues.ms)}` : '') +
        (goaccess !== undefined ? `; goaccess ${rate(goaccess.ms)} (${fmt(goaccess.valid)} valid, ${fmt(goaccess.failed)} failed)` : '') +
        (indexWork !== undefined ? `; lnav's index work in V8 ${rate(indexWork.ms)}` : '') +
        (oneCore !== undefined ? `; on CPU ${ONE_CPU} alone: loupe parse ${rate(oneCore.parse.ms)}, lnav index ${rate(oneCore.lnav.ms)}` : '') +
        `; other processes ${Math.max(parse.otherCores, encode.otherCores).toFixed(2)} cores`,
      );
      for (const [mode, r] of [['parse', parse], ['parse + encode', encode], ...(oneCore !== undefined ? [['parse on one CPU', oneCore.parse]] : [])]) {
        check(`${family} run ${run + 1} ${mode}: every line read`, r.lines === written.lines && r.bytes === written.bytes, `${r.lines} of ${written.lines} lines, ${r.bytes} of ${written.bytes} bytes`);
        check(`${family} run ${run + 1} ${mode}: no line unparsed, lines = parsed + continued`, r.unparsed === 0 && r.parsed + r.continued === r.lines, `${r.parsed} parsed, ${r.continued} continued, ${r.unparsed} unparsed`);
        check(`${family} run ${run + 1} ${mode}: events of ${support.FAMILY_DATASETS[family]}`, (r.datasets[support.FAMILY_DATASETS[family]] ?? 0) > r.parsed / 4, JSON.stringify(r.datasets));
      }
      if (lnav !== undefined) {
        check(`${family} run ${run + 1}: lnav counts every line`, lnav.lines === written.lines || lnav.lines === encode.parsed, `${lnav.lines} vs ${written.lines} lines`);
        if (oneCore !== undefined) check(`${family} run ${run + 1}: lnav on one CPU counts the same lines`, oneCore.lnav.lines === lnav.lines, `${oneCore.lnav.lines} vs ${lnav.lines}`);
        check(`${family} run ${run + 1}: lnav's ${lnavFields.table} holds every event`, lnavFields.lines === lnav.lines, `${lnavFields.lines} vs ${lnav.lines}`);
      }
      if (lnavValues !== undefined) {
        check(`${family} run ${run + 1}: lnav's data parser reads every row`, lnavValues.lines === lnav.lines && lnavValues.formats === lnav.lines, `${lnavValues.formats} formats of ${lnavValues.lines} rows, ${lnav.lines} lines`);
      }
      if (indexWork !== undefined) {
        check(`${family} run ${run + 1}: lnav's syslog pattern in V8 matches every line`, indexWork.bytes === written.bytes && indexWork.matched >= written.lines - 1, `${indexWork.matched} of ${written.lines} lines`);
      }
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
      row(family, 'lnav index, MB/s', r.runs.map((x) => mbps(x.lnav.ms)), 1, 'lnav -n, count(*) FROM all_logs');
      row(family, 'lnav index, lines/s', r.runs.map((x) => (r.file.lines / x.lnav.ms) * 1000), 0);
      row(family, 'lnav fields, MB/s', r.runs.map((x) => mbps(x.lnavFields.ms)), 1, `lnav -n, count() of every column of ${r.runs[0].lnavFields.table}`);
      row(family, 'ratio loupe parse / lnav index', r.runs.map((x) => x.lnav.ms / x.parse.ms), 2, 'per run; > 1 = Loupe faster');
      row(family, 'ratio loupe parse + encode / lnav index', r.runs.map((x) => x.lnav.ms / x.encode.ms), 2, 'per run; > 1 = Loupe faster');
      row(family, 'ratio loupe parse / lnav fields', r.runs.map((x) => x.lnavFields.ms / x.parse.ms), 2, 'per run; > 1 = Loupe faster');
      row(family, 'ratio loupe parse + encode / lnav fields', r.runs.map((x) => x.lnavFields.ms / x.encode.ms), 2, 'per run; > 1 = Loupe faster');
    }
    if (r.runs[0].lnavValues !== undefined) {
      row(family, 'lnav values, MB/s', r.runs.map((x) => mbps(x.lnavValues.ms)), 1, 'lnav -n, count(log_msg_format) FROM all_logs: its data parser on every message');
      row(family, 'ratio loupe parse / lnav values', r.runs.map((x) => x.lnavValues.ms / x.parse.ms), 2, 'per run; > 1 = Loupe faster');
      row(family, 'ratio loupe parse + encode / lnav values', r.runs.map((x) => x.lnavValues.ms / x.encode.ms), 2, 'per run; > 1 = Loupe faster');
    }
    if (r.runs[0].indexWork !== undefined) {
      row(family, "lnav's index work in V8, MB/s", r.runs.map((x) => mbps(x.indexWork.ms)), 1, 'split, then lnav\'s syslog_log and level patterns on each line, no fields');
      if (r.runs[0].lnav !== undefined) row(family, "ratio lnav index / its work in V8", r.runs.map((x) => x.lnav.ms / x.indexWork.ms), 2, 'per run; > 1 = V8 does that work faster than lnav');
    }
    if (r.runs[0].oneCore !== undefined) {
      row(family, 'one CPU: loupe parse, MB/s', r.runs.map((x) => mbps(x.oneCore.parse.ms)), 1, `taskset -c ${ONE_CPU}: every thread of the process on that CPU`);
      row(family, 'one CPU: lnav index, MB/s', r.runs.map((x) => mbps(x.oneCore.lnav.ms)), 1, `taskset -c ${ONE_CPU}, count(*) FROM all_logs`);
      row(family, 'ratio on one CPU: loupe parse / lnav index', r.runs.map((x) => x.oneCore.lnav.ms / x.oneCore.parse.ms), 2, 'per run; > 1 = Loupe faster');
    }
    if (r.runs[0].goaccess !== undefined) {
      row(family, 'goaccess, MB/s', r.runs.map((x) => mbps(x.goaccess.ms)), 1, 'goaccess --log-format=COMBINED -o report.json');
      row(family, 'goaccess, lines/s', r.runs.map((x) => (r.file.lines / x.goaccess.ms) * 1000), 0);
      row(family, 'ratio loupe parse / goaccess', r.runs.map((x) => x.goaccess.ms / x.parse.ms), 2, 'per run; > 1 = Loupe faster');
      row(family, 'ratio loupe parse + encode / goaccess', r.runs.map((x) => x.goaccess.ms / x.encode.ms), 2, 'per run; > 1 = Loupe faster');
    }
    row(family, 'other processes', r.runs.flatMap((x) => [x.parse.otherCores, x.encode.otherCores]), 2, 'cores used by others meanwhile; > 0.3 = noisy');
  }
  console.log(`\nSummary: ${fmt(FILE_BYTES / MB)} MB per family, ${RUNS} run${RUNS === 1 ? '' : 's'}: median (min, max)`);
  printTable(['family', 'measurement', 'median', 'min', 'max', ''], rows, [2, 3, 4]);
  if (!checks.report()) exitCode = 1;
  const out = join(root, 'bench', 'results', quick ? 'families-quick.json' : 'families.json');
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(out, `${JSON.stringify({
    date: new Date().toISOString(), mode: quick ? 'quick' : 'full', durationSeconds: Math.round((Date.now() - started) / 1000),
    machine: { cpus: cpus().length, node: process.version, lnav: lnavVersion, goaccess: goaccessVersion },
    params: { fileBytes: FILE_BYTES, runs: RUNS, seed: SEED, lnavTables: LNAV_TABLES, oneCpu: ONE_CPU ?? null }, summary: rows, results, checks: checks.list,
  }, null, 2)}\n`);
  console.log(`results: ${out.slice(root.length)}`);
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  exitCode = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(exitCode);

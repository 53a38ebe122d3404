// Issue 5/7's detection benchmark (`node scripts/bench.mjs --only=detect`, `--quick`, `--runs=N`):
// (a) the whole built-in pack over ~1,000,000 generated events (firewall, web, MAAS, auth files,
//     parsed into blocks first; timed: time order + decode + rules, as the detect worker runs);
// (b) the sshd brute-force rule file (assets/rules/lnx_ssh_failed_logins.yml) over a generated
//     200,000-line auth.log beside `fail2ban-regex` with fail2ban's stock sshd filter, same file, same
//     run: matched-line counts printed and compared (a mismatch fails), time ratio; Loupe both through
//     blocks (parse + encode + time order + decode + rules, as the app stores a case) and streamed
//     (parse + rules, as `loupe analyze --findings` reads one log; its findings must equal);
// (c) the rule lab (RuleLabService, fake-indexeddb in Node) at the (a) case: first test and keystrokes.
// Loupe runs in a fresh Node process per run (bench/detect-run.ts); fail2ban-regex is timed around
// spawnSync (its start-up included). Medians over the runs. Writes bench/results/detect[-quick].json.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FAIL2BAN = '/usr/bin/fail2ban-regex';
const FILTER = '/etc/fail2ban/filter.d/sshd.conf';
const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : String(n));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** fail2ban-regex's matched-line count ("Failregex: N total") and wall time. */
function fail2ban(file) {
  const started = performance.now();
  const r = spawnSync(FAIL2BAN, ['--print-no-missed', '--print-no-ignored', file, FILTER], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = performance.now() - started;
  // Failures as fail2ban counts them ("Lines: ... N matched"); its "Failregex: N total" also counts the
  // NOFAIL helper matches (Connection closed, Received disconnect, PAM lines), which are not failures.
  const m = /^Lines: .*?(\d+) matched/m.exec(r.stdout ?? "");
  if (m === null) throw new Error(`fail2ban-regex gave no count: ${r.stderr}\n${(r.stdout ?? '').slice(0, 2000)}`);
  return { ms, matched: Number(m[1]) };
}

export async function runDetectBench({ root, quick, runs }) {
  const tmp = mkdtempSync(join(tmpdir(), 'loupe-detect-'));
  try {
    const out = join(tmp, 'node');
    mkdirSync(out);
    await build({
      absWorkingDir: root, entryPoints: { 'detect-run': 'bench/detect-run.ts' }, outdir: out, outExtension: { '.js': '.mjs' }, bundle: true, format: 'esm',
      platform: 'node', target: 'node20', logLevel: 'warning',
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    const runner = join(out, 'detect-run.mjs');
    const packEvents = quick ? 100_000 : 1_000_000;
    const lines = quick ? 20_000 : 200_000;
    const node = (args) => {
      const r = spawnSync(process.execPath, ['--max-old-space-size=8192', runner, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
      if (r.status !== 0) throw new Error(`detect-run ${args[0]} failed: ${r.stderr}`);
      return r.stdout;
    };
    node(['generate', tmp, String(packEvents), String(lines)]);
    const results = [];
    let failed = 0;
    for (let run = 0; run < runs; run++) {
      const loupe = JSON.parse(node(['run', tmp, root]).trim().split('\n').pop());
      const peer = fail2ban(join(tmp, 'auth.log'));
      const same = peer.matched === loupe.sshd.matched;
      // The streamed run (one log, as the command line reads it) must find what the stored run finds.
      const streamSame = loupe.sshd.streamFindings === loupe.sshd.findings && loupe.sshd.streamInOrder;
      if (!same || !streamSame) failed++;
      const r = { ...loupe, fail2ban: peer, ratio: peer.ms / loupe.sshd.totalMs, ratioRulesOnly: peer.ms / loupe.sshd.detectMs, ratioStreamed: peer.ms / loupe.sshd.streamMs };
      results.push(r);
      const p = r.pack;
      console.log(`run ${run + 1}: (a) pack: ${fmt(p.events)} events, ${p.rules} rules, ${fmt(p.ms)} ms -> ${fmt((p.events / p.ms) * 1000)} events/s (decode alone ${fmt(p.decodeMs)} ms), ${p.findings} findings`);
      console.log(`       (b) sshd: ${fmt(r.sshd.lines)} lines; matched lines loupe ${fmt(r.sshd.matched)} vs fail2ban-regex ${fmt(peer.matched)} ${same ? '(same)' : '(DIFFERENT)'}; loupe ${fmt(r.sshd.totalMs)} ms from bytes (rules alone ${fmt(r.sshd.detectMs)} ms), fail2ban-regex ${fmt(peer.ms)} ms -> ${r.ratio.toFixed(1)}x (rules alone ${r.ratioRulesOnly.toFixed(0)}x); ${r.sshd.findings} brute-force findings`);
      console.log(`           streamed as \`loupe analyze --findings\` reads one log (parse + rules, no blocks): ${fmt(r.sshd.streamMs)} ms -> ${r.ratioStreamed.toFixed(1)}x; ${r.sshd.streamFindings} findings ${streamSame ? '(same)' : '(DIFFERENT)'}`);
      const w = r.lab.warm.map((x) => `${fmt(x.firstMs)}/${fmt(x.ms)}`);
      console.log(`       (c) lab: first test: first matches ${fmt(r.lab.cold.firstMs)} ms, full ${fmt(r.lab.cold.ms)} ms (${fmt(r.lab.cold.scanned)} of ${fmt(r.lab.cold.total)} events read, ${fmt(r.lab.cold.hits)} hits); keystrokes first/full ${w.join(', ')} ms`);
    }
    const summary = {
      packEventsPerSecond: median(results.map((r) => (r.pack.events / r.pack.ms) * 1000)),
      packMs: median(results.map((r) => r.pack.ms)),
      sshdLoupeMs: median(results.map((r) => r.sshd.totalMs)),
      sshdRulesMs: median(results.map((r) => r.sshd.detectMs)),
      fail2banMs: median(results.map((r) => r.fail2ban.ms)),
      ratio: median(results.map((r) => r.ratio)),
      sshdStreamedMs: median(results.map((r) => r.sshd.streamMs)),
      ratioStreamed: median(results.map((r) => r.ratioStreamed)),
      labFirstTestMs: median(results.map((r) => r.lab.cold.ms)),
      labFirstTestFirstMatchesMs: median(results.map((r) => r.lab.cold.firstMs)),
      labKeystrokeFirstMatchesMs: median(results.flatMap((r) => r.lab.warm.map((x) => x.firstMs))),
      labKeystrokeMs: median(results.flatMap((r) => r.lab.warm.map((x) => x.ms))),
    };
    console.log('\nmedians over runs:');
    console.log(`  (a) whole pack: ${fmt(summary.packEventsPerSecond)} events/s (${fmt(summary.packMs)} ms for ${fmt(results[0].pack.events)} events)`);
    console.log(`  (b) sshd rule: loupe ${fmt(summary.sshdLoupeMs)} ms (rules alone ${fmt(summary.sshdRulesMs)}), fail2ban-regex ${fmt(summary.fail2banMs)} ms: ${summary.ratio.toFixed(1)}x faster through blocks (as the app stores them); counts ${failed === 0 ? 'equal in every run' : `DIFFERENT in ${failed} run(s)`}`);
    console.log(`      streamed (loupe analyze --findings over one log): ${fmt(summary.sshdStreamedMs)} ms: ${summary.ratioStreamed.toFixed(1)}x faster than fail2ban-regex (goal >= 10x)`);
    console.log(`  (c) rule lab: first test: first matches ${fmt(summary.labFirstTestFirstMatchesMs)} ms, full ${fmt(summary.labFirstTestMs)} ms; keystroke: first matches ${fmt(summary.labKeystrokeFirstMatchesMs)} ms, full ${fmt(summary.labKeystrokeMs)} ms (goals < 500 ms / < 3 s)`);
    const file = join(root, 'bench', 'results', quick ? 'detect-quick.json' : 'detect.json');
    writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), packEvents, lines, summary, results }, null, 1)}\n`);
    console.log(`\nwrote ${file}`);
    return failed === 0 ? 0 : 1;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

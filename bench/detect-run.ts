/**
 * One timed detection run in a process of its own (bench/detect.mjs spawns it once per run):
 *   node detect-run.mjs generate <dir> <packEvents> <authLines>   writes the files once
 *   node detect-run.mjs run <dir> <root>                           one run of the three parts
 * Parts: (a) the whole built-in pack over the generated case (parsed into blocks beforehand, then
 * decoded event by event in time order as the detect worker does, and evaluated); (b) the sshd
 * brute-force rule file over the generated auth.log, from the file's bytes (parse + encode +
 * decode + rules), rules alone, and streamed as the command line runs one log (parse + rules,
 * no blocks); (c) the rule lab (RuleLabService over fake-indexeddb) at the
 * same case: a first test (columns read from the store) and then keystrokes (columns cached).
 * Prints one JSON line. Single thread.
 */
import 'fake-indexeddb/auto';
import { createReadStream, createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { DetectionRun, StreamDetection, loadPack, timeOrder, type TextFile } from '../src/core/detect';
import { HashedDuplicateIndex } from '../src/core/ingest/duplicates';
import { ingestEvidence } from '../src/core/ingest/evidence-ingest';
import { decodeEvent, decodeEventFields, splitEventId, type EventBlock } from '../src/core/model/block';
import { compileRules, fieldsRead, loadRules } from '../src/core/rules';
import { readBuiltinPack } from '../src/node/rules/pack';
import { LoupeDB, addEvidence, createCase, writeBlocks } from '../src/store';
import { RuleLabService } from '../src/workers/rule-lab-service';
import { FAMILY_PATHS, generateFamilyText, type Family } from './families';

const SEED = 23;
/** The year the generated files are written in (bench/generate.ts BENCH_START), plus a day. */
const REFERENCE_TIME = Date.UTC(2026, 2, 13);
const PACK_FAMILIES: readonly Family[] = ['firewall', 'web', 'maas', 'auth'];
const SSHD_RULE = 'assets/rules/lnx_ssh_failed_logins.yml';

async function writeText(file: string, parts: Iterable<string>): Promise<void> {
  const out = createWriteStream(file);
  for (const chunk of parts) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** `family`'s text with about `events` events: the byte target from a 1 MB sample's bytes per event. */
function familyText(family: Family, events: number): Generator<string> {
  const sample = { bytes: 0, lines: 0, events: 0 };
  const sizing = generateFamilyText(family, SEED, 1e6, sample);
  while (sizing.next().done !== true) { /* sizes only */ }
  return generateFamilyText(family, SEED, Math.round((sample.bytes / sample.events) * events), { bytes: 0, lines: 0, events: 0 });
}

/**
 * The first `lines` lines of the generated auth.log (one day's worth of bytes, cut), each sshd line
 * given a pid of its own: the generator draws pids at random, and fail2ban ties lines of one pid
 * into one session (a PAM line after a failure of the same pid counts as a failure), which real
 * sshd pids, one per connection, do not do at random.
 */
function* authLines(lines: number): Generator<string> {
  let left = lines;
  let pid = 1000;
  for (const text of generateFamilyText('auth', SEED + 1, lines * 140, { bytes: 0, lines: 0, events: 0 })) {
    const chunk = text.replace(/ sshd\[\d+\]:/g, () => ` sshd[${pid++}]:`);
    const parts = chunk.split('\n');
    if (parts[parts.length - 1] === '') parts.pop();
    if (parts.length >= left) {
      yield `${parts.slice(0, left).join('\n')}\n`;
      return;
    }
    left -= parts.length;
    yield `${parts.join('\n')}\n`;
  }
}

async function* chunks(file: string): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) yield chunk as Uint8Array;
}

async function ingest(files: readonly { file: string; path: string }[]): Promise<EventBlock[]> {
  const blocks: EventBlock[] = [];
  let blockId = 0;
  const duplicates = new HashedDuplicateIndex();
  for (const [i, f] of files.entries()) {
    await ingestEvidence(chunks(f.file), { path: f.path, referenceTime: REFERENCE_TIME, fileId: i + 1, duplicates }, { nextBlockId: () => blockId++, writeBlock: (b) => { blocks.push(b); } });
  }
  return blocks;
}

/**
 * Detection as the detect worker runs it: time order from the blocks, each event a rule can match
 * (the column pre-selection) decoded and pushed, the others counted.
 */
function detectBlocks(blocks: readonly EventBlock[], rules: ReturnType<typeof compileRules>): { ms: number; events: number; findings: number; decodeMs: number } {
  const byId = new Map(blocks.map((b) => [b.blockId, b]));
  const started = performance.now();
  const order = timeOrder(blocks);
  const run = new DetectionRun(rules);
  // As DetectService: only the columns the rules read.
  const needs = fieldsRead(rules.rules.map((r) => r.document));
  const fields = needs.all ? null : needs.fields;
  run.pushEvents(order, 0, order.length, (blockId) => byId.get(blockId), fields, needs.raw);
  const findings = run.finish().length;
  const ms = performance.now() - started;
  // The same order, every event decoded, without the rules: what reading alone cost before the pre-selection.
  const decodeStarted = performance.now();
  let sink = 0;
  for (let i = 0; i < order.length; i++) {
    const [blockId, index] = splitEventId(order[i]!);
    sink += decodeEventFields(byId.get(blockId)!, index, fields, needs.raw).line;
  }
  const decodeMs = performance.now() - decodeStarted;
  if (sink < 0) throw new Error('unreachable');
  return { ms, events: order.length, findings, decodeMs };
}

async function lab(blocks: readonly EventBlock[], rule: TextFile, library: readonly string[]) {
  const db = new LoupeDB(`bench-lab-${process.pid}`);
  const caseId = (await createCase(db, 'bench')).id;
  const fileIds = new Map<number, number>();
  for (const b of blocks) {
    if (!fileIds.has(b.fileId)) fileIds.set(b.fileId, await addEvidence(db, { caseId, path: `f${b.fileId}`, bytes: 1, sha256: 'x', format: 'x', host: 'h', lines: 0, parsed: 0, continued: 0, unparsed: 0, tsMin: 0, tsMax: 0, datasets: {}, errors: [], status: 'done', addedAt: 0 }));
  }
  for (let i = 0; i < blocks.length; i += 8) await writeBlocks(db, caseId, blocks.slice(i, i + 8).map((b) => ({ ...b, fileId: fileIds.get(b.fileId)! })));
  const service = new RuleLabService(() => db);
  const timed = async (yaml: string) => {
    const started = performance.now();
    // The first matches arrive through onFirst while the scan goes on (or with the result).
    let firstMs: number | undefined;
    const result = await service.test({ caseId, yaml, library }, () => { firstMs ??= performance.now() - started; });
    const ms = performance.now() - started;
    return { ms, firstMs: firstMs ?? ms, hits: result.hits, status: result.status, scanned: result.scanned, total: result.total };
  };
  const cold = await timed(rule.text);
  // Keystrokes: the threshold edited, as the e2e does (columns now cached).
  const warm = [];
  for (const gte of [6, 500, 5]) warm.push(await timed(rule.text.replace('gte: 5', `gte: ${gte}`)));
  db.close();
  await LoupeDB.delete(db.name);
  return { cold, warm };
}

async function main(): Promise<void> {
  const [mode = 'run', dir = '.', ...rest] = process.argv.slice(2);
  if (mode === 'generate') {
    const packEvents = Number(rest[0] ?? 1_000_000);
    const lines = Number(rest[1] ?? 200_000);
    for (const family of PACK_FAMILIES) await writeText(join(dir, `${family}.log`), familyText(family, Math.round(packEvents / PACK_FAMILIES.length)));
    await writeText(join(dir, 'auth.log'), authLines(lines));
    writeFileSync(join(dir, 'generated.json'), JSON.stringify({ packEvents, lines }));
    return;
  }
  const root = rest[0] ?? process.cwd();
  const pack = readBuiltinPack(join(root, 'assets'));
  const loaded = loadPack(pack.rules, pack.data);
  const all = compileRules(loaded.documents, { placeholders: loaded.placeholders });
  const sshdText = readFileSync(join(root, SSHD_RULE), 'utf8');
  const sshdFile = { path: SSHD_RULE, text: sshdText };

  // (a) the whole pack over the generated case.
  const packBlocks = await ingest(PACK_FAMILIES.map((f) => ({ file: join(dir, `${f}.log`), path: FAMILY_PATHS[f] })));
  const a = detectBlocks(packBlocks, all);

  // (b) the sshd rule file over auth.log: from the bytes, and rules alone.
  const sshdDocs = loadRules(sshdText, { file: SSHD_RULE }).documents;
  const sshdRules = compileRules(sshdDocs);
  // Matched lines, as fail2ban-regex counts them: the base rule run on its own (it then gives findings).
  const base = compileRules(sshdDocs.filter((d) => d.kind === 'rule'));
  const started = performance.now();
  const authBlocks = await ingest([{ file: join(dir, 'auth.log'), path: 'var/log/auth.log' }]);
  const parsedMs = performance.now() - started;
  const b = detectBlocks(authBlocks, sshdRules);
  const totalMs = performance.now() - started;
  let matched = 0;
  const run = new DetectionRun(base);
  for (const block of authBlocks) for (let i = 0; i < block.count; i++) run.push(decodeEvent(block, i));
  for (const f of run.finish()) matched += f.count;
  const lines = authBlocks.reduce((n, blk) => n + blk.lineCounts.reduce((s, c) => s + c, 0), 0);
  // The same from bytes as `loupe analyze --findings` runs it over one log: events into the
  // rules as they are parsed, no blocks (src/core/detect/stream.ts).
  const streamStarted = performance.now();
  const streamed = new StreamDetection(sshdRules);
  let streamBlockId = 0;
  await ingestEvidence(chunks(join(dir, 'auth.log')), { path: 'var/log/auth.log', referenceTime: REFERENCE_TIME, fileId: 1, duplicates: new HashedDuplicateIndex() }, {
    nextBlockId: () => streamBlockId++,
    event: (event, id) => streamed.push(event, id, 1),
  });
  const streamFindings = streamed.finish();
  const streamMs = performance.now() - streamStarted;

  // (c) the rule lab at the pack's case.
  const c = await lab(packBlocks, sshdFile, pack.rules.map((r) => r.text));

  process.stdout.write(`${JSON.stringify({
    pack: { events: a.events, ms: a.ms, decodeMs: a.decodeMs, findings: a.findings, rules: all.rules.length, errors: all.errors.length },
    sshd: { lines, events: b.events, matched, findings: b.findings, totalMs, parseMs: parsedMs, detectMs: b.ms, streamMs, streamFindings: streamFindings.length, streamInOrder: streamed.inTimeOrder },
    lab: c,
  })}\n`);
}

await main();

import { DetectionRun, loadPack, ruleFileKey, timeOrder, type TextFile } from '../core/detect';
import { splitEventId, type EventBlock } from '../core/model/block';
import { compileRules, fieldsRead, formatDiagnostic } from '../core/rules';
import { findingRecord, listRuleRecords, loadBlockIndex, loadBlocks, loadBlocksWithFields, mergeRuleLibrary, replaceFindings, type LoupeDB } from '../store';
import type { DetectApi, DetectResult } from './contract';

/** Events decoded per step; the blocks they need are read together. */
const STEP = 32_768;
/** Blocks kept between steps: files are each in time order, so few blocks are live at a time. */
const BLOCK_CACHE_SIZE = 192;

export type PackSource = () => { readonly rules: readonly TextFile[]; readonly data: readonly TextFile[] };

/**
 * The rule files a case runs, as the Rules view lists them (mergeRuleLibrary): a built-in edited in
 * the case runs as edited, one disabled in the case does not run, the case's own enabled rules run.
 */
export async function caseRuleFiles(db: LoupeDB, caseId: string, builtin: readonly TextFile[]): Promise<TextFile[]> {
  const builtins = builtin.map((f) => ({ id: ruleFileKey(f.text) ?? f.path, path: f.path, yaml: f.text }));
  const library = mergeRuleLibrary(builtins, await listRuleRecords(db, caseId));
  return library.filter((r) => r.enabled).map((r) => ({
    path: r.origin === 'builtin' ? r.path ?? r.id : r.origin === 'builtin-edited' ? `${r.path ?? r.id} (edited in this case)` : `case rule ${r.id}`,
    text: r.yaml,
  }));
}

/**
 * Detection over a case: the built-in pack merged with the case's rules (caseRuleFiles), over every
 * stored event oldest first (ordered from the block index, blocks read as the order reaches
 * them), the findings written to db.findings in place of the previous run's.
 */
export class DetectService implements DetectApi {
  constructor(private readonly db: () => LoupeDB, private readonly pack: PackSource, private readonly now: () => number = () => performance.now()) {}

  async run(caseId: string): Promise<DetectResult> {
    const started = this.now();
    const db = this.db();
    const builtin = this.pack();
    const loaded = loadPack(await caseRuleFiles(db, caseId, builtin.rules), [...builtin.data]);
    const ruleSet = compileRules(loaded.documents, { placeholders: loaded.placeholders });
    const problems = [...loaded.errors, ...ruleSet.errors].filter((d) => d.severity === 'error').map(formatDiagnostic);

    const index = await loadBlockIndex(db, caseId);
    const indexById = new Map(index.map((row) => [row.blockId, row]));
    const order = timeOrder(index);
    const cache = new Map<number, EventBlock>();
    const run = new DetectionRun(ruleSet);
    // Only the columns the rules (and meta-filters) read are decoded; all when a rule searches keywords.
    const needs = fieldsRead(loaded.documents);
    const fields = needs.all ? null : needs.fields;
    for (let at = 0; at < order.length; at += STEP) {
      const end = Math.min(order.length, at + STEP);
      const missing = new Set<number>();
      for (let i = at; i < end; i++) {
        const blockId = splitEventId(order[i]!)[0];
        if (!cache.has(blockId)) missing.add(blockId);
      }
      const ids = [...missing];
      // Only the columns the rules read (and raw lines where they search them or a column points into them).
      const blocks = fields === null ? await loadBlocks(db, caseId, ids) : await loadBlocksWithFields(db, caseId, ids.map((id) => indexById.get(id)!), fields, needs.raw);
      blocks.forEach((b, i) => {
        if (b !== undefined) cache.set(ids[i]!, b);
      });
      // A block removed since the index was read (a cancelled file) is skipped. Only events a rule
      // can match are decoded (the column pre-selection); the others are counted.
      run.pushEvents(order, at, end, (blockId) => cache.get(blockId), fields, needs.raw);
      // Least recently loaded first out, keeping what this step used most recently.
      while (cache.size > BLOCK_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    const findings = run.finish();
    await replaceFindings(db, caseId, findings.map((f) => findingRecord(caseId, f)));
    return {
      caseId,
      events: run.events,
      rules: ruleSet.rules.filter((r) => r.generates).length,
      findings: findings.length,
      problems,
      elapsedMs: this.now() - started,
    };
  }
}

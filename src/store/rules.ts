import type { LoupeDB } from './db';
import type { FindingRecord, RuleRecord, RuleVersionRecord } from './records';

/**
 * The rules of a case: the built-in pack (read-only text the caller passes in) merged with the
 * case's records (RuleRecord: edited copies of built-ins, enable overrides, the case's own
 * rules). Every save keeps the text it replaces as a RuleVersionRecord.
 */

/** A rule of the built-in pack, as the app ships it. */
export interface BuiltinRule {
  /** The rule's key (Sigma id, else name, else title). */
  readonly id: string;
  /** Where it lives in the pack, e.g. `web/web_404_burst.yml`. */
  readonly path: string;
  readonly yaml: string;
}

export type RuleOrigin = 'builtin' | 'builtin-edited' | 'case';

/** One rule as the case runs it. */
export interface LibraryRule {
  readonly id: string;
  readonly origin: RuleOrigin;
  /** The text the case runs: the pack's, or the case's copy. */
  readonly yaml: string;
  readonly enabled: boolean;
  /** The pack's text of a built-in (edited or not). */
  readonly builtinYaml?: string;
  readonly path?: string;
  readonly updatedAt?: number;
}

/** Built-ins first (pack order), then the case's own rules by id. */
export function mergeRuleLibrary(builtins: readonly BuiltinRule[], records: readonly RuleRecord[]): LibraryRule[] {
  const byId = new Map(records.map((r) => [r.id, r]));
  const out: LibraryRule[] = builtins.map((b) => {
    const record = byId.get(b.id);
    const edited = record !== undefined && record.yaml !== '';
    return {
      id: b.id,
      origin: edited ? 'builtin-edited' : 'builtin',
      yaml: edited ? record.yaml : b.yaml,
      enabled: record?.enabled ?? true,
      builtinYaml: b.yaml,
      path: b.path,
      ...(record !== undefined ? { updatedAt: record.updatedAt } : {}),
    };
  });
  const builtinIds = new Set(builtins.map((b) => b.id));
  const own = records.filter((r) => !builtinIds.has(r.id) && r.yaml !== '').sort((a, b) => a.id.localeCompare(b.id));
  for (const r of own) out.push({ id: r.id, origin: 'case', yaml: r.yaml, enabled: r.enabled, updatedAt: r.updatedAt });
  return out;
}

export async function listRuleRecords(db: LoupeDB, caseId: string): Promise<RuleRecord[]> {
  return db.rules.where('caseId').equals(caseId).toArray();
}

export interface RuleSave {
  readonly id: string;
  readonly yaml: string;
  /** The rule is a built-in: its copy is kept in the case, the pack is untouched. */
  readonly builtin: boolean;
  /** The pack's text, kept as the first version when a built-in is edited for the first time. */
  readonly builtinYaml?: string;
}

/** Saves a rule's text in the case, keeping the text it replaces (if any, and if different). */
export async function saveRule(db: LoupeDB, caseId: string, save: RuleSave, now = Date.now()): Promise<void> {
  await db.transaction('rw', [db.rules, db.ruleVersions], async () => {
    const current = await db.rules.get([caseId, save.id]);
    const previous = current !== undefined && current.yaml !== '' ? current.yaml : save.builtinYaml;
    if (previous !== undefined && previous !== save.yaml) {
      await db.ruleVersions.add({ caseId, ruleId: save.id, yaml: previous, replacedAt: now });
    }
    await db.rules.put({ caseId, id: save.id, yaml: save.yaml, enabled: current?.enabled ?? true, builtin: save.builtin, updatedAt: now });
  });
}

/** Turns a rule on or off in this case; a built-in gets an override record (its text stays the pack's). */
export async function setRuleEnabled(db: LoupeDB, caseId: string, id: string, enabled: boolean, builtin: boolean, now = Date.now()): Promise<void> {
  await db.transaction('rw', db.rules, async () => {
    const current = await db.rules.get([caseId, id]);
    if (current !== undefined) await db.rules.update([caseId, id], { enabled, updatedAt: now });
    else await db.rules.put({ caseId, id, yaml: '', enabled, builtin, updatedAt: now });
  });
}

/** Versions a rule's saves replaced, newest first. */
export async function listRuleVersions(db: LoupeDB, caseId: string, ruleId: string): Promise<RuleVersionRecord[]> {
  const rows = await db.ruleVersions.where('[caseId+ruleId]').equals([caseId, ruleId]).toArray();
  return rows.sort((a, b) => b.replacedAt - a.replacedAt || (b.id ?? 0) - (a.id ?? 0));
}

/** Makes an earlier version current again; the text it replaces becomes a version too. */
export async function revertRule(db: LoupeDB, caseId: string, ruleId: string, versionId: number, builtin: boolean, now = Date.now()): Promise<string> {
  const version = await db.ruleVersions.get(versionId);
  if (version === undefined || version.caseId !== caseId || version.ruleId !== ruleId) throw new Error(`no version ${versionId} of rule ${ruleId}`);
  await saveRule(db, caseId, { id: ruleId, yaml: version.yaml, builtin }, now);
  return version.yaml;
}

/** Replaces the findings of these rules (one re-run) in one transaction. */
export async function replaceRuleFindings(db: LoupeDB, caseId: string, ruleIds: readonly string[], findings: readonly Omit<FindingRecord, 'id'>[]): Promise<void> {
  await db.transaction('rw', db.findings, async () => {
    for (const ruleId of new Set(ruleIds)) await db.findings.where('[caseId+ruleId]').equals([caseId, ruleId]).delete();
    if (findings.length > 0) await db.findings.bulkAdd(findings.map((f) => ({ ...f })));
  });
}

export interface RuleHits {
  /** Findings of the rule in the case. */
  readonly findings: number;
  /** Events those findings link to (counted once each). */
  readonly events: number;
}

/** Findings and linked events per rule id, for the rules list. */
export async function ruleHits(db: LoupeDB, caseId: string): Promise<Map<string, RuleHits>> {
  const events = new Map<string, Set<number>>();
  const findings = new Map<string, number>();
  await db.findings.where('caseId').equals(caseId).each((f) => {
    findings.set(f.ruleId, (findings.get(f.ruleId) ?? 0) + 1);
    let ids = events.get(f.ruleId);
    if (ids === undefined) events.set(f.ruleId, (ids = new Set()));
    for (const id of f.eventIds) ids.add(id);
  });
  return new Map([...findings].map(([id, n]) => [id, { findings: n, events: events.get(id)?.size ?? 0 }]));
}

import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  LoupeDB,
  createCase,
  deleteCase,
  listRuleRecords,
  listRuleVersions,
  mergeRuleLibrary,
  replaceRuleFindings,
  revertRule,
  ruleHits,
  saveRule,
  setRuleEnabled,
  type BuiltinRule,
} from '../../../src/store';

let db: LoupeDB | undefined;
let n = 0;
afterEach(async () => { if (db === undefined) return; db.close(); await LoupeDB.delete(db.name); db = undefined; });

async function setup() {
  const opened = new LoupeDB(`rules-${n++}`);
  db = opened;
  return { db: opened, caseId: (await createCase(opened, 'c')).id };
}

const pack: BuiltinRule[] = [
  { id: 'b1', path: 'web/b1.yml', yaml: 'title: B1\n' },
  { id: 'b2', path: 'web/b2.yml', yaml: 'title: B2\n' },
];

describe('the rules of a case', () => {
  it('merges the pack with the case: an enable override keeps the pack text, an edit replaces it, own rules follow', async () => {
    const { db, caseId } = await setup();
    await setRuleEnabled(db, caseId, 'b2', false, true, 1);
    await saveRule(db, caseId, { id: 'b1', yaml: 'title: B1 edited\n', builtin: true, builtinYaml: pack[0]!.yaml }, 2);
    await saveRule(db, caseId, { id: 'own', yaml: 'title: Own\n', builtin: false }, 3);
    const library = mergeRuleLibrary(pack, await listRuleRecords(db, caseId));
    expect(library.map((r) => [r.id, r.origin, r.enabled, r.yaml])).toEqual([
      ['b1', 'builtin-edited', true, 'title: B1 edited\n'],
      ['b2', 'builtin', false, 'title: B2\n'],
      ['own', 'case', true, 'title: Own\n'],
    ]);
    expect(library[0]!.builtinYaml).toBe('title: B1\n');
    // Enabling again keeps the edited copy.
    await setRuleEnabled(db, caseId, 'b1', false, true, 4);
    expect((await db.rules.get([caseId, 'b1']))).toMatchObject({ yaml: 'title: B1 edited\n', enabled: false, builtin: true, updatedAt: 4 });
  });

  it('keeps every replaced text as a version (the pack text first), newest first, and reverts to one', async () => {
    const { db, caseId } = await setup();
    await saveRule(db, caseId, { id: 'b1', yaml: 'v1', builtin: true, builtinYaml: 'pack' }, 10);
    await saveRule(db, caseId, { id: 'b1', yaml: 'v2', builtin: true, builtinYaml: 'pack' }, 20);
    await saveRule(db, caseId, { id: 'b1', yaml: 'v2', builtin: true, builtinYaml: 'pack' }, 25);
    const versions = await listRuleVersions(db, caseId, 'b1');
    expect(versions.map((v) => [v.yaml, v.replacedAt])).toEqual([['v1', 20], ['pack', 10]]);
    expect(await revertRule(db, caseId, 'b1', versions[1]!.id!, true, 30)).toBe('pack');
    expect((await db.rules.get([caseId, 'b1']))?.yaml).toBe('pack');
    expect((await listRuleVersions(db, caseId, 'b1')).map((v) => v.yaml)).toEqual(['v2', 'v1', 'pack']);
    await expect(revertRule(db, caseId, 'other', versions[0]!.id!, false)).rejects.toThrow('no version');
  });

  it('replaces a rule\'s findings, counts hits per rule, and deleting the case removes rules and versions', async () => {
    const { db, caseId } = await setup();
    const finding = (ruleId: string, eventIds: number[]) => ({ caseId, ruleId, title: ruleId, level: 'high', first: 1, last: 2, count: eventIds.length, entities: {}, eventIds });
    await replaceRuleFindings(db, caseId, ['r1', 'r2'], [finding('r1', [1, 2]), finding('r1', [2, 3]), finding('r2', [9])]);
    expect(Object.fromEntries(await ruleHits(db, caseId))).toEqual({ r1: { findings: 2, events: 3 }, r2: { findings: 1, events: 1 } });
    await replaceRuleFindings(db, caseId, ['r1'], [finding('r1', [7])]);
    expect(Object.fromEntries(await ruleHits(db, caseId))).toEqual({ r1: { findings: 1, events: 1 }, r2: { findings: 1, events: 1 } });
    await replaceRuleFindings(db, caseId, ['r2'], []);
    expect([...(await ruleHits(db, caseId)).keys()]).toEqual(['r1']);
    await saveRule(db, caseId, { id: 'own', yaml: 'a', builtin: false });
    await saveRule(db, caseId, { id: 'own', yaml: 'b', builtin: false });
    await deleteCase(db, caseId);
    expect(await db.rules.count()).toBe(0);
    expect(await db.ruleVersions.count()).toBe(0);
    expect(await db.findings.count()).toBe(0);
  });
});

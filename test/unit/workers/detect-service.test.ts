import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeBlock, type PendingEvent } from '../../../src/core/model/block';
import { LoupeDB, addEvidence, createCase, listFindings, saveRule, setRuleEnabled, writeBlocks } from '../../../src/store';
import { DetectService, caseRuleFiles } from '../../../src/workers/detect-service';

let db: LoupeDB | undefined;
let n = 0;
afterEach(async () => { if (db === undefined) return; db.close(); await LoupeDB.delete(db.name); db = undefined; });

const rule = (id: string, status: number) => `title: Status ${status}
id: ${id}
status: test
author: Pack Author
logsource: {category: webserver}
detection:
  sel:
    sc-status: ${status}
  condition: sel
level: low
`;

function web(i: number): PendingEvent {
  const status = i % 2 === 0 ? 404 : 200;
  return { timestamp: 1000 + i, line: i + 1, lineCount: 1, offset: i * 40, raw: `GET / ${status}`, fields: { 'event.dataset': 'apache.access', 'host.name': 'web', 'source.ip': '192.0.2.1', 'http.response.status_code': status } };
}

async function setup() {
  const opened = new LoupeDB(`detect-service-${n++}`);
  db = opened;
  const caseId = (await createCase(opened, 'c')).id;
  const fileId = await addEvidence(opened, { caseId, path: 'access.log', bytes: 1, sha256: 'ab', format: 'x', host: 'web', lines: 0, parsed: 0, continued: 0, unparsed: 0, tsMin: 0, tsMax: 0, datasets: {}, errors: [], status: 'done', addedAt: 0 });
  await writeBlocks(opened, caseId, [encodeBlock(0, fileId, Array.from({ length: 10 }, (_, i) => web(i)))]);
  return { db: opened, caseId };
}

const PACK = [{ path: 'assets/rules/a.yml', text: rule('pack-a', 404) }, { path: 'assets/rules/b.yml', text: rule('pack-b', 200) }];

describe('DetectService runs the case\'s rules as the Rules view lists them', () => {
  it('a built-in edited in the case runs as edited; one disabled in the case does not run', async () => {
    const { db, caseId } = await setup();
    const detect = new DetectService(() => db, () => ({ rules: PACK, data: [] }));
    await detect.run(caseId);
    expect((await listFindings(db, caseId)).map((f) => [f.ruleId, f.count, f.authors])).toEqual([['pack-a', 5, ['Pack Author']], ['pack-b', 5, ['Pack Author']]].sort());
    // Edit pack-a (its copy matches nothing now), disable pack-b, add a case rule.
    await saveRule(db, caseId, { id: 'pack-a', yaml: rule('pack-a', 500), builtin: true, builtinYaml: PACK[0]!.text });
    await setRuleEnabled(db, caseId, 'pack-b', false, true);
    await saveRule(db, caseId, { id: 'own', yaml: rule('own', 200), builtin: false });
    const files = await caseRuleFiles(db, caseId, PACK);
    expect(files.map((f) => f.path)).toEqual(['assets/rules/a.yml (edited in this case)', 'case rule own']);
    await detect.run(caseId);
    expect((await listFindings(db, caseId)).map((f) => [f.ruleId, f.count])).toEqual([['own', 5]]);
  });
});

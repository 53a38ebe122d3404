import { describe, expect, it } from 'vitest';
import { corpusPath, hasCorpus } from '../corpus';
import { readFileSync } from 'node:fs';
import { fileRules, findingsOf, ingestText } from './helpers';

/** `maas $PROFILE events query level=AUDIT` output (the shape of the corpus file), with these descriptions. */
function auditOutput(events: readonly { description: string; type: string; username?: string }[]): string {
  const rows = events.map((e, i) => ({
    username: e.username ?? 'admin', node: null, hostname: null, id: 20000 + i, level: 'AUDIT',
    created: `Thu, 12 Mar. 2026 10:${String(10 + i).padStart(2, '0')}:00`, type: e.type, description: e.description,
  }));
  return `Machine-readable output follows:\n${JSON.stringify({ count: rows.length, events: rows, next_uri: '', prev_uri: '' }, null, 4)}\n`;
}

const audit = (events: Parameters<typeof auditOutput>[0]) => ingestText('maas-events-audit.json', auditOutput(events));

describe('MAAS audit rules', () => {
  const cases: [file: string, fires: string[], quiet: string[]][] = [
    ['maas_audit_tokens.yml', ['Created token.', 'Deleted token.'], ['Logged in admin.', 'Imported SSH keys.']],
    ['maas_audit_keys.yml', ['Imported SSH keys.', 'Deleted SSH key id=4.', 'Created SSH key.', 'Created SSL key.'], ['Created token.', "Started deploying 'w4'."]],
    ['maas_audit_config_changes.yml', ["Updated configuration setting 'http_proxy' to ''.", "Deleted DHCP snippet 'pxe-override'.", "Updated package repository 'ppa'."], ["Saved script 'fio'.", "Acquired 'w4'."]],
    ['maas_audit_script_changes.yml', ["Reverted script 'smartctl-validate' to revision '2'.", "Saved script 'fio'.", "Deleted script 'memtester'."], ["Added tag 'x' to script 'fio'.", "Updated configuration setting 'maas_name' to 'neuromancer'."]],
    ['maas_audit_user_changes.yml', ["Created user 'eve'.", "Deleted admin 'bob'."], ['Logged in admin.', 'Created token.']],
  ];
  for (const [file, fires, quiet] of cases) {
    it(`${file}: fires on ${fires.length} audit events and stays quiet on the others`, async () => {
      const rules = fileRules(file);
      const found = findingsOf(rules, await audit([...fires, ...quiet].map((description) => ({ description, type: 'Settings' }))));
      expect(found.reduce((n, f) => n + f.count, 0)).toBe(fires.length);
      expect(found.every((f) => f.entities['user.name'] === 'admin')).toBe(true);
      expect(findingsOf(rules, await audit(quiet.map((description) => ({ description, type: 'Node' }))))).toEqual([]);
    });
  }

  it.skipIf(!hasCorpus)("finds the four configuration changes of the MAAS docs' audit output, and nothing else there", async () => {
    const events = await ingestText('maas-events-audit.json', readFileSync(corpusPath('maas/maas/docs-events-query-level-AUDIT.cli-output.txt'), 'utf8'));
    expect(events.length).toBe(14);
    const config = findingsOf(fileRules('maas_audit_config_changes.yml'), events);
    expect(config.map((f) => f.count)).toEqual([4]);
    for (const file of ['maas_audit_tokens.yml', 'maas_audit_keys.yml', 'maas_audit_script_changes.yml', 'maas_audit_user_changes.yml']) {
      expect(findingsOf(fileRules(file), events), file).toEqual([]);
    }
  });
});

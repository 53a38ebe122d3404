import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUDIT_TEMPLATES, matchAuditDescription } from '../../../../src/core/formats/maas-audit-templates';
import { maasAuditFormat, parseMaasCreated, parseMaasEventLine, parseMaasEventsDocument } from '../../../../src/core/formats/maas-audit';
import { sniffFormat } from '../../../../src/core/formats/registry';
import { FileIngestor, MAX_DOCUMENT_CHARS } from '../../../../src/core/ingest/file-ingestor';
import type { PendingEvent } from '../../../../src/core/model/block';
import { CORPUS_MISSING, corpusLines, corpusPath, hasCorpus } from '../../corpus';

function ingest(path: string, text: string | Uint8Array) {
  const events: PendingEvent[] = [];
  const ingestor = new FileIngestor({ path, referenceTime: Date.UTC(2026, 0, 1) }, (e) => events.push(e));
  ingestor.push(typeof text === 'string' ? new TextEncoder().encode(text) : text);
  return { events, report: ingestor.end() };
}

const EVENT = (id: number, description: string, extra = '') =>
  `{\n  "username": "admin",\n  "node": null,\n  "hostname": "unknown",\n  "id": ${id},\n  "level": "AUDIT",\n  "created": "Tue, 03 May. 2022 08:09:10",${extra}\n  "type": "Settings",\n  "description": ${JSON.stringify(description)}\n}`;

describe('MAAS events query output', () => {
  it('reads `created` as UTC (the zone is not written), every month with its dot', () => {
    expect(parseMaasCreated('Mon, 25 Apr. 2022 21:51:23')).toBe(Date.UTC(2022, 3, 25, 21, 51, 23));
    expect(parseMaasCreated('Sun, 01 May. 2022 00:00:00')).toBe(Date.UTC(2022, 4, 1));
    expect(parseMaasCreated('Fri, 07 Dec 2018 20:11:08')).toBe(Date.UTC(2018, 11, 7, 20, 11, 8));
    expect(parseMaasCreated('Thu, 29 Sep. 2022 20:00:16')).toBe(Date.UTC(2022, 8, 29, 20, 0, 16));
    expect(parseMaasCreated('Thu, 29 Sept. 2022 20:00:16')).toBe(Date.UTC(2022, 8, 29, 20, 0, 16));
    expect(parseMaasCreated('Thu, 29 Foo. 2022 20:00:16')).toBeNaN();
    expect(parseMaasCreated('yesterday')).toBeNaN();
  });

  it('maps every documented description template to an action and its entity fields', () => {
    const cases: [string, string, Record<string, string>?][] = [
      ['Created token.', 'token-created'],
      ['Deleted token.', 'token-deleted'],
      ['Modified consumer name of token.', 'token-updated'],
      ["Created user 'bob'.", 'user-created', { 'maas.audit.user': 'bob', 'maas.audit.role': 'user' }],
      ["Created admin 'root2'.", 'user-created', { 'maas.audit.user': 'root2', 'maas.audit.role': 'admin' }],
      ["Deleted admin 'eve'.", 'user-deleted', { 'maas.audit.user': 'eve' }],
      ['Updated user profile (username: bob, full name: Bob B, email: b@x, administrator: True)', 'user-updated', { 'maas.audit.user': 'bob', 'maas.audit.email': 'b@x', 'maas.audit.admin': 'True' }],
      ['Logged in user.', 'user-logged-in', { 'maas.audit.role': 'user' }],
      ['Logged out admin.', 'user-logged-out', { 'maas.audit.role': 'admin' }],
      ["User 'bob' logged in.", 'user-logged-in', { 'maas.audit.user': 'bob' }],
      ['Created API (OAuth) token.', 'token-created'],
      ['Retrieved API (OAuth) token.', 'token-retrieved'],
      ['Imported SSH keys.', 'ssh-keys-imported'],
      ["Deleted SSH key id='4'.", 'ssh-key-deleted', { 'maas.audit.key_id': '4' }],
      ['Deleted SSH key id=id.', 'ssh-key-deleted', { 'maas.audit.key_id': 'id' }],
      ['Created SSH key.', 'ssh-key-created'],
      ['Created SSH key for bob.', 'ssh-key-created', { 'maas.audit.user': 'bob' }],
      ['Created SSL key.', 'ssl-key-created'],
      ["Deleted SSL key id='2'.", 'ssl-key-deleted', { 'maas.audit.key_id': '2' }],
      ['Created bcache.', 'bcache-created'],
      ['Deleted bcache.', 'bcache-deleted'],
      ['Updated bcache.', 'bcache-updated'],
      ['Created bcache cache set.', 'bcache-cache-set-created'],
      ['Deleted bcache cache set.', 'bcache-cache-set-deleted'],
      ['Updated bcache cache set.', 'bcache-cache-set-updated'],
      ["Deleted the 'machine' 'fun-zebra'.", 'node-deleted', { 'maas.audit.node_type': 'machine', 'maas.audit.hostname': 'fun-zebra' }],
      ["Set the zone to 'z1' on 'h'.", 'node-zone-set', { 'maas.audit.zone': 'z1' }],
      ["Set the resource pool to 'p1' on 'h'.", 'node-pool-set', { 'maas.audit.pool': 'p1' }],
      ["Started testing on 'h'.", 'node-tested'],
      ["Powered on 'h'.", 'node-powered-on'],
      ["Powered off 'h'.", 'node-powered-off'],
      ["Marked 'h' broken.", 'node-marked-broken'],
      ["Marked 'h' fixed.", 'node-marked-fixed'],
      ["Locked 'h'.", 'node-locked'],
      ["Unlocked 'h'.", 'node-unlocked'],
      ["Overrode failed testing on 'h'.", 'node-failed-testing-overridden'],
      ["Started rescue mode on 'h'.", 'node-rescue-mode-entered'],
      ["Exited rescue mode on 'h'.", 'node-rescue-mode-exited'],
      ["Tagging 'h'.", 'node-tagged'],
      ["Updated configuration setting 'http_proxy' to 'http://p:3128/'.", 'config-setting-updated', { 'maas.config.name': 'http_proxy', 'maas.config.value': 'http://p:3128/' }],
      ['Updated configuration setting key.', 'config-setting-updated', { 'maas.config.name': 'key' }],
      ['Updated TLS configuration settings', 'tls-config-updated'],
      ["Saved script 'smartctl'.", 'script-saved', { 'maas.audit.script': 'smartctl' }],
      ['Saved script script.name.', 'script-saved', { 'maas.audit.script': 'script.name' }],
      ["Deleted script 'x'.", 'script-deleted', { 'maas.audit.script': 'x' }],
      ["Reverted script 'x' to revision '3'.", 'script-reverted', { 'maas.audit.script': 'x', 'maas.audit.revision': '3' }],
      ["Added tag 'gpu' to script 'x'.", 'script-tag-added', { 'maas.audit.tag': 'gpu', 'maas.audit.script': 'x' }],
      ['Removed tag tag from script script.name.', 'script-tag-removed', { 'maas.audit.tag': 'tag', 'maas.audit.script': 'script.name' }],
      ["Created DHCP snippet 's1'.", 'dhcp-snippet-created', { 'maas.audit.dhcp_snippet': 's1' }],
      ["Updated DHCP snippet 's1'.", 'dhcp-snippet-updated'],
      ['Deleted DHCP snippet dhcp_snippet.name.', 'dhcp-snippet-deleted', { 'maas.audit.dhcp_snippet': 'dhcp_snippet.name' }],
      ["Reverted DHCP snippet 's1' to revision '2'.", 'dhcp-snippet-reverted', { 'maas.audit.revision': '2' }],
      ["Created package repository 'ppa'.", 'package-repository-created', { 'maas.audit.package_repository': 'ppa' }],
      ["Updated package repository 'ppa'.", 'package-repository-updated'],
      ['Deleted package repository package_repository.name.', 'package-repository-deleted'],
      ["Tag 'gpu' created.", 'tag-created', { 'maas.audit.tag': 'gpu' }],
      ['Tag tag.name deleted.', 'tag-deleted', { 'maas.audit.tag': 'tag.name' }],
      ["Tag 'gpu' updated.", 'tag-updated'],
      ["Tag 'gpu' renamed to 'nvidia'.", 'tag-renamed', { 'maas.audit.tag': 'gpu', 'maas.audit.tag_new': 'nvidia' }],
      ["Started commissioning on 'h'.", 'node-commissioned', { 'maas.audit.hostname': 'h' }],
      ["Aborted 'deploying' on 'h'.", 'node-aborted', { 'maas.audit.status': 'deploying', 'maas.audit.hostname': 'h' }],
      ["Acquired 'h'.", 'node-acquired'],
      ["Started deploying 'h'.", 'node-deployed', { 'maas.audit.hostname': 'h' }],
      ["Started releasing 'h'.", 'node-released'],
      ["Deleted user 'bob'.", 'user-deleted', { 'maas.audit.role': 'user', 'maas.audit.user': 'bob' }],
      ["User 'bob' logged out.", 'user-logged-out', { 'maas.audit.user': 'bob' }],
      ["Created token for 'bob'.", 'token-created', { 'maas.audit.user': 'bob' }],
      ["Deleted token for 'bob'.", 'token-deleted', { 'maas.audit.user': 'bob' }],
      ['Imported SSH keys for bob.', 'ssh-keys-imported', { 'maas.audit.user': 'bob' }],
      ['Deleted SSH key.', 'ssh-key-deleted'],
      ['Deleted SSL key.', 'ssl-key-deleted'],
      ["Removed tag 'gpu' from script 'x'.", 'script-tag-removed', { 'maas.audit.tag': 'gpu' }],
    ];
    const used = new Set<number>();
    for (const [text, action, fields] of cases) {
      const m = matchAuditDescription(text);
      expect(m?.action, text).toBe(action);
      if (fields !== undefined) expect(m?.fields, text).toMatchObject(fields);
      used.add(AUDIT_TEMPLATES.findIndex((t) => t.pattern.test(text)));
    }
    // Every template of the table is exercised by at least one case above.
    expect(AUDIT_TEMPLATES.map((t, i) => (used.has(i) ? '' : t.pattern.source)).filter((x) => x !== '')).toEqual([]);
    expect(matchAuditDescription('Something MAAS never said.')).toBeUndefined();
    expect(matchAuditDescription('')).toBeUndefined();
  });

  it('gives each event object its own line span; the other lines count as continued', () => {
    const text = `Success.\nMachine-readable output follows:\n{\n"count": 2,\n"events": [\n${EVENT(9, 'Logged in admin.')},\n${EVENT(8, "Saved script 'a'.")}\n],\n"next_uri": "/x",\n"prev_uri": "/y"\n}\n`;
    const { events, report } = ingest('events.json', text);
    expect(report).toMatchObject({ format: 'maas-audit', lines: 29, parsed: 2, continued: 27, unparsed: 0, warnings: [] });
    expect(events.map((e) => [e.line, e.lineCount, e.fields['event.action']])).toEqual([[6, 10, 'user-logged-in'], [16, 10, 'script-saved']]);
    expect(events[0]).toMatchObject({
      timestamp: Date.UTC(2022, 4, 3, 8, 9, 10),
      fields: { 'event.dataset': 'maas.audit', 'user.name': 'admin', 'event.category': ['authentication'], 'event.outcome': 'success', 'loupe.time.inferred': ['zone'] },
    });
    expect(events[0]!.fields['maas.node.hostname']).toBeUndefined();
    expect(events[0]!.raw.split('\n')[0]).toBe('{');
    expect(events[0]!.offset).toBe(text.indexOf('{\n  "username"'));
  });

  it('falls back to a category by type when no template matches, and never reads Object.prototype', () => {
    const record = (type: string, description: string) =>
      parseMaasEventLine(JSON.stringify({ username: 'bob', node: null, hostname: 'unknown', id: 1, level: 'AUDIT', created: 'Wed, 04 May. 2022 10:00:00', type, description }));
    expect(record('Authorisation', 'Did something new.')).toMatchObject({ dataset: 'maas.audit', fields: { 'event.category': ['iam'], 'event.kind': 'event' } });
    expect(record('Zones', 'Created zone z.')).toMatchObject({ fields: { 'event.category': ['configuration'] } });
    for (const type of ['constructor', 'toString', '__proto__']) {
      const r = record(type, 'Did something new.');
      expect(r.kind === 'event' && r.fields['event.category'], type).toBeUndefined();
      expect(r.kind === 'event' && r.fields['event.action'], type).toBeUndefined();
    }
    // A non-AUDIT event gets no action even when its text looks like a template.
    expect(parseMaasEventLine(JSON.stringify({ level: 'INFO', created: 'Wed, 04 May. 2022 10:00:00', type: 'Node', description: "Acquired 'h'." }))).toMatchObject({
      dataset: 'maas.event',
      fields: { 'log.level': 'INFO', message: "Acquired 'h'." },
    });
  });

  it('reads a bare array (jq .events) and one-object-per-line output', () => {
    const doc = parseMaasEventsDocument(`[\n${EVENT(1, 'Created token.')}\n]`);
    expect('events' in doc && doc.events.map((e) => [e.line, e.lineCount])).toEqual([[2, 10]]);
    const line = parseMaasEventLine(JSON.stringify({ username: 'bob', node: 'abc123', hostname: 'h1', id: 3, level: 'AUDIT', created: 'Wed, 04 May. 2022 10:00:00', type: 'Node', description: "Acquired 'h1'." }));
    expect(line).toEqual({
      kind: 'event',
      timestamp: Date.UTC(2022, 4, 4, 10),
      dataset: 'maas.audit',
      inferred: ['zone'],
      fields: {
        'user.name': 'bob', 'maas.node.system_id': 'abc123', 'maas.node.hostname': 'h1', 'event.id': '3', 'log.level': 'AUDIT', 'maas.event.type': 'Node',
        message: "Acquired 'h1'.", 'event.kind': 'event', 'event.action': 'node-acquired', 'event.category': ['host'], 'maas.audit.hostname': 'h1',
      },
    });
    expect(parseMaasEventLine('    "count": 14,')).toMatchObject({ kind: 'unparsed' });
  });

  it('falls back to line by line, with a warning, when the document is broken', () => {
    const { report } = ingest('events.json', `{\n"count": 1,\n"events": [\n${EVENT(1, 'Created token.')}\n`);
    expect(report).toMatchObject({ format: 'maas-audit', lines: 13, parsed: 0, unparsed: 13 });
    expect(report.warnings[0]).toMatch(/not read as one maas-audit document/);
    const junk = ingest('events.json', `{"events": [], "count": 0}\nrandom text\n`);
    expect(junk.report).toMatchObject({ parsed: 0, continued: 0, unparsed: 2 });
  });

  it('reads a file over the document limit line by line', () => {
    const big = `{"count": 1, "events": [\n${JSON.stringify({ level: 'AUDIT', created: 'Tue, 03 May. 2022 08:09:10', description: 'Created token.' })},\n${`"${'x'.repeat(60_000)}",\n`.repeat(Math.ceil(MAX_DOCUMENT_CHARS / 60_000))}"y"]}\n`;
    const { report } = ingest('events.json', big);
    expect(report.parsed).toBe(1);
    expect(report.parsed + report.continued + report.unparsed).toBe(report.lines);
    expect(report.warnings.some((w) => /MiB: read line by line/.test(w))).toBe(true);
  });

  it('property: never throws, and lines = parsed + continued + unparsed', () => {
    const piece = fc.oneof(fc.string(), fc.constant('{'), fc.constant('}'), fc.constant('"events": ['), fc.constant('],'), fc.constant(EVENT(1, 'Created token.')), fc.constant('Success.'));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const { report } = ingest('events.json', `{\n"count": 1,\n"events": [\n${pieces.join('\n')}`);
        expect(report.parsed + report.continued + report.unparsed).toBe(report.lines);
      }),
      { numRuns: 200 },
    );
  });
});

describe.skipIf(!hasCorpus)(`MAAS events of the corpus (${hasCorpus ? 'present' : CORPUS_MISSING})`, () => {
  it('reads the 14 AUDIT events of the docs CLI output: users, actions, times', () => {
    const file = 'maas/maas/docs-events-query-level-AUDIT.cli-output.txt';
    expect(sniffFormat({ path: 'events.txt', lines: corpusLines(file).slice(0, 32) }).format?.id).toBe('maas-audit');
    const { events, report } = ingest('events.txt', readFileSync(corpusPath(file)));
    expect(report).toMatchObject({ format: 'maas-audit', lines: 148, parsed: 14, continued: 134, unparsed: 0, datasets: { 'maas.audit': 14 } });
    expect(new Set(events.map((e) => e.fields['user.name']))).toEqual(new Set(['admin']));
    expect(events.map((e) => [new Date(e.timestamp).toISOString().slice(0, 19), e.fields['event.id'], e.fields['event.action']])).toEqual([
      ['2022-04-25T21:51:23', '12729', 'node-deployed'],
      ['2022-04-25T21:51:18', '12725', 'node-acquired'],
      ['2022-04-25T21:44:51', '12502', 'node-aborted'],
      ['2022-04-25T21:41:52', '12497', 'node-commissioned'],
      ['2022-04-25T21:41:18', '12493', 'node-released'],
      ['2022-04-25T21:40:42', '12486', 'node-acquired'],
      ['2022-04-25T21:40:34', '12479', 'node-released'],
      ['2022-04-21T19:36:48', '134', 'node-deployed'],
      ['2022-04-21T19:36:21', '130', 'node-acquired'],
      ['2022-04-21T19:21:46', '18', 'config-setting-updated'],
      ['2022-04-21T19:20:49', '14', 'config-setting-updated'],
      ['2022-04-21T19:20:49', '13', 'config-setting-updated'],
      ['2022-04-21T19:20:47', '12', 'config-setting-updated'],
      ['2022-04-21T19:20:24', '11', 'user-logged-in'],
    ]);
    expect(events[0]).toMatchObject({ line: 5, lineCount: 10, fields: { 'maas.node.system_id': 'e86c7h', 'maas.node.hostname': 'valued-moth', 'maas.event.type': 'Node', 'log.level': 'AUDIT', message: "Started deploying 'valued-moth'." } });
    expect(events[2]!.fields).toMatchObject({ 'maas.audit.status': 'commissioning' });
    expect(events.slice(9, 13).map((e) => [e.fields['maas.config.name'], e.fields['maas.config.value'], e.fields['event.category']])).toEqual([
      ['completed_intro', 'True', ['configuration']],
      ['upstream_dns', '8.8.8.8', ['configuration']],
      ['maas_name', 'neuromancer', ['configuration']],
      ['http_proxy', '', ['configuration']],
    ]);
    expect(events.map((e) => e.fields['maas.node.hostname'] ?? '-').join(' ')).toBe(`${'valued-moth '.repeat(9)}- - - - -`);
    expect(events.map((e) => e.fields['maas.node.system_id'] ?? '-').slice(0, 3)).toEqual(['e86c7h', 'e86c7h', '-']);
    expect(events.map((e) => e.line)).toEqual([5, 15, 25, 35, 45, 55, 65, 75, 85, 95, 105, 115, 125, 135]);
    expect(events.every((e) => e.lineCount === 10 && e.fields['loupe.time.inferred']?.toString() === 'zone')).toBe(true);
    expect(events[13]!.fields).toMatchObject({ 'event.category': ['authentication'], 'event.outcome': 'success', 'maas.audit.role': 'admin' });
  });

  it('reads the API doc example under its `events-query` key; non-AUDIT events are maas.event', () => {
    const { events, report } = ingest('maas-src-api-examples-events.json', readFileSync(corpusPath('maas/maas/maas-src-api-examples-events.json')));
    expect(report).toMatchObject({ format: 'maas-audit', lines: 59, parsed: 5, continued: 54, unparsed: 0, datasets: { 'maas.event': 5 } });
    expect(events[0]).toMatchObject({ line: 5, lineCount: 10, timestamp: Date.UTC(2018, 11, 7, 20, 11, 8), fields: { 'log.level': 'WARNING', 'maas.event.type': 'Rack import warning', 'maas.node.system_id': '7xtf67', 'event.id': '1667' } });
    expect(events[0]!.fields['user.name']).toBeUndefined();
    expect(maasAuditFormat.sniff({ path: 'x.json', lines: corpusLines('maas/maas/maas-src-api-examples-events.json').slice(0, 32) })).toBeGreaterThan(0.9);
  });
});

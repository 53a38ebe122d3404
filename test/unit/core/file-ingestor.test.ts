import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ingestEvidence } from '../../../src/core/ingest/evidence-ingest';
import { FileIngestor } from '../../../src/core/ingest/file-ingestor';
import { decodeEvent, type EventBlock, type PendingEvent } from '../../../src/core/model/block';
import { readFileSync } from 'node:fs';
import { CORPUS_MISSING, corpusPath, hasCorpus } from '../corpus';

const enc = new TextEncoder();
const REF = Date.UTC(2026, 2, 12, 18);

function ingest(text: string, path = 'var/log/kern.log', host?: string): { events: PendingEvent[]; report: ReturnType<FileIngestor['end']> } {
  const events: PendingEvent[] = [];
  const ingestor = new FileIngestor({ path, referenceTime: REF, ...(host !== undefined ? { host } : {}) }, (e) => events.push(e));
  ingestor.push(enc.encode(text));
  return { events, report: ingestor.end() };
}

const UFW = 'Mar 12 08:00:01 region kernel: [ 12.5] [UFW BLOCK] IN=eth0 OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 SRC=203.0.113.66 DST=10.20.0.2 LEN=44 TOS=0x00 PREC=0x00 TTL=50 ID=1 PROTO=TCP SPT=40000 DPT=22 WINDOW=1024 RES=0x00 SYN URGP=0 ';
const APACHE = '203.0.113.66 - - [12/Mar/2026:08:01:02 +0000] "GET /wp-login.php HTTP/1.1" 404 196 "-" "Nikto/2.5.0"';

describe('FileIngestor', () => {
  it('sniffs syslog and access logs and accounts for every line', () => {
    const kern = ingest(`${UFW}\nMar 12 08:00:02 region kernel: [ 13.0] eth0: link up\ngarbage line\n`);
    expect(kern.report).toMatchObject({ format: 'syslog', lines: 3, parsed: 2, continued: 0, unparsed: 1, hosts: ['region'], datasets: { ufw: 1, kernel: 1, unparsed: 1 } });
    // The unparsed line borrows the time of the event before it.
    expect(kern.events[2]!.timestamp).toBe(kern.events[1]!.timestamp);
    expect(kern.events[2]!.fields['loupe.unparsed']).toBe('no syslog timestamp and host at the start of the line');
    const web = ingest(`${APACHE}\n${APACHE}\n`, 'var/log/apache2/access.log', 'maas-region-01');
    expect(web.report).toMatchObject({ format: 'web-access', lines: 2, parsed: 2, unparsed: 0, datasets: { 'apache.access': 2 } });
    expect(web.events[0]!.fields['host.name']).toBe('maas-region-01');
    expect(web.events[1]!.offset).toBe(APACHE.length + 1);
  });

  it('keeps an unknown format whole, as unparsed lines timed by the file', () => {
    const { events, report } = ingest('just\nsome text\n', 'notes.txt');
    expect(report).toMatchObject({ format: 'unknown', lines: 2, parsed: 0, unparsed: 2 });
    expect(report.warnings[0]).toContain('unknown format');
    expect(events.map((e) => e.timestamp)).toEqual([REF, REF]);
  });

  it('gives leading unparsed lines the time of the first event that follows', () => {
    const { events } = ingest(`-- Logs begin --\n${UFW}\n`);
    expect(events[0]!.timestamp).toBe(events[1]!.timestamp);
    expect(events[0]!.line).toBe(1);
  });

  it('property: lines in = parsed + continued + unparsed, for any mix of lines, and nothing throws', () => {
    const line = fc.oneof(fc.constant(UFW), fc.constant(APACHE), fc.string({ maxLength: 80 }), fc.constant(''), UFW.length > 0 ? fc.nat(UFW.length).map((n) => UFW.slice(0, n)) : fc.constant(''));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 80 }), (lines) => {
        const text = lines.map((l) => l.replace(/[\r\n]/g, ' ')).join('\n');
        const { events, report } = ingest(text);
        // A final newline ends the last line; it does not start another.
        const expectedLines = text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
        expect(report.lines).toBe(expectedLines);
        expect(report.parsed + report.continued + report.unparsed).toBe(report.lines);
        expect(events.length).toBe(report.parsed + report.unparsed);
        expect(events.reduce((n, e) => n + e.lineCount, 0)).toBe(report.lines);
        for (const e of events) expect(Number.isFinite(e.timestamp)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('ingestEvidence', () => {
  it('writes full blocks and a last partial one, with ids, evidence and raw lines intact', async () => {
    const text = Array.from({ length: 250 }, (_, i) => APACHE.replace('/wp-login.php', `/p${i}`)).join('\n');
    const blocks: EventBlock[] = [];
    let nextId = 7;
    async function* chunks() { yield enc.encode(text.slice(0, 1000)); yield enc.encode(text.slice(1000)); }
    const report = await ingestEvidence(chunks(), { path: 'access.log', referenceTime: REF, fileId: 3, blockSize: 100 }, { writeBlock: (b) => { blocks.push(b); }, nextBlockId: () => nextId++ });
    expect(report.parsed).toBe(250);
    expect(blocks.map((b) => [b.blockId, b.count])).toEqual([[7, 100], [8, 100], [9, 50]]);
    const e = decodeEvent(blocks[2]!, 49);
    expect(e.id).toBe(9 * 4096 + 49);
    expect(e.line).toBe(250);
    expect(e.fileId).toBe(3);
    expect(e.raw).toBe(APACHE.replace('/wp-login.php', '/p249'));
    expect(e.fields['url.path']).toBe('/p249');
    expect(e.fields['http.response.status_code']).toBe(404);
  });

  it.skipIf(!hasCorpus)(`conserves lines on a real UFW capture (${hasCorpus ? 'corpus present' : CORPUS_MISSING})`, async () => {
    const bytes = readFileSync(corpusPath('khaefner-cs456-blueteam/ufw.log'));
    let id = 0;
    let stored = 0;
    async function* chunks() { for (let i = 0; i < bytes.length; i += 65536) yield bytes.subarray(i, i + 65536); }
    const report = await ingestEvidence(chunks(), { path: 'ufw.log', referenceTime: REF, fileId: 1 }, { writeBlock: (b) => { stored += b.count; }, nextBlockId: () => id++ });
    expect(report).toMatchObject({ format: 'syslog', lines: 5136, parsed: 5136, continued: 0, unparsed: 0, datasets: { ufw: 5136 } });
    expect(stored).toBe(5136);
  });
});

describe('duplicate kernel lines', () => {
  it('stores a kernel line found in kern.log and syslog once, and lists the other place', async () => {
    const { HashedDuplicateIndex } = await import('../../../src/core/ingest/duplicates');
    const index = new HashedDuplicateIndex();
    const other = 'Mar 12 08:00:03 region sshd[5]: Accepted publickey for ubuntu from 10.0.0.5 port 5 ssh2';
    const stored: number[] = [];
    let nextId = 0;
    const run = async (text: string, fileId: number) => {
      const dups: unknown[] = [];
      async function* chunks() { yield enc.encode(text); }
      const report = await ingestEvidence(chunks(), { path: 'x', referenceTime: REF, fileId, duplicates: index }, {
        nextBlockId: () => nextId++,
        writeBlock: (b) => { for (let i = 0; i < b.count; i++) stored.push(b.blockId * 4096 + i); },
        duplicate: (d) => { dups.push(d); },
      });
      return { report, dups };
    };
    const kern = await run(`${UFW}\n${UFW}\n`, 1);
    // The same line twice in one file is two events: a file may log a packet twice.
    expect(kern.report).toMatchObject({ parsed: 2, duplicates: 0 });
    const syslog = await run(`${other}\n${UFW}\n`, 2);
    expect(syslog.report).toMatchObject({ lines: 2, parsed: 2, duplicates: 1 });
    expect(syslog.dups).toEqual([{ keptId: 0, fileId: 2, line: 2, lineCount: 1, offset: other.length + 1 }]);
    expect(stored).toEqual([0, 1, 4096]);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DocumentEvent, type LogFormat, unparsed } from '../../../../src/core/formats/format';
import { FileIngestor } from '../../../../src/core/ingest/file-ingestor';
import type { PendingEvent } from '../../../../src/core/model/block';

/**
 * The whole-document hook of LogFormat (parseDocument), independent of any real format: a toy
 * format whose events are the spans it is told to return. Whatever the spans, every line is
 * accounted for once: lines = parsed + continued + unparsed.
 */
function toyFormat(spans: (text: string) => readonly DocumentEvent[] | string): LogFormat {
  return {
    id: 'toy-document',
    title: 'toy',
    family: 'audit',
    description: 'test',
    sniff: () => 0,
    createParser: () => ({ parseLine: () => unparsed('line by line') }),
    parseDocument: (text) => {
      const r = spans(text);
      return typeof r === 'string' ? { error: r } : { events: r };
    },
    samples: [],
  };
}

const record = (n: number) => ({ kind: 'event' as const, timestamp: Date.UTC(2022, 0, 1, 0, 0, n), dataset: 'toy', fields: { n } });
const span = (line: number, lineCount: number, n = line): DocumentEvent => ({ line, lineCount, record: record(n) });

function ingest(format: LogFormat, lines: number) {
  const events: PendingEvent[] = [];
  const ingestor = new FileIngestor({ path: 'doc.json', referenceTime: 0, format }, (e) => events.push(e));
  ingestor.push(new TextEncoder().encode(Array.from({ length: lines }, (_, i) => `line ${i + 1}`).join('\n')));
  return { events, report: ingestor.end() };
}

describe('document formats (parseDocument)', () => {
  it('one event per span; lines outside every span count as continued', () => {
    const { events, report } = ingest(toyFormat(() => [span(3, 2), span(7, 3)]), 10);
    expect(report).toMatchObject({ format: 'toy-document', lines: 10, parsed: 2, continued: 8, unparsed: 0 });
    expect(events.map((e) => [e.line, e.lineCount, e.raw])).toEqual([
      [3, 2, 'line 3\nline 4'],
      [7, 3, 'line 7\nline 8\nline 9'],
    ]);
    expect(events[1]!.offset).toBe('line 1\nline 2\nline 3\nline 4\nline 5\nline 6\n'.length);
  });

  it('sorts spans, drops those outside the file or on an already used line, and cuts a span where the next begins', () => {
    const { events, report } = ingest(toyFormat(() => [span(5, 9), span(2, 2), span(3, 1), span(0, 1), span(11, 1), span(8, 1), span(8, 2, 99)]), 10);
    expect(events.map((e) => [e.line, e.lineCount])).toEqual([[2, 1], [3, 1], [5, 3], [8, 1]]);
    expect(report).toMatchObject({ lines: 10, parsed: 4, continued: 6, unparsed: 0 });
  });

  it('a document without events keeps every line as continued; an error reads line by line', () => {
    expect(ingest(toyFormat(() => []), 4).report).toMatchObject({ lines: 4, parsed: 0, continued: 4, unparsed: 0 });
    const failed = ingest(toyFormat(() => 'broken'), 4).report;
    expect(failed).toMatchObject({ lines: 4, parsed: 0, continued: 0, unparsed: 4 });
    expect(failed.warnings[0]).toMatch(/not read as one toy-document document \(broken\)/);
  });

  it('property: whatever spans the format returns, lines = parsed + continued + unparsed and events do not overlap', () => {
    const spanArb = fc.record({ line: fc.oneof(fc.integer({ min: -2, max: 40 }), fc.constant(Number.NaN)), lineCount: fc.oneof(fc.integer({ min: -1, max: 12 }), fc.constant(Number.POSITIVE_INFINITY)) });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.array(spanArb, { maxLength: 12 }), (lines, spans) => {
        const { events, report } = ingest(toyFormat(() => spans.map((s, i) => span(s.line, s.lineCount, i))), lines);
        expect(report.parsed + report.continued + report.unparsed).toBe(report.lines);
        let end = 0;
        for (const e of events) {
          expect(e.line).toBeGreaterThan(end);
          expect(e.lineCount).toBeGreaterThanOrEqual(1);
          end = e.line + e.lineCount - 1;
          expect(end).toBeLessThanOrEqual(report.lines);
        }
      }),
      { numRuns: 300 },
    );
  });
});

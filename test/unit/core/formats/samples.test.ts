import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../../../src/core/formats/registry';

/** lnav's habit: every format carries sample lines with the fields they must give; all must hold. */
describe.each(FORMATS.map((f) => [f.id, f] as const))('format %s', (_id, format) => {
  it('has samples, and each parses to its stated dataset, time and fields', () => {
    expect(format.samples.length).toBeGreaterThan(0);
    for (const sample of format.samples) {
      const result = format.createParser({ path: 'sample.log', referenceTime: Date.UTC(2026, 11, 31) }).parseLine(sample.line);
      expect(result.kind, sample.line).toBe('event');
      if (result.kind !== 'event') continue;
      expect(result.dataset).toBe(sample.dataset);
      if (sample.timestamp !== undefined) expect(new Date(result.timestamp).toISOString()).toBe(sample.timestamp);
      expect(result.fields).toMatchObject(sample.fields);
    }
  });
});

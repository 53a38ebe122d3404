import { describe, expect, it } from 'vitest';
import { decodeEvent, decodeEventFields, encodeBlock, type PendingEvent } from '../../../src/core/model/block';

const events: PendingEvent[] = Array.from({ length: 5 }, (_, i) => ({
  timestamp: 1000 + i, line: i + 1, lineCount: 1, offset: i * 30, raw: `line ${i} from 192.0.2.${i}`,
  fields: { 'event.dataset': 'syslog', 'source.ip': `192.0.2.${i}`, 'source.port': 1000 + i, message: `line ${i}`, ...(i % 2 === 0 ? { 'user.name': 'root' } : {}) },
}));

describe('decodeEventFields', () => {
  const block = encodeBlock(3, 1, events);
  it('decodes only the named fields, the raw line when asked, the evidence always', () => {
    const full = decodeEvent(block, 2);
    const some = decodeEventFields(block, 2, ['source.ip', 'user.name', 'not.there'], false);
    expect(some).toEqual({ ...full, raw: '', fields: { 'source.ip': '192.0.2.2', 'user.name': 'root' } });
    expect(decodeEventFields(block, 1, ['user.name'], true)).toEqual({ ...decodeEvent(block, 1), fields: {} });
  });
  it('with no field list is decodeEvent (raw included or left out)', () => {
    for (let i = 0; i < 5; i++) {
      expect(decodeEventFields(block, i, null, true)).toEqual(decodeEvent(block, i));
      expect(decodeEventFields(block, i, null, false)).toEqual({ ...decodeEvent(block, i), raw: '' });
    }
  });
});

import { describe, expect, it } from 'vitest';
import { roomyFieldsMaker } from '../../../../src/core/formats/roomy-fields';

describe('roomyFieldsMaker', () => {
  it('makes empty plain objects that keep fields in the order they are added, past their room too', () => {
    const make = roomyFieldsMaker();
    for (let n = 0; n < 40; n++) {
      const fields = make();
      expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
      expect(Object.keys(fields)).toEqual([]);
      const keys = Array.from({ length: n }, (_, i) => `field.${(i * 7) % 40}.${i}`);
      for (const [i, key] of keys.entries()) fields[key] = i;
      expect(Object.keys(fields)).toEqual(keys);
      expect(JSON.parse(JSON.stringify(fields))).toEqual(Object.fromEntries(keys.map((k, i) => [k, i])));
    }
  });
});

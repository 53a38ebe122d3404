/**
 * The test vectors and edge cases of shared/docs/sigma.md, one table per section. Each row cites
 * the section it comes from; [verified] rows were checked against pySigma by the research note.
 */
import { describe, expect, it } from 'vitest';
import {
  SigmaError,
  applyModifiers,
  base64offsetVariants,
  conditionToString,
  parseCondition,
  parseSigmaString,
  valueToString,
  type DetectionItem,
} from '../../../../src/core/rules';
import { detect, ev } from './helpers';

function item(field: string | null, modifiers: string[], values: (string | number | boolean | null)[], list = values.length !== 1): DetectionItem {
  return { field, modifiers, values: values.map((value) => ({ value })), list };
}

function modified(field: string | null, modifiers: string[], values: (string | number | boolean | null)[]): string[] {
  return applyModifiers(item(field, modifiers, values)).values.map(valueToString);
}

describe('A3 escaping (pySigma SigmaString) [verified]', () => {
  const cases: [string, string, string][] = [
    // input, canonical form (literal text with * ? escaped; wildcards bare), reading
    ['escaped\\*\\?\\\\*?', 'escaped\\*\\?\\\\*?', 'literal "escaped*?\\" then * and ? wildcards'],
    ['C:\\\\*\\*a\\?b\\\\\\*', 'C:\\\\*\\*a\\?b\\\\\\*', 'literal "C:\\", wildcard *, literal "*a?b\\*"'],
    ['escaped\\nonspecial', 'escaped\\nonspecial', 'backslash before another char is kept'],
    ['trailing\\', 'trailing\\\\', 'a trailing lone backslash is a literal backslash'],
  ];
  it.each(cases)('%s', (input, canonical) => {
    expect(valueToString(parseSigmaString(input))).toBe(canonical);
  });
  it('escaped\\*\\?\\\\*? matches "escaped*?\\" + anything + one char, and nothing else', () => {
    const p = detect("sel:\n  f: 'escaped\\*\\?\\\\*?'\ncondition: sel");
    expect(p(ev({ f: 'escaped*?\\XYZ!' }))).toBe(true);
    expect(p(ev({ f: 'escaped*?\\!' }))).toBe(true);
    expect(p(ev({ f: 'escaped*?\\' }))).toBe(false); // ? needs one char
    expect(p(ev({ f: 'escapedab\\x' }))).toBe(false); // \* and \? are literal
  });
  it('C:\\\\*\\*a\\?b\\\\\\* matches literally after the wildcard', () => {
    const p = detect("sel:\n  f: 'C:\\\\*\\*a\\?b\\\\\\*'\ncondition: sel");
    expect(p(ev({ f: 'C:\\Windows\\*a?b\\*' }))).toBe(true);
    expect(p(ev({ f: 'C:\\Windows\\Xa?b\\*' }))).toBe(false);
  });
  it('C:\\Windows\\ needs no doubling (backslash before a normal char is kept)', () => {
    const p = detect("sel:\n  f|startswith: 'C:\\Windows\\'\ncondition: sel");
    expect(p(ev({ f: 'c:\\windows\\system32' }))).toBe(true);
  });
});

describe('A3 detection shapes [verified]', () => {
  it('map = AND of items', () => {
    const p = detect('sel:\n  a: 1\n  b: x\ncondition: sel');
    expect(p(ev({ a: 1, b: 'x' }))).toBe(true);
    expect(p(ev({ a: 1, b: 'y' }))).toBe(false);
  });
  it('list of maps = OR of the maps', () => {
    const p = detect('sel:\n  - a: 1\n    b: x\n  - c: z\ncondition: sel');
    expect(p(ev({ c: 'z' }))).toBe(true);
    expect(p(ev({ a: 1, b: 'x' }))).toBe(true);
    expect(p(ev({ a: 1 }))).toBe(false);
  });
  it('list of values = OR; with |all = AND', () => {
    const or = detect('sel:\n  cmd|contains: [a, b]\ncondition: sel');
    const and = detect('sel:\n  cmd|contains|all: [a, b]\ncondition: sel');
    expect(or(ev({ cmd: 'xa' }))).toBe(true);
    expect(and(ev({ cmd: 'xa' }))).toBe(false);
    expect(and(ev({ cmd: 'b-a' }))).toBe(true);
  });
  it('list of scalars = keyword search (OR), scalar = one keyword', () => {
    const list = detect("kw:\n  - 'foo'\n  - 'bar'\ncondition: kw");
    const one = detect("kw: 'foo'\ncondition: kw");
    expect(list(ev({}, { raw: 'xx BAR yy' }))).toBe(true);
    expect(one(ev({}, { raw: 'xxfooyy' }))).toBe(true);
    expect(one(ev({}, { raw: 'fo o' }))).toBe(false);
  });
  it("'|all' with an empty field name: every keyword must be present", () => {
    const p = detect("kw:\n  '|all':\n    - 'alpha'\n    - 'beta'\ncondition: kw");
    expect(p(ev({}, { raw: 'alpha ... beta' }))).toBe(true);
    expect(p(ev({}, { raw: 'alpha only' }))).toBe(false);
  });
  it('value null and [] are null tests: absent field only, not the empty string', () => {
    for (const value of ['null', '~', '[]']) {
      const p = detect(`sel:\n  f: ${value}\ncondition: sel`);
      expect(p(ev({}))).toBe(true);
      expect(p(ev({ f: '' }))).toBe(false);
      expect(p(ev({ f: 'x' }))).toBe(false);
      expect(p(ev({ f: [] }))).toBe(true);
    }
  });
  it("value '' matches an empty-string field only", () => {
    const p = detect("sel:\n  f: ''\ncondition: sel");
    expect(p(ev({ f: '' }))).toBe(true);
    expect(p(ev({}))).toBe(false);
    expect(p(ev({ f: 'x' }))).toBe(false);
  });
});

describe('A3 types and D5 pinned edges', () => {
  const rows: [string, string, Record<string, string | number | boolean>, boolean][] = [
    ['number vs number field', 'f: 404', { f: 404 }, true],
    ['number vs its decimal text', 'f: 404', { f: '404' }, true],
    ['777 does not match "0777"', 'f: 777', { f: '0777' }, false],
    ['quoted "404" matches a numeric field by its text', "f: '404'", { f: 404 }, true],
    ["quoted '0x17' is a string", "f: '0x17'", { f: 23 }, false],
    ['unquoted 0x17 is the number 23', 'f: 0x17', { f: 23 }, true],
    ['bool vs bool', 'f: true', { f: true }, true],
    ['bool vs "True" (case-insensitive)', 'f: true', { f: 'True' }, true],
    ['bool false vs "true"', 'f: false', { f: 'true' }, false],
    ['plain strings are case-insensitive', 'f: Admin', { f: 'aDMIN' }, true],
    ['plain strings match whole values', 'f: adm', { f: 'admin' }, false],
    ['Unicode case folding: É vs é', 'f: ÉTÉ', { f: 'été' }, true],
    ['ß does not fold to SS', 'f: ß', { f: 'SS' }, false],
    ['* spans newlines', "f: 'a*b'", { f: 'a\nx\nb' }, true],
    ['? is exactly one character', "f: 'a?c'", { f: 'abbc' }, false],
    ['|cased is case-sensitive', "f|cased: 'Admin'", { f: 'admin' }, false],
    ['|cased keeps wildcards', "f|cased: 'Ad*'", { f: 'Admin' }, true],
  ];
  it.each(rows)('%s', (_name, line, fields, expected) => {
    const p = detect(`sel:\n  ${line}\ncondition: sel`);
    expect(p(ev(fields))).toBe(expected);
  });
  it('missing field: comparisons are false, so `not sel` is true', () => {
    expect(detect('sel:\n  f: x\ncondition: sel')(ev({}))).toBe(false);
    expect(detect('sel:\n  f: x\ncondition: not sel')(ev({}))).toBe(true);
  });
  it('multi-valued fields: any element matches', () => {
    const p = detect('sel:\n  event.category: authentication\ncondition: sel');
    expect(p(ev({ 'event.category': ['web', 'authentication'] }))).toBe(true);
    expect(p(ev({ 'event.category': ['web'] }))).toBe(false);
  });
  it('very long values and keywords stay linear', () => {
    const long = 'a'.repeat(200_000);
    const p = detect("sel:\n  f|contains: 'needle'\ncondition: sel");
    expect(p(ev({ f: `${long}needle` }))).toBe(true);
  });
});

describe('A4 modifier vectors [verified]', () => {
  const rows: [string, string[], (string | number | boolean | null)[], string[]][] = [
    ['re|contains', ['re', 'contains'], ['abc'], ['/.*abc.*/']],
    ['contains|all', ['contains', 'all'], ['a', 'b'], ['*a*', '*b*']],
    ['base64', ['base64'], ['abc'], ['YWJj']],
    ['base64offset http', ['base64offset'], ['http'], ['[aHR0c | h0dH | odHRw]']],
    ['wide|base64offset|contains ping', ['wide', 'base64offset', 'contains'], ['ping'], ['[*cABpAG4AZw* | *AAaQBuAGcA* | *wAGkAbgBnA*]']],
    ['utf16le|base64offset|contains ping', ['utf16le', 'base64offset', 'contains'], ['ping'], ['[*cABpAG4AZw* | *AAaQBuAGcA* | *wAGkAbgBnA*]']],
    ['re|i', ['re', 'i'], ['^a.*b$'], ['/^a.*b$/i']],
    ['cidr', ['cidr'], ['fe80::/10', '192.168.0.0/16'], ['cidr:fe80::/10', 'cidr:192.168.0.0/16']],
  ];
  it.each(rows)('%s', (_name, mods, values, expected) => {
    expect(modified('f', mods, values)).toEqual(expected);
  });
  it('base64offset variants of "http" are aHR0c, h0dH, odHRw', () => {
    expect(base64offsetVariants(new TextEncoder().encode('http'))).toEqual(['aHR0c', 'h0dH', 'odHRw']);
  });
  it('windash: "foo-bar -x /y" gives 25 variants, foo-bar untouched', () => {
    const [v] = applyModifiers(item('f', ['windash'], ['foo-bar -x /y'])).values;
    expect(v?.t).toBe('exp');
    const texts = v?.t === 'exp' ? v.values.map(valueToString) : [];
    expect(texts).toHaveLength(25);
    expect(new Set(texts).size).toBe(25);
    expect(texts.every((t) => t.startsWith('foo-bar '))).toBe(true);
    expect(texts).toContain('foo-bar \u2013x \u2015y');
  });
  const errors: [string, string[], (string | number | boolean | null)[], string][] = [
    ['p|contains|re', ['contains', 're'], ['x'], 'modifier'],
    ['p|exists: yes (string)', ['exists'], ['yes'], 'value'],
    ["p|gt: '5'", ['gt'], ['5'], 'value'],
    ['p|i without re', ['i'], ['x'], 'modifier'],
    ['p|contains|cidr', ['contains', 'cidr'], ['10.0.0.0/8'], 'modifier'],
    ['p|cidr: not-a-network', ['cidr'], ['10.0.0.300/8'], 'value'],
    ['p|base64 with wildcard', ['base64'], ['ab*'], 'value'],
    ['p|re invalid', ['re'], ['(unclosed'], 'regex'],
    ['p|expand without values', ['expand'], ['%Servers%'], 'placeholder'],
    ['p|nosuch', ['nosuch'], ['x'], 'unknown-modifier'],
  ];
  it.each(errors)('%s is an error', (_name, mods, values, code) => {
    let error: unknown;
    try {
      applyModifiers(item('p', mods, values));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SigmaError);
    expect((error as SigmaError).code).toBe(code);
  });
  it('neq negates the whole item: f|neq: [a, b] = not (f=a or f=b)', () => {
    const p = detect('sel:\n  f|neq: [a, b]\ncondition: sel');
    expect(p(ev({ f: 'a' }))).toBe(false);
    expect(p(ev({ f: 'b' }))).toBe(false);
    expect(p(ev({ f: 'c' }))).toBe(true);
  });
});

describe('A5 condition grammar [verified]', () => {
  const rows: [string, string][] = [
    ['a or b and not c', 'or(a, and(b, not(c)))'],
    ['not not a', 'not(not(a))'],
    ['not a and b', 'and(not(a), b)'],
    ['(a or b) and c', 'and(or(a, b), c)'],
    ['a and b or c and d', 'or(and(a, b), and(c, d))'],
    ['1 of sel* and not 1 of filter*', 'and(1 of sel*, not(1 of filter*))'],
    ['all of them', 'all of them'],
    ['any of x', '1 of x'],
    ['notice', 'notice'],
    ['a-1 or _b', 'or(a-1, _b)'],
  ];
  it.each(rows)('%s', (text, tree) => {
    expect(conditionToString(parseCondition(text))).toBe(tree);
  });
  const bad: [string, string][] = [
    ['sel AND NOT f', 'condition'],
    ['sel | count() > 5', 'legacy'],
    ['sel and', 'condition'],
    ['(sel', 'condition'],
    ['sel*', 'condition'],
    ['1 of sel-*', 'condition'],
    ['', 'condition'],
  ];
  it.each(bad)('%j is refused', (text, code) => {
    expect(() => parseCondition(text)).toThrow(SigmaError);
    try {
      parseCondition(text);
    } catch (e) {
      expect((e as SigmaError).code).toBe(code);
    }
  });
  it('1 of them skips identifiers starting with _', () => {
    const p = detect('a:\n  f: 1\n_b:\n  f: 2\ncondition: 1 of them');
    expect(p(ev({ f: 1 }))).toBe(true);
    expect(p(ev({ f: 2 }))).toBe(false);
    const q = detect('a:\n  f: 1\n_b:\n  f: 2\ncondition: 1 of _*');
    expect(q(ev({ f: 2 }))).toBe(true);
  });
  it('a condition list is an OR of its conditions', () => {
    const p = detect('a:\n  f: 1\nb:\n  f: 2\ncondition:\n  - a\n  - b');
    expect(p(ev({ f: 2 }))).toBe(true);
    expect(p(ev({ f: 3 }))).toBe(false);
  });
  it('a pattern that matches no identifier is a load error (pySigma leaves a hole)', () => {
    expect(() => detect('a:\n  f: 1\ncondition: a and not 1 of filter*')).toThrow(/matches no search identifier/);
  });
});

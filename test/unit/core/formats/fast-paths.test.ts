import { describe, expect, it } from 'vitest';
import { NETFILTER_KEYS, netfilterKeyAt } from '../../../../src/core/formats/netfilter';
import { readUptime } from '../../../../src/core/formats/syslog-envelope';
import { IPV4_PATTERN, isIpv4, parseClfTime } from '../../../../src/core/formats/web-access';
import { monthAt, monthIndex } from '../../../../src/core/time/syslog-time';
import { CORPUS_MISSING, corpusFileLines, hasCorpus, lcg } from '../../corpus';

/**
 * The parsers' hot paths read char codes where a slice, a regex, Number() or Date.UTC would do;
 * each fast path must give exactly what its plain form gives, on every corpus line and on
 * random and mutated text.
 */

const lines = corpusFileLines(false).flat();
if (!hasCorpus) console.warn(CORPUS_MISSING);

const random = lcg(4);
const randomText = (alphabet: string, max: number): string => {
  let out = '';
  const n = Math.floor(random() * max);
  for (let i = 0; i < n; i++) out += alphabet[Math.floor(random() * alphabet.length)]!;
  return out;
};

describe('fast paths agree with their plain forms', () => {
  it('isIpv4 = /^\\d{1,3}(\\.\\d{1,3}){3}$/ on corpus tokens and random text', () => {
    const tokens = new Set<string>();
    for (const line of lines) for (const token of line.split(/[\s[\]()"',;=]+/)) tokens.add(token);
    for (let i = 0; i < 20_000; i++) tokens.add(randomText('0123456789...:a ', 18));
    expect([...tokens].filter((token) => isIpv4(token) !== IPV4_PATTERN.test(token))).toEqual([]);
  });

  it('readUptime = Number(slice.trim()) on kernel stamps and random text', () => {
    const cases: string[] = [];
    for (const line of lines) {
      const open = line.indexOf('kernel: [');
      const close = line.indexOf('] ', open);
      if (open >= 0 && close > open) cases.push(line.slice(open + 9, close));
    }
    for (let i = 0; i < 20_000; i++) cases.push(randomText('   0123456789..e-+x', 22));
    for (let i = 0; i < 5_000; i++) cases.push(`${' '.repeat(Math.floor(random() * 6))}${Math.floor(random() * 1e7)}.${String(Math.floor(random() * 1e6)).padStart(6, '0')}`);
    expect(cases.filter((text) => !Object.is(readUptime(`[${text}]`, 1, text.length + 1), Number(text.trim())))).toEqual([]);
  });

  it('monthAt = monthIndex(slice) on every corpus line start and random text', () => {
    const texts = [...lines.slice(0, 50_000), ...Array.from({ length: 5000 }, () => randomText('JFMASONDaeupcoyrnlgvb\u00e9\uFFFD', 4))];
    const wrong = texts.filter((text) => [0, 1, 4].some((at) => monthAt(text, at) !== (text.length >= at + 3 ? monthIndex(text.slice(at, at + 3)) : -1)));
    expect(wrong).toEqual([]);
  });

  it('parseClfTime (day remembered between calls) = Date.UTC of the fields, across days and zones', () => {
    const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const stamps: string[] = [];
    for (const line of lines) {
      const m = /\[(\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4})\]/.exec(line);
      if (m !== null) stamps.push(m[1]!);
    }
    for (let i = 0; i < 5000; i++) {
      const pad = (n: number): string => String(n).padStart(2, '0');
      stamps.push(`${pad(1 + Math.floor(random() * 28))}/${MONTHS[Math.floor(random() * 12)]!}/${1990 + Math.floor(random() * 50)}:${pad(Math.floor(random() * 24))}:${pad(Math.floor(random() * 60))}:${pad(Math.floor(random() * 60))} ${random() < 0.5 ? '+' : '-'}${pad(Math.floor(random() * 14))}${pad(Math.floor(random() * 4) * 15)}`);
    }
    expect(stamps.length).toBeGreaterThan(5000);
    for (const stamp of stamps) {
      const m = /^(\d\d)\/(\w{3})\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)$/.exec(stamp)!;
      const offset = (m[7] === '+' ? 1 : -1) * (Number(m[8]) * 60 + Number(m[9])) * 60_000;
      const expected = Date.UTC(Number(m[3]), MONTHS.indexOf(m[2]!), Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offset;
      expect(parseClfTime(`[${stamp}]`, 0), stamp).toBe(expected);
      // Again, from the last value remembered, in another line at another place.
      expect(parseClfTime(`1.2.3.4 - - [${stamp}] "GET / HTTP/1.0"`, 12), stamp).toBe(expected);
    }
  });

  it('parseClfTime gives a text that differs from the last one read its own value, not the last', () => {
    const chars = '0123456789/:+- JanFebx]';
    const stamps = ['10/Oct/2000:13:55:36 -0700', '01/Jan/2026:00:00:00 +0000', '31/Dec/1999:23:59:60 +1400'];
    let checked = 0;
    for (let i = 0; i < 20_000; i++) {
      const original = stamps[i % stamps.length]!;
      const at = Math.floor(random() * original.length);
      const mutated = `${original.slice(0, at)}${chars[Math.floor(random() * chars.length)]!}${original.slice(at + 1)}`;
      parseClfTime(`[${original}]`, 0);
      const afterOriginal = parseClfTime(`x [${mutated}]`, 2);
      parseClfTime(`[${stamps[(i + 1) % stamps.length]!}]`, 0);
      parseClfTime('[not a time at all, but 28 c]', 0);
      const afterOther = parseClfTime(`yy [${mutated}]`, 3);
      if (!Object.is(afterOriginal, afterOther)) throw new Error(`${mutated} after ${original}: ${afterOriginal} vs ${afterOther}`);
      if (mutated !== original) checked++;
    }
    expect(checked).toBeGreaterThan(15_000);
  });

  it('netfilterKeyAt = NETFILTER_KEYS.indexOf(slice) on every KEY= of the corpus, the keys themselves, near misses and random text', () => {
    const keys = new Set<string>(NETFILTER_KEYS);
    for (const line of lines) for (const m of line.matchAll(/(?:^| )([^ =]*)=/g)) keys.add(m[1]!);
    for (const key of NETFILTER_KEYS) {
      keys.add(key.slice(0, -1)).add(`${key}X`).add(key.toLowerCase()).add(`${key.slice(0, 3)}Q${key.slice(4)}`);
      keys.add(`${key[0]}\u0100${key.slice(2)}`).add(`${String.fromCharCode(key.charCodeAt(0) + 128)}${key.slice(1)}`);
    }
    for (let i = 0; i < 20_000; i++) keys.add(randomText('INOUTPHYSMACRCDLENTWGKAQ\u00c9', 9));
    const disagree = [...keys].filter((key) => {
      const padded = ` ${key}=1 `;
      return netfilterKeyAt(padded, 1, 1 + key.length) !== (NETFILTER_KEYS as readonly string[]).indexOf(key);
    });
    expect(disagree).toEqual([]);
  });
});

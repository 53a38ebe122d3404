import { describe, expect, it } from 'vitest';
import { findNetfilterBody, parseNetfilter, parseNetfilterAt, parseNetfilterEvent } from '../../../../src/core/formats/netfilter';
import type { ParsedFields } from '../../../../src/core/model/event';
import { presentKeys } from '../present-fields';
import { CORPUS_MISSING, corpusFileLines, hasCorpus, lcg } from '../../corpus';
import { findNetfilterBody as referenceBody, parseNetfilter as referenceNetfilter, parseNetfilterAt as referenceNetfilterAt } from './netfilter-reference';

/**
 * parseNetfilter reads in place and remembers values of the line before (prefix, interfaces, MAC
 * pairs, ...); it must give exactly the fields, in the same key order, that the frozen copy gives
 * on the same sequence of lines: corpus lines, generated lines that repeat or change each value
 * from one line to the next, and mutated ones.
 */

if (!hasCorpus) console.warn(CORPUS_MISSING);

/** Where the fields of `a` and `b` differ (key order included), or undefined. */
/** undefined is an absent field (ParsedFields), and the order of fields is not compared. */
function difference(a: ParsedFields | undefined, b: ParsedFields | undefined): string | undefined {
  if (a === undefined || b === undefined) return a === b ? undefined : `${a === undefined ? 'undefined' : 'fields'} vs ${b === undefined ? 'undefined' : 'fields'}`;
  const ka = presentKeys(a);
  const kb = presentKeys(b);
  if (ka.join('\n') !== kb.join('\n')) return `keys ${ka.join(',')} vs ${kb.join(',')}`;
  for (const key of ka) {
    const va: unknown = a[key];
    const vb: unknown = b[key];
    if (Array.isArray(va) && Array.isArray(vb)) {
      if (va.length !== vb.length || va.some((v, i) => !Object.is(v, vb[i]))) return `${key}: ${JSON.stringify(va)} vs ${JSON.stringify(vb)}`;
      if (Object.isFrozen(va) !== Object.isFrozen(vb)) return `${key}: frozen ${Object.isFrozen(va)} vs ${Object.isFrozen(vb)}`;
    } else if (!Object.is(va, vb)) {
      return `${key}: ${JSON.stringify(va)} (${typeof va}) vs ${JSON.stringify(vb)} (${typeof vb})`;
    }
  }
  return undefined;
}

/** What netfilterMessages gave before parseNetfilterEvent: findNetfilterBody, then parseNetfilterAt and the dataset of its prefix. */
function referenceEvent(message: string): { readonly dataset: string; readonly fields: ParsedFields } | undefined {
  const bodyStart = referenceBody(message);
  if (bodyStart < 0) return undefined;
  const fields = referenceNetfilterAt(message, bodyStart);
  if (fields === undefined) return undefined;
  const prefix = fields['netfilter.prefix'];
  return { dataset: typeof prefix === 'string' && prefix.startsWith('[UFW ') ? 'ufw' : 'iptables', fields };
}

/** Where parseNetfilterEvent and referenceEvent differ on `line`, or undefined. */
function eventDifference(line: string): string | undefined {
  const event = parseNetfilterEvent(line);
  const reference = referenceEvent(line);
  if (event === undefined || reference === undefined) return event === reference ? undefined : `event ${event === undefined ? 'undefined' : 'found'} vs ${reference === undefined ? 'undefined' : 'found'}`;
  if (event.dataset !== reference.dataset) return `dataset ${event.dataset} vs ${reference.dataset}`;
  const diff = difference(event.fields, reference.fields);
  return diff === undefined ? undefined : `event: ${diff}`;
}

/** Runs both parsers over `lines` in order; the first few lines where they disagree. */
function disagreements(lines: readonly string[]): string[] {
  const wrong: string[] = [];
  for (const line of lines) {
    const body = findNetfilterBody(line);
    const referenceStart = referenceBody(line);
    if (body !== referenceStart && wrong.length < 10) wrong.push(`${JSON.stringify(line)}: body at ${body} vs ${referenceStart}`);
    const diff = difference(parseNetfilter(line), referenceNetfilter(line));
    if (diff !== undefined && wrong.length < 10) wrong.push(`${JSON.stringify(line)}: ${diff}`);
    const eventDiff = eventDifference(line);
    if (eventDiff !== undefined && wrong.length < 10) wrong.push(`${JSON.stringify(line)}: ${eventDiff}`);
  }
  return wrong;
}

const random = lcg(11);
const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const hex = (n: number): string => Math.floor(random() * n).toString(16).padStart(2, '0');

const PREFIXES = ['[UFW BLOCK] ', '[UFW ALLOW] ', '[UFW AUDIT] ', '[UFW AUDIT INVALID] ', '[UFW LIMIT BLOCK] ', '[UFW BLOCX] ', '[UFW BLOCK]  ', ' [UFW BLOCK] ',
  '', 'DROP ', 'iptables-denied: ', 'ACCEPT IN ', '[UFW \u00c9LOCK] ', 'x IN= ', '[UFW BLOCK]\t'];
const INTERFACES = ['eth0', 'eth0', 'eth1', 'etH0', 'eth00', '', 'wlan0', 'br-1a2b', 'eth0.100', '\u00e90', 'lo', 'e', 'eth0=', 'ppp0'];
const ADDRESSES = ['10.20.0.2', '103.87.249.212', '192.168.1.1', '2001:0db8:0000:0000:0000:0000:3300:0001', 'fe80:0000:0000:0000:5054:00ff:fe7c:d802',
  'FE80:0000:0000:0000:0000:0000:0000:0001', '0000:0000:0000:0000:0000:0000:0000:0000', '::1', '1.2.3', '', 'x:y'];

function mac(): string {
  switch (Math.floor(random() * 12)) {
    case 0: return '';
    case 1: return `52:54:00:7c:d8:${hex(256)}`;
    case 2: return `52:54:00:7c:d8:${hex(256)}:fe:54:00:01:02:03:08:00:aa`;
    case 3: return `52:54:00:7C:D8:${hex(256)}:FE:54:00:01:02:03:08:00`;
    case 4: return `52:54:00:7c:d8:${hex(256)}:fe:54:00:01:02:03:08`;
    case 5: return `52:54:00:7c:d8:4${pick(['1', 'g', '\u00e9', '-', '='])}:fe:54:00:01:02:03:08:00`;
    case 6: return `52-54-00-7c-d8-${hex(256)}-fe-54-00-01-02-03-08-00`;
    default: return `52:54:00:7c:d8:${hex(4)}:fe:54:00:01:02:${hex(3)}:${pick(['08:00', '86:dd'])}`;
  }
}

/** Values drawn from a small pool, repeated from the line before half of the time. */
class Repeating<T> {
  private last: T | undefined;
  constructor(private readonly make: () => T) {}
  next(): T {
    if (this.last === undefined || random() < 0.5) this.last = this.make();
    return this.last;
  }
}

const prefix = new Repeating(() => pick(PREFIXES));
const inIf = new Repeating(() => pick(INTERFACES));
const outIf = new Repeating(() => pick(INTERFACES));
const macs = new Repeating(mac);
const source = new Repeating(() => (random() < 0.5 ? `${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.0.${Math.floor(random() * 3)}` : pick(ADDRESSES)));
const destination = new Repeating(() => pick(ADDRESSES));
const number = (): string => pick([String(Math.floor(random() * 70000)), '0', '00', '1e3', '-0', '0x10', '', '12345678901234567', '9007199254740993', ' ', 'NaN', '1.5', '\u0661']);
const hexByte = (): string => pick(['0x00', '0x10', '0xFF', '0x0', '0x000', '0x 0', '0x\u00e90', '', '1x00', '0X00', `0x${hex(256)}`]);

function generated(): string {
  // Now and then no OUT= (or one spelled otherwise): parseNetfilterEvent must then find none.
  const parts: string[] = [`IN=${inIf.next()}`, random() < 0.9 ? `OUT=${outIf.next()}` : pick(['', 'OUT', 'XOUT=', 'OUTX=eth0', 'out=', 'OUT\u00e9='])];
  if (random() < 0.2) parts.push(`PHYSIN=${pick(INTERFACES)}`, `PHYSOUT=${pick(INTERFACES)}`);
  if (random() < 0.85) parts.push(`MAC=${macs.next()}`);
  const v6 = random() < 0.3;
  parts.push(`SRC=${source.next()}`, `DST=${destination.next()}`, `LEN=${number()}`);
  if (v6) parts.push(`TC=${number()}`, `HOPLIMIT=${number()}`, `FLOWLBL=${number()}`);
  else parts.push(`TOS=${hexByte()}`, `PREC=${hexByte()}`, `TTL=${number()}`, `ID=${number()}`);
  for (let n = Math.floor(random() * 3); n > 0; n--) parts.push(pick(['DF', 'MF', 'CE', 'DF', 'INCOMPLETE', 'INCOMPLETX']));
  const proto = pick(['TCP', 'TCP', 'UDP', 'ICMP', 'ICMPv6', 'UDPLITE', 'SCTP', '2', 'tcp', '', 'GRE']);
  parts.push(`PROTO=${proto}`);
  if (proto === 'ICMP' || proto === 'ICMPv6') {
    parts.push(`TYPE=${number()}`, `CODE=${number()}`);
    if (random() < 0.3) parts.push(`ID=${number()}`, `SEQ=${number()}`);
    if (random() < 0.2) parts.push(`MTU=${number()}`, `[SRC=${pick(ADDRESSES)}`, `DST=${pick(ADDRESSES)}`, `LEN=${number()}`, `PROTO=UDP`, `SPT=${number()}`, `DPT=${number()}`, `]`);
  } else {
    parts.push(`SPT=${number()}`, `DPT=${number()}`);
    if (proto.startsWith('TCP') || random() < 0.1) {
      if (random() < 0.3) parts.push(`SEQ=${number()}`, `ACK=${number()}`);
      parts.push(`WINDOW=${number()}`, `RES=${hexByte()}`);
      for (let n = Math.floor(random() * (random() < 0.1 ? 12 : 4)); n > 0; n--) parts.push(pick(['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN', 'AE', 'SYX']));
      parts.push(`URGP=${number()}`);
    } else {
      parts.push(`LEN=${number()}`);
    }
  }
  if (random() < 0.1) parts.push(`UID=${number()}`, `GID=${number()}`, `MARK=${pick(['0x1', '0x0', 'x'])}`);
  if (random() < 0.05) parts.push(`FOO=${pick(['bar', '', '='])}`, 'BAZ', `Mac=${mac()}`);
  // A PREFIX= token gives netfilter.prefix (and so the dataset) where the line has no prefix of its own.
  if (random() < 0.05) parts.push(`PREFIX=${pick(['[UFW', '[UFW x', 'x', ''])}`);
  if (random() < 0.02) parts.push(`OUT=${outIf.next()}`);
  return `${prefix.next()}${parts.join(' ')}${pick([' ', ' ', ' ', '', '  '])}`;
}

const HOSTILE = [' ', '=', '  ', '\u0000', '\u00e9', '\uFFFD', '\uD83D', '\uDE00', '\u0100', 'I', 'N', ':', '0', 'x', '[', ']', 'IN=', ' OUT='];

function mutated(line: string): string {
  const at = Math.floor(random() * (line.length + 1));
  switch (Math.floor(random() * 5)) {
    case 0: return line.slice(0, at);
    case 1: return `${line.slice(0, at)}${pick(HOSTILE)}${line.slice(at + 1)}`;
    case 2: return `${line.slice(0, at)}${pick(HOSTILE)}${line.slice(at)}`;
    case 3: return `${line.slice(0, at)}${line.slice(at + 1 + Math.floor(random() * 6))}`;
    default: return `${line.slice(at)}${line.slice(0, at)}`;
  }
}

describe('parseNetfilter fast paths agree with the frozen copy', () => {
  it('parseNetfilterEvent on lines that lack OUT= or have a PREFIX= token', () => {
    const lines = ['IN=eth0 SRC=1.2.3.4 ', '[UFW BLOCK] IN=eth0 SRC=1.2.3.4 ', '[UFW BLOCK] IN=eth0 OUTX= SRC=1.2.3.4 ', '[UFW BLOCK] IN=eth0 XOUT= SRC=1.2.3.4 ',
      '[UFW BLOCK] IN=eth0 SRC=1.2.3.4 OUT=', '[UFW BLOCK] IN=eth0  OUT= ', 'IN=eth0 OUT= PREFIX=[UFW x ', ' IN=eth0 OUT= PREFIX=[UFW x ', '[UFW BLOCK] IN=eth0 OUT= PREFIX=x ',
      'DROP IN=eth0 OUT= PREFIX=[UFW x ', 'DROP IN=eth0 PREFIX=[UFW x ', '[UFW BLOCK] IN=eth0 [OUT=x ', '[UFW BLOCK] IN=eth0 OUT'];
    expect(lines.flatMap((line) => [line, line]).map((line) => eventDifference(line)).filter((d) => d !== undefined)).toEqual([]);
  });

  it('parseNetfilterEvent after the slot of a prefix (and its head, IN= OUT= of the line before) went to another prefix', () => {
    const body = 'IN=eth0 OUT= SRC=1.2.3.4 DST=5.6.7.8 PROTO=TCP SPT=1 DPT=2 SYN ';
    const lines: string[] = [];
    for (let round = 0; round < 3; round++) {
      for (let p = 0; p < 12; p++) {
        const prefix = `[UFW P${p % (round + 9)}] `;
        lines.push(prefix + body, prefix + body, `${prefix}IN=eth1 OUT= SRC=1.2.3.4 `, prefix + body, `${prefix}IN=eth0 OUT=eth1 SRC=1.2.3.4 `, `${prefix}IN=eth0 OUT= `, `${prefix}IN=eth0 OUT=`, prefix + body);
      }
    }
    expect(lines.map((line) => eventDifference(line)).filter((d) => d !== undefined)).toEqual([]);
    expect(disagreements(lines)).toEqual([]);
  });

  it('parseNetfilterEvent where a memo of the line before (head + MAC=, TOS= to TTL=, DF PROTO= SPT=) ends the line or is followed otherwise', () => {
    const whole = '[UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:7c:d8:41:fe:54:00:01:02:03:08:00 SRC=1.2.3.4 DST=10.20.0.2 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=1 DF PROTO=TCP SPT=1 DPT=2 WINDOW=3 RES=0x00 SYN URGP=0 ';
    const lines: string[] = [];
    for (let cut = 0; cut <= whole.length; cut++) lines.push(whole, whole.slice(0, cut), whole, `${whole.slice(0, cut)} X=1 `);
    for (const [from, to] of [['MAC=', 'MAC'], ['MAC=', 'SRC='], ['TTL=', 'HOPLIMIT='], ['TTL=', 'DF '], ['SPT=', 'DPT='], ['SPT=', 'SYN '], ['PROTO=TCP', 'PROTO=UDP'], ['DF PROTO', 'DF  PROTO'],
      ['PREC=0x00 ', 'PREC=0x00  '], ['TOS=0x00', 'TOS=0x10'], ['DF ', 'MF '], ['OUT= ', 'OUT=eth1 ']] as const) {
      lines.push(whole, whole.replace(from, to), whole.replace(from, to), whole);
    }
    expect(lines.map((line) => eventDifference(line)).filter((d) => d !== undefined)).toEqual([]);
    expect(disagreements(lines)).toEqual([]);
  });

  it('on bodies given at any start, and finds the first IN= after a prefix given that way held one', () => {
    const lines = Array.from({ length: 20_000 }, generated);
    const wrong: string[] = [];
    for (const line of lines) {
      const at = Math.floor(random() * (line.length + 1));
      const diff = difference(parseNetfilterAt(line, at), referenceNetfilterAt(line, at)) ?? difference(parseNetfilter(line), referenceNetfilter(line));
      if (diff !== undefined && wrong.length < 10) wrong.push(`${JSON.stringify(line)} at ${at}: ${diff}`);
    }
    expect(wrong).toEqual([]);
    // A prefix parseNetfilterAt was given may hold ` IN=`: findNetfilterBody must not take it for its own.
    expect(difference(parseNetfilterAt('a IN=x IN=y OUT= ', 7), referenceNetfilterAt('a IN=x IN=y OUT= ', 7))).toBeUndefined();
    expect(findNetfilterBody('a IN=x IN=y OUT= ')).toBe(referenceBody('a IN=x IN=y OUT= '));
    expect(difference(parseNetfilterAt('a IN', 2), referenceNetfilterAt('a IN', 2))).toBeUndefined();
    expect(findNetfilterBody('a IN IN= OUT= ')).toBe(referenceBody('a IN IN= OUT= '));
  });

  it('on every corpus line with IN=, whole and from its message and from its body, in file order', () => {
    const lines: string[] = [];
    for (const file of corpusFileLines(true)) {
      for (const line of file) {
        if (!line.includes('IN=')) continue;
        lines.push(line);
        const kernel = line.indexOf('kernel: ');
        const message = kernel < 0 ? line : line.slice(kernel + 8);
        lines.push(message);
        const close = message.indexOf('] ');
        if (message.startsWith('[') && close > 0) lines.push(message.slice(close + 2));
      }
    }
    if (hasCorpus) expect(lines.length).toBeGreaterThan(10_000);
    expect(disagreements(lines)).toEqual([]);
    // Again, each line twice in a row and then the lines of the other views between.
    expect(disagreements(lines.flatMap((line) => [line, line]))).toEqual([]);
  });

  it('on generated lines that repeat or change prefix, interfaces, MAC and addresses from line to line', () => {
    const lines = Array.from({ length: 60_000 }, generated);
    expect(lines.filter((line) => parseNetfilter(line) !== undefined).length).toBeGreaterThan(40_000);
    expect(disagreements(lines)).toEqual([]);
  });

  it('on mutated lines (truncated, hostile chars, cut, rotated), alone and between whole ones', () => {
    const corpus = corpusFileLines(true).flat().filter((line) => line.includes('IN=')).slice(0, 20_000);
    const lines: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      const line = corpus.length > 0 && random() < 0.3 ? pick(corpus) : generated();
      if (random() < 0.3) lines.push(line);
      lines.push(mutated(random() < 0.2 ? mutated(line) : line));
    }
    expect(disagreements(lines)).toEqual([]);
  });
});

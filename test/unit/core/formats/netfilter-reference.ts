// Frozen copy of src/core/formats/netfilter.ts as of 8bde98c, before its last-value caches: the oracle of netfilter-fast-paths.test.ts.
import type { EventFields } from '../../../../src/core/model/event';

/**
 * The body of a netfilter LOG line as the kernel prints it (`nf_log_syslog.c`), with the UFW
 * prefixes (`[UFW BLOCK] `, `[UFW ALLOW] `, `[UFW AUDIT] `, `[UFW AUDIT INVALID] `,
 * `[UFW LIMIT BLOCK] `) or any other iptables `--log-prefix`. Tokens are `KEY=VALUE` pairs and
 * bare flags; every field is followed by a space, so lines end in one.
 */

const UFW_ACTIONS: Readonly<Record<string, string>> = {
  'UFW BLOCK': 'block',
  'UFW ALLOW': 'allow',
  'UFW AUDIT': 'audit',
  'UFW AUDIT INVALID': 'audit-invalid',
  'UFW LIMIT BLOCK': 'limit-block',
};

/** Where the netfilter body starts in a kernel message, or -1. */
export function findNetfilterBody(message: string): number {
  if (message.startsWith('IN=', 0)) return 0;
  const at = message.indexOf(' IN=');
  if (at < 0 || message.indexOf(' OUT=', at) < 0) return -1;
  return at + 1;
}

function actionFromPrefix(prefix: string): string {
  const trimmed = prefix.trim();
  const inner = trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed;
  const ufw = UFW_ACTIONS[inner];
  if (ufw !== undefined) return ufw;
  const lower = inner.toLowerCase();
  if (/drop|block|reject|deny|denied/.test(lower)) return 'block';
  if (/accept|allow/.test(lower)) return 'allow';
  return 'log';
}

function transportName(proto: string): string {
  switch (proto) {
    case 'TCP': return 'tcp';
    case 'UDP': return 'udp';
    case 'UDPLITE': return 'udplite';
    case 'ICMP': return 'icmp';
    case 'ICMPv6': return 'ipv6-icmp';
    case 'SCTP': return 'sctp';
    case '2': return 'igmp';
    default: return proto.toLowerCase();
  }
}

/** Compresses a zero-padded IPv6 address as the kernel prints it (`fe80:0000:...`) to RFC 5952 form. */
export function compactIpv6(address: string): string {
  const groups = address.split(':');
  if (groups.length !== 8) return address.toLowerCase();
  const parts = groups.map((g) => (g.replace(/^0+(?=.)/, '') || '0').toLowerCase());
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (parts[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && parts[j] === '0') j++;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  if (bestStart < 0) return parts.join(':');
  const head = parts.slice(0, bestStart).join(':');
  const tail = parts.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}

const NETWORK: readonly string[] = Object.freeze(['network']);
const TYPE_ALLOWED: readonly string[] = Object.freeze(['connection', 'allowed']);
const TYPE_DENIED: readonly string[] = Object.freeze(['connection', 'denied']);
const TYPE_CONNECTION: readonly string[] = Object.freeze(['connection']);

/**
 * Flag lists (`SYN`, `ACK PSH`, `DF`) repeat on nearly every line: one frozen array per distinct
 * list, shared by the events (the block encoder then finds them by identity). Bounded, since the
 * lines are hostile and could spell out endless combinations.
 */
const flagLists = new Map<string, readonly string[]>();
const MAX_CACHED = 4096;

function flagList(spaced: string): readonly string[] {
  let list = flagLists.get(spaced);
  if (list === undefined) {
    list = Object.freeze(spaced.split(' '));
    if (flagLists.size < MAX_CACHED) flagLists.set(spaced, list);
  }
  return list;
}

/** MAC pairs repeat per host and gateway: [destination, source] per MAC= value, bounded. */
const macPairs = new Map<string, readonly [string, string] | null>();

function macPair(value: string): readonly [string, string] | null {
  let pair = macPairs.get(value);
  if (pair === undefined) {
    const bytes = value.split(':');
    pair = bytes.length >= 12 ? [bytes.slice(0, 6).join('-').toUpperCase(), bytes.slice(6, 12).join('-').toUpperCase()] : null;
    if (macPairs.size >= MAX_CACHED) macPairs.clear();
    macPairs.set(value, pair);
  }
  return pair;
}

/** Value of the decimal digits text[from, to) when that is all digits (at most 15), else -1. */
function digitsValue(text: string, from: number, to: number): number {
  if (to <= from || to - from > 15) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** The keys the kernel prints that parseNetfilter names; others are kept as netfilter.<key>. */
export const NETFILTER_KEYS = [
  'IN', 'OUT', 'PHYSIN', 'PHYSOUT', 'MAC', 'SRC', 'DST', 'LEN', 'ID', 'TOS', 'PREC', 'TTL', 'HOPLIMIT', 'TC', 'FLOWLBL',
  'PROTO', 'SPT', 'DPT', 'SEQ', 'ACK', 'WINDOW', 'RES', 'URGP', 'TYPE', 'CODE', 'MTU', 'UID', 'GID', 'MARK',
] as const;

/** text[from, from + key.length) === key, by char codes (the key's first char already compared). */
function restIs(text: string, from: number, key: string): boolean {
  for (let i = 1; i < key.length; i++) if (text.charCodeAt(from + i) !== key.charCodeAt(i)) return false;
  return true;
}

/**
 * The first chars of text[from, to), up to 4, packed 7 bits each (`IN` is 73 * 128 + 78); -1 when
 * one of them is not ASCII. With the length, exact for a key of up to 4 chars; longer keys compare
 * their other chars.
 */
function packedAt(text: string, from: number, to: number): number {
  let code = 0;
  let wide = 0;
  const last = Math.min(to, from + 4);
  for (let i = from; i < last; i++) {
    const c = text.charCodeAt(i);
    wide |= c;
    code = code * 128 + c;
  }
  return wide < 128 ? code : -1;
}

/**
 * The index in NETFILTER_KEYS of the key text[from, to), or -1: what `NETFILTER_KEYS.indexOf(slice)`
 * gives, without cutting the slice and comparing it with every key.
 */
export function netfilterKeyAt(text: string, from: number, to: number): number {
  return keyOf(packedAt(text, from, to), to - from, text, from);
}

/** The index in NETFILTER_KEYS of the key of length `n` at `from` whose packedAt is `code`, or -1. */
function keyOf(code: number, n: number, text: string, from: number): number {
  switch (code) {
    case 0x24ce: return n === 2 ? 0 : -1; // IN
    case 0x13ead4: return n === 3 ? 1 : -1; // OUT
    case 0xa122cd3: return n === 6 && restIs(text, from, 'PHYSIN') ? 2 : n === 7 && restIs(text, from, 'PHYSOUT') ? 3 : -1;
    case 0x1360c3: return n === 3 ? 4 : -1; // MAC
    case 0x14e943: return n === 3 ? 5 : -1; // SRC
    case 0x1129d4: return n === 3 ? 6 : -1; // DST
    case 0x1322ce: return n === 3 ? 7 : -1; // LEN
    case 0x24c4: return n === 2 ? 8 : -1; // ID
    case 0x1527d3: return n === 3 ? 9 : -1; // TOS
    case 0xa14a2c3: return n === 4 ? 10 : -1; // PREC
    case 0x152a4c: return n === 3 ? 11 : -1; // TTL
    case 0x913e84c: return n === 8 && restIs(text, from, 'HOPLIMIT') ? 12 : -1;
    case 0x2a43: return n === 2 ? 13 : -1; // TC
    case 0x8d327d7: return n === 7 && restIs(text, from, 'FLOWLBL') ? 14 : -1;
    case 0xa14a7d4: return n === 5 && restIs(text, from, 'PROTO') ? 15 : -1;
    case 0x14e854: return n === 3 ? 16 : -1; // SPT
    case 0x112854: return n === 3 ? 17 : -1; // DPT
    case 0x14e2d1: return n === 3 ? 18 : -1; // SEQ
    case 0x1061cb: return n === 3 ? 19 : -1; // ACK
    case 0xaf26744: return n === 6 && restIs(text, from, 'WINDOW') ? 20 : -1;
    case 0x14a2d3: return n === 3 ? 21 : -1; // RES
    case 0xab4a3d0: return n === 4 ? 22 : -1; // URGP
    case 0xa966845: return n === 4 ? 23 : -1; // TYPE
    case 0x873e245: return n === 4 ? 24 : -1; // CODE
    case 0x136a55: return n === 3 ? 25 : -1; // MTU
    case 0x1564c4: return n === 3 ? 26 : -1; // UID
    case 0x11e4c4: return n === 3 ? 27 : -1; // GID
    case 0x9b0694b: return n === 4 ? 28 : -1; // MARK
    default: return -1;
  }
}

/** The bare flags: TCP's (1-9, read on TCP packets only) and the IP header's (10-12). */
const FLAG_NAMES = ['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN', 'AE', 'DF', 'MF', 'CE'];
const FIRST_IP_FLAG = 10;

/** The flag (1-12) of a bare token of length `n` whose packedAt is `code`, or 0. */
function flagOf(code: number, n: number): number {
  if (n === 3) {
    switch (code) {
      case 0x10ebd2: return 1; // CWR
      case 0x1161c5: return 2; // ECE
      case 0x156947: return 3; // URG
      case 0x1061cb: return 4; // ACK
      case 0x1429c8: return 5; // PSH
      case 0x14a9d4: return 6; // RST
      case 0x14ecce: return 7; // SYN
      case 0x11a4ce: return 8; // FIN
      default: return 0;
    }
  }
  if (n !== 2) return 0;
  switch (code) {
    case 0x20c5: return 9; // AE
    case 0x2246: return 10; // DF
    case 0x26c6: return 11; // MF
    case 0x21c5: return 12; // CE
    default: return 0;
  }
}

/**
 * Up to this many flags of a line are kept as a number, 4 bits a flag in the order seen, rather
 * than as a built string: the list of a number is cached by it. More (only a hostile line) are
 * spelled out.
 */
const MAX_CODED_FLAGS = 7;
const codedFlagLists = new Map<number, readonly string[]>();

function spelled(code: number): string {
  let text = FLAG_NAMES[(code & 15) - 1]!;
  for (let rest = code >>> 4; rest > 0; rest >>>= 4) text = `${FLAG_NAMES[(rest & 15) - 1]!} ${text}`;
  return text;
}

function codedFlagList(code: number): readonly string[] {
  let list = codedFlagLists.get(code);
  if (list === undefined) {
    list = Object.freeze(spelled(code).split(' '));
    if (codedFlagLists.size < MAX_CACHED) codedFlagLists.set(code, list);
  }
  return list;
}

/**
 * The three leading fields of a netfilter event, made with `new`: V8 sizes the objects of a
 * constructor by the properties its body assigns (in-object slack tracking), so the assignments
 * that never run below make room in the object itself for the 25-30 fields a firewall event ends
 * up with; a `{}` literal has room for 4 and reallocates its property store every 3 fields after.
 * The prototype is Object.prototype: a plain object with the same keys in the same order.
 */
interface NetfilterHead {
  'event.action': string;
  'event.category': readonly string[];
  'event.type': readonly string[];
}
const NetfilterHead = function (this: Record<string, unknown>, action: string, type: readonly string[]): void {
  this['event.action'] = action;
  this['event.category'] = NETWORK;
  this['event.type'] = type;
  if (type !== NEVER) return;
  this.a = 0; this.b = 0; this.c = 0; this.d = 0; this.e = 0; this.f = 0; this.g = 0; this.h = 0; this.i = 0; this.j = 0;
  this.k = 0; this.l = 0; this.m = 0; this.n = 0; this.o = 0; this.p = 0; this.q = 0; this.r = 0; this.s = 0; this.t = 0;
} as unknown as new (action: string, type: readonly string[]) => EventFields;
NetfilterHead.prototype = Object.prototype;
const NEVER: readonly string[] = [];

/** The prefix of the line before, and what it gave: firewall logs repeat a handful of prefixes. */
let lastPrefix = '';
let lastPrefixAction = 'log';
let lastPrefixTrimmed = '';

/**
 * Parses a netfilter LOG body (starting at the prefix). Returns undefined if there is no
 * `IN=`/`OUT=` pair. The prefix (text before `IN=`) gives the action.
 */
export function parseNetfilter(message: string): EventFields | undefined {
  const bodyStart = findNetfilterBody(message);
  return bodyStart < 0 ? undefined : parseNetfilterAt(message, bodyStart);
}

/**
 * parseNetfilter where findNetfilterBody already gave `bodyStart` (>= 0). Tokens are read in
 * place with indexOf and char codes (this runs on most lines of a firewall log).
 */
export function parseNetfilterAt(message: string, bodyStart: number): EventFields | undefined {
  if (bodyStart !== lastPrefix.length || !message.startsWith(lastPrefix, 0)) {
    lastPrefix = message.slice(0, bodyStart);
    lastPrefixAction = actionFromPrefix(lastPrefix);
    lastPrefixTrimmed = lastPrefix.trim();
  }
  const action = lastPrefixAction;
  const fields = new NetfilterHead(action, action === 'allow' ? TYPE_ALLOWED : action === 'block' || action === 'limit-block' ? TYPE_DENIED : TYPE_CONNECTION);
  if (lastPrefixTrimmed !== '') fields['netfilter.prefix'] = lastPrefixTrimmed;

  let tcpCode = 0;
  let tcpCount = 0;
  let tcpText = '';
  let ipCode = 0;
  let ipCount = 0;
  let ipText = '';
  let sawIpLen = false;
  let sawIpId = false;
  let proto = '';
  let isTcp = false;
  let inIf = '';
  let outIf = '';
  let incomplete = false;
  const end = message.length;
  let pos = bodyStart;
  while (pos < end) {
    // One pass over the token's key (or bare flag) up to `=` or a space: its first chars packed as
    // packedAt does, no indexOf for the `=`.
    let i = pos;
    let c = 0;
    let code = 0;
    let wide = 0;
    for (; i < end; i++) {
      c = message.charCodeAt(i);
      if (c === 32 || c === 61) break;
      if (i - pos < 4) {
        code = code * 128 + c;
        wide |= c;
      }
    }
    if (wide >= 128) code = -1;
    if (i === end || c === 32) {
      if (i === pos) {
        pos++;
        continue;
      }
      const flag = flagOf(code, i - pos);
      if (flag > 0 && flag < FIRST_IP_FLAG) {
        if (isTcp) {
          if (tcpCount < MAX_CODED_FLAGS) tcpCode = tcpCode * 16 + flag;
          else tcpText = `${tcpCount === MAX_CODED_FLAGS ? spelled(tcpCode) : tcpText} ${FLAG_NAMES[flag - 1]!}`;
          tcpCount++;
        }
      } else if (flag > 0) {
        if (ipCount < MAX_CODED_FLAGS) ipCode = ipCode * 16 + flag;
        else ipText = `${ipCount === MAX_CODED_FLAGS ? spelled(ipCode) : ipText} ${FLAG_NAMES[flag - 1]!}`;
        ipCount++;
      } else if (i - pos === 10 && message.startsWith('INCOMPLETE', pos)) {
        incomplete = true;
      }
      pos = i + 1;
      continue;
    }
    const eq = i;
    const from = eq + 1;
    // Every case reads its value up to the next space and leaves where it ended in valueStop.
    switch (keyOf(code, eq - pos, message, pos)) {
      case 0 /* IN */: inIf = textAt(message, from, end); break;
      case 1 /* OUT */: outIf = textAt(message, from, end); break;
      case 2 /* PHYSIN */: fields['netfilter.physin'] = textAt(message, from, end); break;
      case 3 /* PHYSOUT */: fields['netfilter.physout'] = textAt(message, from, end); break;
      case 4 /* MAC */: setMac(fields, textAt(message, from, end)); break;
      case 5 /* SRC */: fields['source.ip'] = address(textAt(message, from, end)); break;
      case 6 /* DST */: fields['destination.ip'] = address(textAt(message, from, end)); break;
      case 7 /* LEN */: {
        const v = numberAt(message, from, end);
        if (v !== undefined && !sawIpLen) fields['network.packet_length'] = v;
        else if (v !== undefined) fields['netfilter.payload_length'] = v;
        sawIpLen = true;
        break;
      }
      case 8 /* ID */: {
        const v = numberAt(message, from, end);
        if (v !== undefined && !sawIpId) fields['netfilter.ip_id'] = v;
        else if (v !== undefined) fields['netfilter.icmp_id'] = v;
        sawIpId = true;
        break;
      }
      case 9 /* TOS */: fields['netfilter.tos'] = hexByteAt(message, from, end); break;
      case 10 /* PREC */: fields['netfilter.prec'] = hexByteAt(message, from, end); break;
      case 11 /* TTL */: { const v = numberAt(message, from, end); if (v !== undefined) fields['netfilter.ttl'] = v; break; }
      case 12 /* HOPLIMIT */: { const v = numberAt(message, from, end); if (v !== undefined) fields['netfilter.ttl'] = v; break; }
      case 13 /* TC */: { const v = numberAt(message, from, end); if (v !== undefined) fields['netfilter.tc'] = v; break; }
      case 14 /* FLOWLBL */: { const v = numberAt(message, from, end); if (v !== undefined) fields['netfilter.flow_label'] = v; break; }
      case 15 /* PROTO */: {
        const value = protoAt(message, from, end);
        if (proto === '') {
          proto = value;
          isTcp = proto === 'TCP';
          fields['network.transport'] = transportName(proto);
        }
        break;
      }
      case 16 /* SPT */: { const v = numberAt(message, from, end); if (v !== undefined) fields['source.port'] = v; break; }
      case 17 /* DPT */: { const v = numberAt(message, from, end); if (v !== undefined) fields['destination.port'] = v; break; }
      case 18 /* SEQ */: { const v = numberAt(message, from, end); if (v !== undefined) fields['netfilter.tcp_seq'] = v; break; }
      case 19 /* ACK */: { const v = numberAt(message, from, end); if (v !== undefined) fields['netfilter.tcp_ack'] = v; break; }
      case 20 /* WINDOW */: { const v = numberAt(message, from, end); if (v !== undefined) fields['netfilter.tcp_window'] = v; break; }
      case 21 /* RES */: fields['netfilter.tcp_res'] = hexByteAt(message, from, end); break;
      case 22 /* URGP */: { const v = numberAt(message, from, end); if (v !== undefined) fields['netfilter.tcp_urgp'] = v; break; }
      case 23 /* TYPE */: { const v = numberAt(message, from, end); if (v !== undefined) fields['icmp.type'] = v; break; }
      case 24 /* CODE */: { const v = numberAt(message, from, end); if (v !== undefined) fields['icmp.code'] = v; break; }
      case 25 /* MTU */: { const v = numberAt(message, from, end); if (v !== undefined) fields['netfilter.mtu'] = v; break; }
      case 26 /* UID */: { const v = numberAt(message, from, end); if (v !== undefined) fields['user.id'] = v; break; }
      case 27 /* GID */: { const v = numberAt(message, from, end); if (v !== undefined) fields['group.id'] = v; break; }
      case 28 /* MARK */: fields['netfilter.mark'] = textAt(message, from, end); break;
      default: {
        // Keys of an ICMP error's nested packet (`[SRC=... ]`) and unknown keys are kept raw.
        const name = `netfilter.${message.slice(pos, eq).toLowerCase()}`;
        const value = textAt(message, from, end);
        if (!(name in fields)) fields[name] = value;
      }
    }
    pos = valueStop + 1;
  }
  if (fields['source.ip'] === undefined && fields['destination.ip'] === undefined && inIf === '' && outIf === '') {
    return undefined;
  }
  if (ipCount > 0) fields['netfilter.ip_flags'] = ipCount <= MAX_CODED_FLAGS ? codedFlagList(ipCode) : flagList(ipText);
  if (inIf !== '') fields['observer.ingress.interface.name'] = inIf;
  if (outIf !== '') fields['observer.egress.interface.name'] = outIf;
  fields['network.direction'] = inIf !== '' && outIf === '' ? 'inbound' : outIf !== '' && inIf === '' ? 'outbound' : 'unknown';
  if (inIf !== '' && outIf !== '') fields['netfilter.forwarded'] = true;
  const sourceIp = fields['source.ip'];
  if (typeof sourceIp === 'string') fields['network.type'] = sourceIp.includes(':') ? 'ipv6' : 'ipv4';
  if (tcpCount > 0) fields['netfilter.tcp_flags'] = tcpCount <= MAX_CODED_FLAGS ? codedFlagList(tcpCode) : flagList(tcpText);
  if (incomplete) fields['netfilter.incomplete'] = true;
  return fields;
}

/** Where the value read by textAt, numberAt, protoAt or hexByteAt ended: its space, or the end. */
let valueStop = 0;

/** The value at `from`, up to the next space. */
function textAt(text: string, from: number, end: number): string {
  let stop = text.indexOf(' ', from);
  if (stop < 0) stop = end;
  valueStop = stop;
  return text.slice(from, stop);
}

/**
 * numberOrText of the value at `from`: its digits read as they are scanned, so that a number
 * followed by a space needs no search for that space.
 */
function numberAt(text: string, from: number, end: number): number | string | undefined {
  let n = 0;
  let i = from;
  for (; i < end && i - from < 16; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    n = n * 10 + d;
  }
  if (i > from && i - from <= 15 && (i === end || text.charCodeAt(i) === 32)) {
    valueStop = i;
    return n;
  }
  let stop = text.indexOf(' ', i);
  if (stop < 0) stop = end;
  valueStop = stop;
  return numberOrText(text, from, stop);
}

/** `TCP`, `UDP`, `ICMP`, `ICMPv6` as constants (no slice); anything else sliced. */
function protoAt(text: string, from: number, end: number): string {
  const value = textAt(text, from, end);
  switch (value) {
    case 'TCP': return 'TCP';
    case 'UDP': return 'UDP';
    case 'ICMP': return 'ICMP';
    case 'ICMPv6': return 'ICMPv6';
    default: return value;
  }
}

/** `0x00`-style values (TOS, PREC, RES) repeat: one string per value, bounded. */
const HEX_BYTES = new Map<number, string>();
function hexByteAt(text: string, from: number, end: number): string {
  if (from + 4 <= end && text.charCodeAt(from) === 48 && text.charCodeAt(from + 1) === 120 && (from + 4 === end || text.charCodeAt(from + 4) === 32)) {
    const key = text.charCodeAt(from + 2) * 65536 + text.charCodeAt(from + 3);
    // Neither of the two is a space: the value is these four chars.
    if (key >= 0x210000 && (key & 0xffff) > 32) {
      let value = HEX_BYTES.get(key);
      if (value === undefined) {
        value = text.slice(from, from + 4);
        if (HEX_BYTES.size < MAX_CACHED) HEX_BYTES.set(key, value);
      }
      valueStop = from + 4;
      return value;
    }
  }
  return textAt(text, from, end);
}

/** IPv6 sources and destinations repeat (a handful of hosts and link-local peers): compacted once each, bounded. */
const compactAddresses = new Map<string, string>();

function address(value: string): string {
  if (!value.includes(':')) return value;
  let compact = compactAddresses.get(value);
  if (compact === undefined) {
    compact = compactIpv6(value);
    if (compactAddresses.size >= MAX_CACHED) compactAddresses.clear();
    compactAddresses.set(value, compact);
  }
  return compact;
}

/**
 * A number when text[from, to) reads as a finite one, else the text itself; undefined when empty.
 * Callers store it under a literal key: a store under a computed key turns an object with this
 * many fields into a slow dictionary in V8, and every later step on the event pays for it.
 */
function numberOrText(text: string, from: number, to: number): number | string | undefined {
  if (to <= from) return undefined;
  const digits = digitsValue(text, from, to);
  if (digits >= 0) return digits;
  const value = text.slice(from, to);
  const n = Number(value);
  return Number.isFinite(n) ? n : value;
}

/** `MAC=dst(6 bytes):src(6 bytes):ethertype(2 bytes)`; empty on ppp/lo. */
function setMac(fields: EventFields, value: string): void {
  if (value === '') return;
  const pair = macPair(value);
  if (pair !== null) {
    fields['destination.mac'] = pair[0];
    fields['source.mac'] = pair[1];
  } else {
    fields['netfilter.mac'] = value;
  }
}

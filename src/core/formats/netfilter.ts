import { hasAt } from '../text/has-at';
import type { ParsedFields } from '../model/event';
import { roomyFieldsMaker32 } from './roomy-fields';

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

/**
 * The prefixes seen (text before `IN=`), and what each gives: firewall logs repeat a handful of
 * prefixes. Slots are reused in turn past PREFIX_SLOTS. A prefix findNetfilterBody cut ends with
 * the space of the message's first ` IN=` and so holds no ` IN=` of its own (fromBody).
 */
const PREFIX_SLOTS = 8;
const prefixTexts: string[] = [];
const prefixActions: string[] = [];
const prefixTrims: string[] = [];
const prefixFromBody: boolean[] = [];
/** The dataset of the events of each prefix: `ufw` for a `[UFW ` one. */
const prefixDatasets: string[] = [];
/** event.type of each prefix's action. */
const prefixTypes: (readonly string[])[] = [];
/**
 * Per slot of a prefix findNetfilterBody cut: the text of a message that began with it, up to its
 * first two tokens when they were `IN=... OUT=... ` ('' when not), and their values. A message
 * that begins with that text has that prefix and those interfaces: one indexOf for the prefix
 * compares and the first two tokens. At most one slot's prefix (with IN= after it) begins a
 * message, since such a prefix holds no ` IN=`.
 */
const slotHeads: string[] = [];
const slotHeadIn: string[] = [];
const slotHeadOut: string[] = [];
/** The key of the token after IN= OUT= when the head ends with it (its `MAC=`), else -1. */
const slotHeadKey: number[] = [];
/** Where a head is checked by one char before it is searched for: 3 chars before its IN= (in `[UFW BLOCK] `, the K). */
const slotHeadAt: number[] = [];
let prefixVictim = 0;

/** The message findNetfilterBody last found a body in, and the slot of its prefix. */
let foundMessage: string | undefined;
let foundSlot = 0;

function addPrefix(prefix: string, fromBody: boolean): number {
  let slot = prefixTexts.length;
  if (slot === PREFIX_SLOTS) {
    slot = prefixVictim;
    prefixVictim = (prefixVictim + 1) % PREFIX_SLOTS;
    foundMessage = undefined;
  }
  prefixTexts[slot] = prefix;
  const action = actionFromPrefix(prefix);
  prefixActions[slot] = action;
  prefixTypes[slot] = action === 'allow' ? TYPE_ALLOWED : action === 'block' || action === 'limit-block' ? TYPE_DENIED : TYPE_CONNECTION;
  prefixTrims[slot] = prefix.trim();
  prefixFromBody[slot] = fromBody;
  slotHeads[slot] = '';
  slotHeadIn[slot] = '';
  slotHeadOut[slot] = '';
  slotHeadKey[slot] = -1;
  slotHeadAt[slot] = prefix.length >= 3 ? prefix.length - 3 : 0;
  prefixDatasets[slot] = prefixTrims[slot]!.startsWith('[UFW ') ? 'ufw' : 'iptables';
  return slot;
}

/** Whether `text` starts with `prefix`, compared from its end (UFW prefixes differ near it). */
function startsWithPrefix(text: string, prefix: string): boolean {
  for (let j = prefix.length - 1; j >= 0; j--) if (text.charCodeAt(j) !== prefix.charCodeAt(j)) return false;
  return true;
}

/** Where the netfilter body starts in a kernel message, or -1. */
export function findNetfilterBody(message: string): number {
  if (hasAt(message, 'IN=', 0)) return 0;
  // After a prefix cut here before, `IN=` is the message's first ` IN=` (the prefix ends with the
  // space and holds none): only the ` OUT=` is left to find.
  for (let slot = 0; slot < prefixTexts.length; slot++) {
    const n = prefixTexts[slot]!.length;
    if (prefixFromBody[slot]! && message.charCodeAt(n) === 73 && message.charCodeAt(n + 1) === 78 && message.charCodeAt(n + 2) === 61 && startsWithPrefix(message, prefixTexts[slot]!)) {
      if (message.indexOf(' OUT=', n - 1) < 0) return -1;
      foundMessage = message;
      foundSlot = slot;
      return n;
    }
  }
  const at = message.indexOf(' IN=');
  if (at < 0 || message.indexOf(' OUT=', at) < 0) return -1;
  const slot = addPrefix(message.slice(0, at + 1), true);
  foundMessage = message;
  foundSlot = slot;
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

/**
 * The first chars of text[from, to), up to 4, packed 7 bits each (`IN` is 73 * 128 + 78); -1 when
 * one of them is not ASCII. With the length, exact for a key of up to 4 chars; with the next 4
 * packed the same way, for a key of up to 8 (the longest is HOPLIMIT).
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
 * NETFILTER_KEYS by a perfect hash of (packed first 4 chars + length) into 64 slots, each slot
 * with what its key packs to: the lookup is a few loads, not a chain of compares. The multiplier
 * was searched for; the table checks at load that no two keys share a slot.
 */
const KEY_HASH = 1104359;
const slotKeys = new Int8Array(64).fill(-1);
const slotCodes = new Int32Array(64).fill(-1);
const slotCodes2 = new Int32Array(64);
const slotLengths = new Int8Array(64);

function keySlot(code: number, n: number): number {
  return Math.imul(code + n, KEY_HASH) >>> 26;
}

for (const [index, key] of NETFILTER_KEYS.entries()) {
  const code = packedAt(key, 0, key.length);
  const slot = keySlot(code, key.length);
  if (slotKeys[slot] !== -1) throw new Error(`netfilter keys share slot ${slot}`);
  slotKeys[slot] = index;
  slotCodes[slot] = code;
  slotCodes2[slot] = packedAt(key, 4, key.length);
  slotLengths[slot] = key.length;
}

/** The index in NETFILTER_KEYS of the key of length `n` whose first 4 chars pack to `code` (-1: not ASCII) and next 4 to `code2`, or -1. */
function keyIndex(code: number, code2: number, n: number): number {
  const slot = keySlot(code, n);
  return slotCodes[slot] === code && slotLengths[slot] === n && slotCodes2[slot] === code2 ? slotKeys[slot]! : -1;
}

/**
 * The index in NETFILTER_KEYS of the key text[from, to), or -1: what `NETFILTER_KEYS.indexOf(slice)`
 * gives, without cutting the slice and comparing it with every key.
 */
export function netfilterKeyAt(text: string, from: number, to: number): number {
  const code2 = to - from > 4 ? packedAt(text, from + 4, to) : 0;
  return code2 < 0 ? -1 : keyIndex(packedAt(text, from, to), code2, to - from);
}

/** The keys whose value numberAt reads, and those hexByteAt reads, as bits of their index. */
const NUMBER_KEYS = [7, 8, 11, 12, 13, 14, 16, 17, 18, 19, 20, 22, 23, 24, 25, 26, 27].reduce((bits, key) => bits | (1 << key), 0);
const HEX_KEYS = (1 << 9) | (1 << 10) | (1 << 21);

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

/** The lists of up to 3 flags (codes below 4096), by code: an array slot rather than a Map lookup. */
const SHORT_FLAG_LISTS: (readonly string[] | undefined)[] = new Array<readonly string[] | undefined>(4096).fill(undefined);

function codedFlagList(code: number): readonly string[] {
  if (code < 4096) {
    let short = SHORT_FLAG_LISTS[code];
    if (short === undefined) SHORT_FLAG_LISTS[code] = short = Object.freeze(spelled(code).split(' '));
    return short;
  }
  let list = codedFlagLists.get(code);
  if (list === undefined) {
    list = Object.freeze(spelled(code).split(' '));
    if (codedFlagLists.size < MAX_CACHED) codedFlagLists.set(code, list);
  }
  return list;
}

/**
 * Room in the object for the fields a firewall event ends up with: 24-25 from here and 4-5 the
 * syslog envelope adds (host, process, uptime, message). roomyFieldsMaker's 24 leave those to a
 * separate store (A/B parse 1.02x with 32; 40 was slower).
 */
const newNetfilterFields = roomyFieldsMaker32();



/**
 * Parses a netfilter LOG body (starting at the prefix). Returns undefined if there is no
 * `IN=`/`OUT=` pair. The prefix (text before `IN=`) gives the action.
 */
export function parseNetfilter(message: string): ParsedFields | undefined {
  const bodyStart = findNetfilterBody(message);
  return bodyStart < 0 ? undefined : parseNetfilterAt(message, bodyStart);
}

/**
 * parseNetfilter where findNetfilterBody already gave `bodyStart` (>= 0). Tokens are read in
 * place with indexOf and char codes (this runs on most lines of a firewall log).
 */
export function parseNetfilterAt(message: string, bodyStart: number): ParsedFields | undefined {
  const slot = message === foundMessage && prefixTexts[foundSlot]!.length === bodyStart ? foundSlot : slotOfPrefix(message, bodyStart);
  return parseBody(message, bodyStart, slot, false, 0, '', '', -1);
}

/** The slot of the prefix message[0, bodyStart), added if new. */
function slotOfPrefix(message: string, bodyStart: number): number {
  for (let k = 0; k < prefixTexts.length; k++) if (prefixTexts[k]!.length === bodyStart && startsWithPrefix(message, prefixTexts[k]!)) return k;
  return addPrefix(message.slice(0, bodyStart), false);
}

/**
 * What netfilterMessages gives for a kernel message: parseNetfilter's fields and the dataset of
 * their prefix, in one pass. Where findNetfilterBody would search for the ` OUT=` after a prefix
 * it knows, the body's tokens tell instead: every space of the body ends a token, so a ` OUT=`
 * there is a token with the key OUT.
 */
export function parseNetfilterEvent(message: string): { readonly dataset: string; readonly fields: ParsedFields } | undefined {
  let slot = -1;
  let bodyStart = 0;
  let needOut = false;
  for (let k = 0; k < slotHeads.length; k++) {
    const head = slotHeads[k]!;
    const n = prefixTexts[k]!.length;
    const at = slotHeadAt[k]!;
    if (head !== '' && message.charCodeAt(n) === 73 && message.charCodeAt(at) === head.charCodeAt(at) && message.indexOf(head) === 0) {
      const fields = parseBody(message, n, k, false, head.length, slotHeadIn[k]!, slotHeadOut[k]!, slotHeadKey[k]!);
      return fields === undefined ? undefined : { dataset: prefixDatasets[k]!, fields };
    }
  }
  if (hasAt(message, 'IN=', 0)) {
    slot = slotOfPrefix(message, 0);
  } else {
    for (let k = 0; k < prefixTexts.length; k++) {
      const n = prefixTexts[k]!.length;
      if (prefixFromBody[k]! && message.charCodeAt(n) === 73 && message.charCodeAt(n + 1) === 78 && message.charCodeAt(n + 2) === 61 && startsWithPrefix(message, prefixTexts[k]!)) {
        slot = k;
        bodyStart = n;
        needOut = true;
        break;
      }
    }
    if (slot < 0) {
      const at = message.indexOf(' IN=');
      if (at < 0 || message.indexOf(' OUT=', at) < 0) return undefined;
      slot = addPrefix(message.slice(0, at + 1), true);
      bodyStart = at + 1;
    }
  }
  const fields = parseBody(message, bodyStart, slot, needOut, needOut ? -1 : 0, '', '', -1);
  // The prefix's dataset is that of netfilter.prefix: where a `PREFIX=` token gives that field
  // instead (no prefix of its own), its value holds no space and so never starts with `[UFW `.
  return fields === undefined ? undefined : { dataset: prefixDatasets[slot]!, fields };
}

/**
 * parseNetfilterAt once the prefix's slot is known; with `needOut`, undefined when no token has the
 * key OUT. `headEnd` > 0: the slot's head begins the message and ends there, IN and OUT read as
 * `headIn` and `headOut`, and the value of a `headKey` token begins there (>= 0); -1: the slot's
 * head is to be kept from this message.
 */
function parseBody(message: string, bodyStart: number, slot: number, needOut: boolean, headEnd: number, headIn: string, headOut: string, headKey: number): ParsedFields | undefined {
  const action = prefixActions[slot]!;
  const trimmed = prefixTrims[slot]!;
  const fields = newNetfilterFields();
  fields['event.action'] = action;
  fields['event.category'] = NETWORK;
  fields['event.type'] = prefixTypes[slot]!;
  if (trimmed !== '') fields['netfilter.prefix'] = trimmed;

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
  let inIf = headIn;
  let outIf = headOut;
  let incomplete = false;
  let hasSource = false;
  let sourceV6 = false;
  let sawOut = headEnd > 0;
  // Where the TOS= value began, and where the token after it begins, and what it read as.
  let tosFrom = -1;
  let tosEnd = -1;
  let tosRead = '';
  let precEnd = -1;
  // Where the token after a DF begins, and the token after a PROTO= there.
  let dfEnd = -1;
  let protoEnd = -1;
  let protoRead = '';
  // Where the value of the token after IN= OUT= begins, and its key.
  let afterOutFrom = -1;
  let afterOutKey = -1;
  // >= 0: a memo (head, TOS=, DF) ended with this key's `KEY=`, and pos is at its value.
  let knownKey = headKey;
  // Where the first token ended when it was IN=, and the second when it was OUT= after it.
  let inEnd = -1;
  let outEnd = -1;
  const end = message.length;
  let pos = headEnd > 0 ? headEnd : bodyStart;
  // A known key's value may be empty at the end of the line (`SRC=`): it is still read.
  while (pos < end || knownKey >= 0) {
    let key: number;
    let from: number;
    let eq: number;
    // Where this token begins; -1 when a memo read its key.
    let tokenStart = pos;
    if (knownKey >= 0) {
      key = knownKey;
      knownKey = -1;
      tokenStart = -1;
      from = pos;
      eq = pos - 1;
    } else {
    // One pass over the token's key (or bare flag) up to `=` or a space: its first chars packed as
    // packedAt does, no indexOf for the `=`.
    let i = pos;
    let c = 0;
    let code = 0;
    let code2 = 0;
    let wide = 0;
    for (; i < end; i++) {
      c = message.charCodeAt(i);
      if (c === 32 || c === 61) break;
      const k = i - pos;
      // Shifts keep these int32 (what code * 128 + c gives while every char is ASCII; `wide` tells).
      if (k < 4) {
        code = (code << 7) | c;
        wide |= c;
      } else if (k < 8) {
        code2 = (code2 << 7) | c;
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
        if (flag === 10 /* DF */ && i < end) {
          pos = i + 1;
          if (dfText !== '' && message.charCodeAt(pos) === dfText.charCodeAt(0) && message.indexOf(dfText, pos) === pos) {
            // The PROTO= of the line before (and the key after it): as the PROTO case reads it.
            if (proto === '') {
              proto = dfProto;
              isTcp = proto === 'TCP';
              fields['network.transport'] = transportName(proto);
            }
            pos += dfText.length;
            knownKey = dfNextKey;
          } else {
            dfEnd = pos;
          }
          continue;
        }
      } else if (i - pos === 10 && hasAt(message, 'INCOMPLETE', pos)) {
        incomplete = true;
      }
      pos = i + 1;
      continue;
    }
    eq = i;
    from = eq + 1;
    // Every case reads its value up to the next space and leaves where it ended in valueStop. One
    // call site each for numberAt and hexByteAt, so that V8 inlines them.
    key = keyIndex(code, code2, eq - pos);
    // The token after a memo's last one: the memo is kept up to this key's `=`.
    if (key >= 0) {
      if (pos === outEnd) {
        afterOutFrom = from;
        afterOutKey = key;
      } else if (pos === precEnd) {
        tosPrecText = message.slice(tosFrom, from);
        tosNextKey = key;
      } else if (pos === protoEnd) {
        dfText = message.slice(dfEnd, from);
        dfProto = protoRead;
        dfNextKey = key;
      }
    }
    }
    if (key >= 0 && ((NUMBER_KEYS >>> key) & 1) !== 0) {
      const v = numberAt(message, from, end);
      if (v !== undefined) {
        switch (key) {
          case 7 /* LEN */: if (!sawIpLen) fields['network.packet_length'] = v; else fields['netfilter.payload_length'] = v; break;
          case 8 /* ID */: if (!sawIpId) fields['netfilter.ip_id'] = v; else fields['netfilter.icmp_id'] = v; break;
          case 11 /* TTL */: fields['netfilter.ttl'] = v; break;
          case 12 /* HOPLIMIT */: fields['netfilter.ttl'] = v; break;
          case 13 /* TC */: fields['netfilter.tc'] = v; break;
          case 14 /* FLOWLBL */: fields['netfilter.flow_label'] = v; break;
          case 16 /* SPT */: fields['source.port'] = v; break;
          case 17 /* DPT */: fields['destination.port'] = v; break;
          case 18 /* SEQ */: fields['netfilter.tcp_seq'] = v; break;
          case 19 /* ACK */: fields['netfilter.tcp_ack'] = v; break;
          case 20 /* WINDOW */: fields['netfilter.tcp_window'] = v; break;
          case 22 /* URGP */: fields['netfilter.tcp_urgp'] = v; break;
          case 23 /* TYPE */: fields['icmp.type'] = v; break;
          case 24 /* CODE */: fields['icmp.code'] = v; break;
          case 25 /* MTU */: fields['netfilter.mtu'] = v; break;
          case 26 /* UID */: fields['user.id'] = v; break;
          default /* 27 GID */: fields['group.id'] = v;
        }
      }
      if (key === 7) sawIpLen = true;
      else if (key === 8) sawIpId = true;
      pos = valueStop + 1;
      continue;
    }
    if (key >= 0 && ((HEX_KEYS >>> key) & 1) !== 0) {
      if (key === 9 && tosPrecText !== '' && message.charCodeAt(from + 3) === tosPrecText.charCodeAt(3) && message.indexOf(tosPrecText, from) === from) {
        fields['netfilter.tos'] = tosValue;
        fields['netfilter.prec'] = precValue;
        pos = from + tosPrecText.length;
        knownKey = tosNextKey;
        continue;
      }
      const v = hexByteAt(message, from, end);
      if (key === 9) {
        fields['netfilter.tos'] = v;
        tosFrom = from;
        tosEnd = valueStop + 1;
        tosRead = v;
      } else if (key === 10) {
        fields['netfilter.prec'] = v;
        if (tokenStart === tosEnd && valueStop < end) {
          tosPrecText = message.slice(tosFrom, valueStop + 1);
          tosValue = tosRead;
          precValue = v;
          tosNextKey = -1;
          precEnd = valueStop + 1;
        }
      } else {
        fields['netfilter.tcp_res'] = v;
      }
      pos = valueStop + 1;
      continue;
    }
    switch (key) {
      case 0 /* IN */:
        inIf = textAt(message, from, end);
        if (tokenStart === bodyStart && valueStop < end) {
          inEnd = valueStop + 1;
          headIn = inIf;
        }
        break;
      case 1 /* OUT */:
        outIf = textAt(message, from, end);
        sawOut = true;
        if (tokenStart === inEnd && valueStop < end) {
          outEnd = valueStop + 1;
          headOut = outIf;
        }
        break;
      case 2 /* PHYSIN */: fields['netfilter.physin'] = textAt(message, from, end); break;
      case 3 /* PHYSOUT */: fields['netfilter.physout'] = textAt(message, from, end); break;
      case 4 /* MAC */: setMacAt(fields, message, from, end); break;
      case 5 /* SRC */: {
        const value = textAt(message, from, end);
        sourceV6 = value.includes(':');
        fields['source.ip'] = sourceV6 ? compactAddress(value) : value;
        hasSource = true;
        break;
      }
      case 6 /* DST */: fields['destination.ip'] = address(textAt(message, from, end)); break;
      case 15 /* PROTO */: {
        const value = protoAt(message, from, end);
        if (tokenStart === dfEnd && valueStop < end) {
          protoEnd = valueStop + 1;
          protoRead = value;
        }
        if (proto === '') {
          proto = value;
          isTcp = proto === 'TCP';
          fields['network.transport'] = transportName(proto);
        }
        break;
      }
      case 28 /* MARK */: fields['netfilter.mark'] = textAt(message, from, end); break;
      default: {
        // Keys of an ICMP error's nested packet (`[SRC=... ]`) and unknown keys are kept raw.
        const name = `netfilter.${message.slice(tokenStart, eq).toLowerCase()}`;
        const value = textAt(message, from, end);
        if (!(name in fields)) fields[name] = value;
      }
    }
    pos = valueStop + 1;
  }
  if (needOut && !sawOut) return undefined;
  if (headEnd < 0 && outEnd > 0) {
    slotHeads[slot] = message.slice(0, afterOutFrom > 0 ? afterOutFrom : outEnd);
    slotHeadKey[slot] = afterOutFrom > 0 ? afterOutKey : -1;
    slotHeadIn[slot] = headIn;
    slotHeadOut[slot] = headOut;
  }
  if (fields['source.ip'] === undefined && fields['destination.ip'] === undefined && inIf === '' && outIf === '') {
    return undefined;
  }
  if (ipCount > 0) fields['netfilter.ip_flags'] = ipCount <= MAX_CODED_FLAGS ? codedFlagList(ipCode) : flagList(ipText);
  if (inIf !== '') fields['observer.ingress.interface.name'] = inIf;
  if (outIf !== '') fields['observer.egress.interface.name'] = outIf;
  fields['network.direction'] = inIf !== '' && outIf === '' ? 'inbound' : outIf !== '' && inIf === '' ? 'outbound' : 'unknown';
  if (inIf !== '' && outIf !== '') fields['netfilter.forwarded'] = true;
  // A compacted address keeps its colons: the type of the source as read.
  if (hasSource) fields['network.type'] = sourceV6 ? 'ipv6' : 'ipv4';
  if (tcpCount > 0) fields['netfilter.tcp_flags'] = tcpCount <= MAX_CODED_FLAGS ? codedFlagList(tcpCode) : flagList(tcpText);
  if (incomplete) fields['netfilter.incomplete'] = true;
  return fields;
}

/**
 * The text from a TOS= value through the PREC= token right after it (`0x00 PREC=0x00 `, on nearly
 * every IPv4 line), and what the two read as: found again at a TOS= value, one indexOf for both.
 */
let tosPrecText = '';
let tosValue = '';
let precValue = '';
/** The key whose `KEY=` ends tosPrecText, or -1. */
let tosNextKey = -1;
/**
 * The same after a DF token: the PROTO= token after it and the next token's `KEY=`
 * (`PROTO=TCP SPT=`), what PROTO= read as, and that key.
 */
let dfText = '';
let dfProto = '';
let dfNextKey = -1;

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
/** `0x` and two printable ASCII chars (33-126), by (first - 33) * 94 + second - 33; '' until seen. */
const PRINTABLE_PAIRS: string[] = new Array<string>(94 * 94).fill('');
function hexByteAt(text: string, from: number, end: number): string {
  if (from + 4 <= end && text.charCodeAt(from) === 48 && text.charCodeAt(from + 1) === 120 && (from + 4 === end || text.charCodeAt(from + 4) === 32)) {
    const key = text.charCodeAt(from + 2) * 65536 + text.charCodeAt(from + 3);
    // Neither of the two is a space: the value is these four chars.
    if (key >= 0x210000 && (key & 0xffff) > 32) {
      valueStop = from + 4;
      const high = (key >>> 16) - 33;
      const low = (key & 0xffff) - 33;
      if (high < 94 && low < 94) {
        // Printable ASCII, as hex digits are: an array slot rather than a Map lookup.
        const slot = high * 94 + low;
        let text4 = PRINTABLE_PAIRS[slot]!;
        if (text4 === '') PRINTABLE_PAIRS[slot] = text4 = text.slice(from, from + 4);
        return text4;
      }
      let value = HEX_BYTES.get(key);
      if (value === undefined) {
        value = text.slice(from, from + 4);
        if (HEX_BYTES.size < MAX_CACHED) HEX_BYTES.set(key, value);
      }
      return value;
    }
  }
  return textAt(text, from, end);
}

/** IPv6 sources and destinations repeat (a handful of hosts and link-local peers): compacted once each, bounded. */
const compactAddresses = new Map<string, string>();

function address(value: string): string {
  return value.includes(':') ? compactAddress(value) : value;
}

function compactAddress(value: string): string {
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

/**
 * MAC= values seen, in a direct-mapped table slotted by a few of their chars: a value found there
 * (same chars, then a space or the end) is known without a slice and its string hash. Bounded by
 * its size; pairs of values that share a slot just take turns.
 */
const MAC_SLOTS = 1024;
const macValues: string[] = new Array<string>(MAC_SLOTS).fill('');
const macValuePairs: (readonly [string, string] | null)[] = new Array<readonly [string, string] | null>(MAC_SLOTS).fill(null);

/**
 * The MAC= value at `from` (`dst(6 bytes):src(6 bytes):ethertype(2 bytes)`; empty on ppp/lo) as
 * destination.mac and source.mac, or kept raw; leaves its end in valueStop.
 */
function setMacAt(fields: ParsedFields, text: string, from: number, end: number): void {
  // Chars 15-16 and 33-34 end the two addresses of a 14-byte value, char 40 its ethertype (08:00 or
  // 86:dd: a host's IPv4 and IPv6 packets); past the end they read as 0.
  const slot = ((text.charCodeAt(from + 16) | 0) * 31 + (text.charCodeAt(from + 15) | 0) + (text.charCodeAt(from + 34) | 0) * 961 + (text.charCodeAt(from + 33) | 0) * 29791 + (text.charCodeAt(from + 40) | 0) * 7) & (MAC_SLOTS - 1);
  const known = macValues[slot]!;
  const stop = from + known.length;
  let pair: readonly [string, string] | null;
  // A known value has no space: followed by one (or the end), it is the whole value.
  if (stop > from && stop <= end && (stop === end || text.charCodeAt(stop) === 32) && text.slice(from, stop) === known) {
    valueStop = stop;
    pair = macValuePairs[slot]!;
  } else {
    const value = textAt(text, from, end);
    if (value === '') return;
    pair = macPair(value);
    macValues[slot] = value;
    macValuePairs[slot] = pair;
  }
  if (pair !== null) {
    fields['destination.mac'] = pair[0];
    fields['source.mac'] = pair[1];
  } else {
    fields['netfilter.mac'] = text.slice(from, valueStop);
  }
}

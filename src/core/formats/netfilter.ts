import type { EventFields } from '../model/event';

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

const TCP_FLAGS = new Set(['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN', 'AE']);

/** Where the netfilter body starts in a kernel message, or -1. */
export function findNetfilterBody(message: string): number {
  if (message.startsWith('IN=')) return 0;
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

/** Length and first three chars of each key, packed, -> its index in NETFILTER_KEYS. */
const KEY_CODES = new Map<number, number>(NETFILTER_KEYS.map((key, i) => [keyCode(key, 0, key.length), i]));

function keyCode(text: string, from: number, to: number): number {
  const n = to - from;
  const c1 = n > 1 ? text.charCodeAt(from + 1) : 0;
  const c2 = n > 2 ? text.charCodeAt(from + 2) : 0;
  // Only ASCII letters matter: a wider char cannot be a key, and & 0x7f keeps the code exact for those.
  return ((n & 0xff) << 21) | ((text.charCodeAt(from) & 0x7f) << 14) | ((c1 & 0x7f) << 7) | (c2 & 0x7f);
}

/**
 * The index in NETFILTER_KEYS of the key text[from, to), or -1: what `NETFILTER_KEYS.indexOf(slice)`
 * gives, without cutting the slice and comparing it with every key (it runs for each token of
 * most lines of a firewall log).
 */
export function netfilterKeyAt(text: string, from: number, to: number): number {
  const index = KEY_CODES.get(keyCode(text, from, to));
  if (index === undefined) return -1;
  const key = NETFILTER_KEYS[index]!;
  return key.length === to - from && text.startsWith(key, from) ? index : -1;
}

/**
 * Parses a netfilter LOG body (starting at the prefix). Returns undefined if there is no
 * `IN=`/`OUT=` pair. The prefix (text before `IN=`) gives the action. Tokens are read in place
 * with indexOf (this runs on most lines of a firewall log).
 */
export function parseNetfilter(message: string): EventFields | undefined {
  const bodyStart = findNetfilterBody(message);
  if (bodyStart < 0) return undefined;
  const prefix = message.slice(0, bodyStart);
  const fields: EventFields = {};
  const action = actionFromPrefix(prefix);
  fields['event.action'] = action;
  fields['event.category'] = NETWORK;
  fields['event.type'] = action === 'allow' ? TYPE_ALLOWED : action === 'block' || action === 'limit-block' ? TYPE_DENIED : TYPE_CONNECTION;
  const trimmedPrefix = prefix.trim();
  if (trimmedPrefix !== '') fields['netfilter.prefix'] = trimmedPrefix;

  let tcpFlags = '';
  let ipFlags = '';
  let sawIpLen = false;
  let sawIpId = false;
  let proto = '';
  let inIf = '';
  let outIf = '';
  let incomplete = false;
  const end = message.length;
  let pos = bodyStart;
  while (pos < end) {
    let stop = message.indexOf(' ', pos);
    if (stop < 0) stop = end;
    if (stop === pos) {
      pos++;
      continue;
    }
    const eq = message.indexOf('=', pos);
    if (eq < 0 || eq >= stop) {
      const token = message.slice(pos, stop);
      if (TCP_FLAGS.has(token) && proto === 'TCP') tcpFlags = tcpFlags === '' ? token : `${tcpFlags} ${token}`;
      else if (token === 'DF' || token === 'MF' || token === 'CE') ipFlags = ipFlags === '' ? token : `${ipFlags} ${token}`;
      else if (token === 'INCOMPLETE') incomplete = true;
      pos = stop + 1;
      continue;
    }
    const from = eq + 1;
    switch (netfilterKeyAt(message, pos, eq)) {
      case 0 /* IN */: inIf = message.slice(from, stop); break;
      case 1 /* OUT */: outIf = message.slice(from, stop); break;
      case 2 /* PHYSIN */: fields['netfilter.physin'] = message.slice(from, stop); break;
      case 3 /* PHYSOUT */: fields['netfilter.physout'] = message.slice(from, stop); break;
      case 4 /* MAC */: setMac(fields, message.slice(from, stop)); break;
      case 5 /* SRC */: fields['source.ip'] = address(message.slice(from, stop)); break;
      case 6 /* DST */: fields['destination.ip'] = address(message.slice(from, stop)); break;
      case 7 /* LEN */: {
        const v = numberOrText(message, from, stop);
        if (v !== undefined && !sawIpLen) fields['network.packet_length'] = v;
        else if (v !== undefined) fields['netfilter.payload_length'] = v;
        sawIpLen = true;
        break;
      }
      case 8 /* ID */: {
        const v = numberOrText(message, from, stop);
        if (v !== undefined && !sawIpId) fields['netfilter.ip_id'] = v;
        else if (v !== undefined) fields['netfilter.icmp_id'] = v;
        sawIpId = true;
        break;
      }
      case 9 /* TOS */: fields['netfilter.tos'] = message.slice(from, stop); break;
      case 10 /* PREC */: fields['netfilter.prec'] = message.slice(from, stop); break;
      case 11 /* TTL */: { const v = numberOrText(message, from, stop); if (v !== undefined) fields['netfilter.ttl'] = v; break; }
      case 12 /* HOPLIMIT */: { const v = numberOrText(message, from, stop); if (v !== undefined) fields['netfilter.ttl'] = v; break; }
      case 13 /* TC */: { const v = numberOrText(message, from, stop); if (v !== undefined) fields['netfilter.tc'] = v; break; }
      case 14 /* FLOWLBL */: { const v = numberOrText(message, from, stop); if (v !== undefined) fields['netfilter.flow_label'] = v; break; }
      case 15 /* PROTO */:
        if (proto === '') { proto = message.slice(from, stop); fields['network.transport'] = transportName(proto); }
        break;
      case 16 /* SPT */: { const v = numberOrText(message, from, stop); if (v !== undefined) fields['source.port'] = v; break; }
      case 17 /* DPT */: { const v = numberOrText(message, from, stop); if (v !== undefined) fields['destination.port'] = v; break; }
      case 18 /* SEQ */: { const v = numberOrText(message, from, stop); if (v !== undefined) fields['netfilter.tcp_seq'] = v; break; }
      case 19 /* ACK */: { const v = numberOrText(message, from, stop); if (v !== undefined) fields['netfilter.tcp_ack'] = v; break; }
      case 20 /* WINDOW */: { const v = numberOrText(message, from, stop); if (v !== undefined) fields['netfilter.tcp_window'] = v; break; }
      case 21 /* RES */: fields['netfilter.tcp_res'] = message.slice(from, stop); break;
      case 22 /* URGP */: { const v = numberOrText(message, from, stop); if (v !== undefined) fields['netfilter.tcp_urgp'] = v; break; }
      case 23 /* TYPE */: { const v = numberOrText(message, from, stop); if (v !== undefined) fields['icmp.type'] = v; break; }
      case 24 /* CODE */: { const v = numberOrText(message, from, stop); if (v !== undefined) fields['icmp.code'] = v; break; }
      case 25 /* MTU */: { const v = numberOrText(message, from, stop); if (v !== undefined) fields['netfilter.mtu'] = v; break; }
      case 26 /* UID */: { const v = numberOrText(message, from, stop); if (v !== undefined) fields['user.id'] = v; break; }
      case 27 /* GID */: { const v = numberOrText(message, from, stop); if (v !== undefined) fields['group.id'] = v; break; }
      case 28 /* MARK */: fields['netfilter.mark'] = message.slice(from, stop); break;
      default: {
        // Keys of an ICMP error's nested packet (`[SRC=... ]`) and unknown keys are kept raw.
        const name = `netfilter.${message.slice(pos, eq).toLowerCase()}`;
        if (!(name in fields)) fields[name] = message.slice(from, stop);
      }
    }
    pos = stop + 1;
  }
  if (fields['source.ip'] === undefined && fields['destination.ip'] === undefined && inIf === '' && outIf === '') {
    return undefined;
  }
  if (ipFlags !== '') fields['netfilter.ip_flags'] = flagList(ipFlags);
  if (inIf !== '') fields['observer.ingress.interface.name'] = inIf;
  if (outIf !== '') fields['observer.egress.interface.name'] = outIf;
  fields['network.direction'] = inIf !== '' && outIf === '' ? 'inbound' : outIf !== '' && inIf === '' ? 'outbound' : 'unknown';
  if (inIf !== '' && outIf !== '') fields['netfilter.forwarded'] = true;
  const sourceIp = fields['source.ip'];
  if (typeof sourceIp === 'string') fields['network.type'] = sourceIp.includes(':') ? 'ipv6' : 'ipv4';
  if (tcpFlags !== '') fields['netfilter.tcp_flags'] = flagList(tcpFlags);
  if (incomplete) fields['netfilter.incomplete'] = true;
  return fields;
}

function address(value: string): string {
  return value.includes(':') ? compactIpv6(value) : value;
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

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

/**
 * Parses a netfilter LOG body (starting at the prefix). Returns undefined if there is no
 * `IN=`/`OUT=` pair. The prefix (text before `IN=`) gives the action.
 */
export function parseNetfilter(message: string): EventFields | undefined {
  const bodyStart = findNetfilterBody(message);
  if (bodyStart < 0) return undefined;
  const prefix = message.slice(0, bodyStart);
  const fields: EventFields = {};
  const action = actionFromPrefix(prefix);
  fields['event.action'] = action;
  fields['event.category'] = ['network'];
  fields['event.type'] = action === 'allow' ? ['connection', 'allowed'] : action === 'block' || action === 'limit-block' ? ['connection', 'denied'] : ['connection'];
  if (prefix.trim() !== '') fields['netfilter.prefix'] = prefix.trim();

  const tcpFlags: string[] = [];
  let sawIpLen = false;
  let sawIpId = false;
  let proto = '';
  let inIf = '';
  let outIf = '';
  let incomplete = false;
  const tokens = message.slice(bodyStart).split(' ');
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '') continue;
    const eq = token.indexOf('=');
    if (eq < 0) {
      if (TCP_FLAGS.has(token) && proto === 'TCP') tcpFlags.push(token);
      else if (token === 'DF' || token === 'MF' || token === 'CE') fields[`netfilter.ip_flags`] = appendFlag(fields['netfilter.ip_flags'], token);
      else if (token === 'INCOMPLETE') incomplete = true;
      continue;
    }
    const key = token.slice(0, eq);
    const value = token.slice(eq + 1);
    switch (key) {
      case 'IN': inIf = value; break;
      case 'OUT': outIf = value; break;
      case 'PHYSIN': fields['netfilter.physin'] = value; break;
      case 'PHYSOUT': fields['netfilter.physout'] = value; break;
      case 'MAC': setMac(fields, value); break;
      case 'SRC': fields['source.ip'] = value.includes(':') ? compactIpv6(value) : value; break;
      case 'DST': fields['destination.ip'] = value.includes(':') ? compactIpv6(value) : value; break;
      case 'LEN':
        if (!sawIpLen) { sawIpLen = true; setNumber(fields, 'network.packet_length', value); }
        else setNumber(fields, 'netfilter.payload_length', value);
        break;
      case 'ID':
        if (!sawIpId) { sawIpId = true; setNumber(fields, 'netfilter.ip_id', value); }
        else setNumber(fields, 'netfilter.icmp_id', value);
        break;
      case 'TOS': fields['netfilter.tos'] = value; break;
      case 'PREC': fields['netfilter.prec'] = value; break;
      case 'TTL': setNumber(fields, 'netfilter.ttl', value); break;
      case 'HOPLIMIT': setNumber(fields, 'netfilter.ttl', value); break;
      case 'TC': setNumber(fields, 'netfilter.tc', value); break;
      case 'FLOWLBL': setNumber(fields, 'netfilter.flow_label', value); break;
      case 'PROTO':
        if (proto === '') { proto = value; fields['network.transport'] = transportName(value); }
        break;
      case 'SPT': setNumber(fields, 'source.port', value); break;
      case 'DPT': setNumber(fields, 'destination.port', value); break;
      case 'SEQ': setNumber(fields, 'netfilter.tcp_seq', value); break;
      case 'ACK': setNumber(fields, 'netfilter.tcp_ack', value); break;
      case 'WINDOW': setNumber(fields, 'netfilter.tcp_window', value); break;
      case 'RES': fields['netfilter.tcp_res'] = value; break;
      case 'URGP': setNumber(fields, 'netfilter.tcp_urgp', value); break;
      case 'TYPE': setNumber(fields, 'icmp.type', value); break;
      case 'CODE': setNumber(fields, 'icmp.code', value); break;
      case 'MTU': setNumber(fields, 'netfilter.mtu', value); break;
      case 'UID': setNumber(fields, 'user.id', value); break;
      case 'GID': setNumber(fields, 'group.id', value); break;
      case 'MARK': fields['netfilter.mark'] = value; break;
      default:
        // Keys of an ICMP error's nested packet (`[SRC=... ]`) and unknown keys are kept raw.
        if (!(`netfilter.${key.toLowerCase()}` in fields)) fields[`netfilter.${key.toLowerCase()}`] = value;
    }
  }
  if (fields['source.ip'] === undefined && fields['destination.ip'] === undefined && inIf === '' && outIf === '') {
    return undefined;
  }
  if (inIf !== '') fields['observer.ingress.interface.name'] = inIf;
  if (outIf !== '') fields['observer.egress.interface.name'] = outIf;
  fields['network.direction'] = inIf !== '' && outIf === '' ? 'inbound' : outIf !== '' && inIf === '' ? 'outbound' : 'unknown';
  if (inIf !== '' && outIf !== '') fields['netfilter.forwarded'] = true;
  const sourceIp = fields['source.ip'];
  if (typeof sourceIp === 'string') fields['network.type'] = sourceIp.includes(':') ? 'ipv6' : 'ipv4';
  if (tcpFlags.length > 0) fields['netfilter.tcp_flags'] = tcpFlags;
  if (incomplete) fields['netfilter.incomplete'] = true;
  return fields;
}

function appendFlag(current: unknown, flag: string): readonly string[] {
  return Array.isArray(current) ? [...(current as string[]), flag] : [flag];
}

function setNumber(fields: EventFields, key: string, value: string): void {
  const n = Number(value);
  if (value !== '' && Number.isFinite(n)) fields[key] = n;
  else if (value !== '') fields[key] = value;
}

/** `MAC=dst(6 bytes):src(6 bytes):ethertype(2 bytes)`; empty on ppp/lo. */
function setMac(fields: EventFields, value: string): void {
  if (value === '') return;
  const bytes = value.split(':');
  if (bytes.length >= 12) {
    fields['destination.mac'] = bytes.slice(0, 6).join('-').toUpperCase();
    fields['source.mac'] = bytes.slice(6, 12).join('-').toUpperCase();
  } else {
    fields['netfilter.mac'] = value;
  }
}

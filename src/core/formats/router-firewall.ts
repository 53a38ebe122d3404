import type { ParsedFields } from '../model/event';
import { setPeer } from './auth-common';
import { type LineResult, type LogFormat, unparsed } from './format';
import type { SyslogMessageParser } from './syslog-messages';

/**
 * Consumer-router firewall messages (D-Link firmware language tables: IPNAT_TCP_BLOCKED_INGRESS_SYN,
 * IPNAT_TCP_BLOCKED_EGRESS_NOT_SYN), the seed's firewall examples; log-formats.md section 6:
 *   `Blocked incoming TCP connection request from 96.39.208.43:8240 to 128.17.92.85:6002`
 *   `Blocked outgoing TCP packet from 192.168.23.100:5240 to 96.38.231.18:443 as FIN:ACK received but there is no active connection`
 * Matched case-insensitively, bare (no time: the ingest borrows one) or as a syslog message of any program.
 */

const BLOCKED = /^blocked (incoming|outgoing) (tcp|udp|icmp) (connection request|packet) from (\d{1,3}(?:\.\d{1,3}){3}):(\d+) to (\d{1,3}(?:\.\d{1,3}){3}):(\d+)(?: as (\S+?),? received(.*))?$/i;

const TCP_FLAGS = new Set(['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN']);

export function parseRouterFirewall(message: string): ParsedFields | undefined {
  const m = BLOCKED.exec(message.trim());
  if (m === null) return undefined;
  const fields: ParsedFields = {
    'event.kind': 'event',
    'event.category': ['network'],
    'event.type': ['connection', 'denied'],
    'event.action': 'block',
    'network.direction': m[1]!.toLowerCase() === 'incoming' ? 'inbound' : 'outbound',
    'network.transport': m[2]!.toLowerCase(),
    'network.type': 'ipv4',
  };
  setPeer(fields, 'source', m[4]!, m[5]);
  setPeer(fields, 'destination', m[6]!, m[7]);
  if (m[8] !== undefined) {
    const flags = m[8].toUpperCase().split(':').filter((f) => TCP_FLAGS.has(f));
    if (flags.length > 0) fields['netfilter.tcp_flags'] = flags;
    const rest = (m[9] ?? '').trim().replace(/^,\s*/, '');
    if (rest !== '') fields['event.reason'] = `${m[8]} received${m[9] ?? ''}`.trim();
  }
  return fields;
}

export const ROUTER_FIREWALL_DATASET = 'router.firewall';

export const routerFirewallMessages: SyslogMessageParser = {
  id: 'router-firewall',
  accepts: () => true,
  parse(envelope) {
    const c = envelope.message.charCodeAt(0);
    if (c !== 66 && c !== 98 /* B b */) return undefined;
    const fields = parseRouterFirewall(envelope.message);
    return fields === undefined ? undefined : { dataset: ROUTER_FIREWALL_DATASET, fields };
  },
};

export function parseRouterFirewallLine(line: string): LineResult {
  const fields = parseRouterFirewall(line);
  if (fields === undefined) return unparsed('not a "Blocked incoming/outgoing ... from A:P to B:P" line');
  fields['message'] = line;
  return { kind: 'event', timestamp: NaN, dataset: ROUTER_FIREWALL_DATASET, fields };
}

export const routerFirewallFormat: LogFormat = {
  id: 'router-firewall',
  title: 'Router firewall messages',
  family: 'firewall',
  description: 'Consumer-router (D-Link style) "Blocked incoming/outgoing TCP ... from A:P to B:P" lines without a time of their own.',
  sniff({ lines }) {
    if (lines.length === 0) return 0;
    let hits = 0;
    for (const line of lines) if (parseRouterFirewall(line) !== undefined) hits++;
    return (hits / lines.length) * 0.95;
  },
  createParser() {
    return { parseLine: parseRouterFirewallLine };
  },
  samples: [
    {
      line: 'blocked incoming tcp connection request from 96.39.208.43:8240 to 128.17.92.85:6002',
      dataset: ROUTER_FIREWALL_DATASET,
      fields: {
        'event.action': 'block',
        'network.direction': 'inbound',
        'network.transport': 'tcp',
        'source.ip': '96.39.208.43',
        'source.port': 8240,
        'destination.ip': '128.17.92.85',
        'destination.port': 6002,
      },
    },
    {
      line: 'blocked outgoing tcp packet from 192.168.23.100:5240 to 96.38.231.18:443 as FIN:ACK received, but there is no active connection',
      dataset: ROUTER_FIREWALL_DATASET,
      fields: {
        'event.action': 'block',
        'network.direction': 'outbound',
        'source.ip': '192.168.23.100',
        'destination.port': 443,
        'netfilter.tcp_flags': ['FIN', 'ACK'],
      },
    },
  ],
};

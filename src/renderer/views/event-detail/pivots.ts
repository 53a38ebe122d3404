import { clause } from '../../../core/query/ast';
import { parseCidr } from '../../../core/rules/modifiers';

/** A way from a value of the event to all events sharing it (it sets the filter). */
export interface Pivot {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly query: string;
}

const IP_FIELDS = ['source.ip', 'destination.ip', 'client.ip', 'server.ip', 'host.ip'];

function isAddress(value: string): boolean {
  return parseCidr(value) !== undefined && !value.includes('/');
}

/** The network of an address: /24 for IPv4, /64 for IPv6. */
export function subnetOf(ip: string): string | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(ip);
  if (v4 !== null) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  const net = parseCidr(`${ip}/64`);
  if (net === undefined || !net.v6) return undefined;
  return `${net.words.slice(0, 4).map((w) => w.toString(16)).join(':')}::/64`;
}

/**
 * The pivots an event offers: each address to every event naming it as source or destination,
 * its subnet, the user, the URL path, the host, the process. Across every source and host.
 */
export function pivotsOf(fields: readonly (readonly [string, string])[]): Pivot[] {
  const value = new Map(fields);
  const out: Pivot[] = [];
  const seenIps = new Set<string>();
  for (const field of IP_FIELDS) {
    const ip = value.get(field);
    if (ip === undefined || !isAddress(ip) || seenIps.has(ip)) continue;
    seenIps.add(ip);
    out.push({ id: `ip:${ip}`, label: 'All events of address', value: ip, query: `${clause('source.ip', ip)} OR ${clause('destination.ip', ip)}` });
    const subnet = subnetOf(ip);
    if (subnet !== undefined) out.push({ id: `net:${subnet}`, label: 'All events of subnet', value: subnet, query: `source.ip:${subnet} OR destination.ip:${subnet}` });
  }
  const simple: readonly (readonly [string, string])[] = [
    ['user.name', 'All events of user'],
    ['url.path', 'All requests for path'],
    ['host.name', 'All events of host'],
    ['process.name', 'All events of process'],
    ['maas.node.hostname', 'All events of node'],
  ];
  for (const [field, label] of simple) {
    const v = value.get(field);
    if (v !== undefined && v !== '') out.push({ id: field, label, value: v, query: clause(field, v) });
  }
  return out;
}

import type { ParsedFields } from '../model/event';
import { type LineResult, type LogFormat, unparsed } from './format';

/**
 * MAAS proxy (squid) access.log, native format:
 * `<epoch.ms> <elapsed_ms> <client> <squid_code>/<http_status> <bytes> <method> <url> <ident> <hier>/<peer> <type>`
 * (`1666854189.800 68 xx.xx.xx.xx. TAG_NONE/503 0 CONNECT api.snapcraft.io:443 - HIER_NONE/- -`).
 * squid pads the elapsed time (`%6tr`), so fields may be separated by several spaces. The time is
 * UTC epoch seconds: nothing is inferred. Snap: /var/snap/maas/common/log/proxy/access.log; deb:
 * /var/log/maas/proxy/access.log; 3.5+: through syslog under identifier `maas-proxy`.
 * Source: log-formats.md sections 2, 4 and 8 (hotsos maas_proxy_issue scenario).
 */

const LINE = /^(\d{9,11}(?:\.\d{1,6})?) +(-?\d+) (\S+) ([A-Z_]+)\/(\d{1,3}) (\d+|-) (\S+) (\S+) (\S+) ([A-Z_]+)\/(\S+) (\S+)/;
const IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F]*:[0-9a-fA-F:.]+)$/;

/** Fields and time of a squid native access line, or undefined when it is not one. */
export function parseSquidAccess(line: string): { timestamp: number; fields: ParsedFields } | undefined {
  const m = LINE.exec(line.trimStart());
  if (m === null) return undefined;
  const [, time, elapsed, client, code, status, bytes, method, url, ident, hierarchy, peer, type] = m as unknown as string[] as [
    string, string, string, string, string, string, string, string, string, string, string, string, string,
  ];
  const fields: ParsedFields = { 'event.category': ['web', 'network'] };
  if (IP.test(client)) fields['source.ip'] = client;
  else fields['source.address'] = client;
  fields['squid.result_code'] = code;
  if (Number(status) > 0) fields['http.response.status_code'] = Number(status);
  if (bytes !== '-') fields['http.response.body.bytes'] = Number(bytes);
  fields['http.request.method'] = method;
  fields['url.original'] = url;
  if (method === 'CONNECT') {
    const colon = url.lastIndexOf(':');
    const host = colon > 0 ? url.slice(0, colon) : url;
    fields['destination.domain'] = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
    if (colon > 0 && /^\d+$/.test(url.slice(colon + 1))) fields['destination.port'] = Number(url.slice(colon + 1));
  } else {
    const u = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+|\[[^\]]+\])(?::(\d+))?/i.exec(url);
    if (u !== null) {
      fields['url.domain'] = u[1]!;
      if (u[2] !== undefined) fields['url.port'] = Number(u[2]);
    }
  }
  if (Number(elapsed) >= 0) fields['event.duration'] = Number(elapsed) * 1_000_000;
  if (ident !== '-') fields['user.name'] = ident;
  fields['squid.hierarchy'] = hierarchy;
  if (peer !== '-') fields['squid.peer'] = peer;
  if (type !== '-') fields['http.response.mime_type'] = type;
  return { timestamp: Math.round(Number(time) * 1000), fields };
}

export function parseSquidAccessLine(line: string): LineResult {
  const r = parseSquidAccess(line);
  if (r === undefined) return unparsed('not "epoch elapsed client CODE/status bytes method URL ident HIER/peer type"');
  return { kind: 'event', timestamp: r.timestamp, dataset: 'maas.proxy', fields: r.fields };
}

const PATH = /(^|\/)(proxy\/)?access\.log(\.\d+)?(\.gz)?$/;

export const squidAccessFormat: LogFormat = {
  id: 'squid-access',
  title: 'MAAS proxy (squid) access log',
  family: 'web',
  description: 'squid native access.log of maas-proxy: client, squid result code, status, bytes, method, URL, hierarchy.',
  sniff({ path, lines }) {
    if (lines.length === 0) return 0;
    let hits = 0;
    for (const line of lines) if (LINE.test(line.trimStart())) hits++;
    const ratio = hits / lines.length;
    return ratio === 0 ? 0 : Math.min(1, ratio * 0.9 + (PATH.test(path) ? 0.1 : 0));
  },
  createParser() {
    return { parseLine: parseSquidAccessLine };
  },
  samples: [
    {
      line: '1666854189.800 68 xx.xx.xx.xx. TAG_NONE/503 0 CONNECT api.snapcraft.io:443 - HIER_NONE/- -',
      dataset: 'maas.proxy',
      timestamp: '2022-10-27T07:03:09.800Z',
      fields: {
        'source.address': 'xx.xx.xx.xx.',
        'squid.result_code': 'TAG_NONE',
        'http.response.status_code': 503,
        'http.request.method': 'CONNECT',
        'destination.domain': 'api.snapcraft.io',
        'destination.port': 443,
        'event.duration': 68_000_000,
      },
    },
  ],
};

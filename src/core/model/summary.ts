import { fieldAsString, type EventFields } from './event';

/**
 * A one-line description of an event for lists: the facts an analyst scans for, per dataset.
 * Plain text; callers render it as text, never as HTML.
 */
export function summarizeEvent(fields: Readonly<EventFields>): string {
  const dataset = fieldAsString(fields['event.dataset']) ?? '';
  if (dataset === 'ufw' || dataset === 'iptables') return summarizeFirewall(fields);
  if (dataset.endsWith('.access')) return summarizeAccess(fields);
  return clip(fieldAsString(fields['message']) ?? '');
}

const FIREWALL_FIELDS = ['event.action', 'network.transport', 'netfilter.tcp_flags', 'network.direction', 'source.ip', 'source.port', 'destination.ip', 'destination.port'];
const ACCESS_FIELDS = ['source.ip', 'source.address', 'http.request.method', 'url.original', 'http.request.line', 'http.response.status_code', 'user.name'];
const OTHER_FIELDS = ['message'];

/** The fields summarizeEvent reads for an event of this dataset (besides event.dataset): a reader can load just these. */
export function summaryFields(dataset: string): readonly string[] {
  if (dataset === 'ufw' || dataset === 'iptables') return FIREWALL_FIELDS;
  if (dataset.endsWith('.access')) return ACCESS_FIELDS;
  return OTHER_FIELDS;
}

function endpoint(ip: unknown, port: unknown): string {
  if (typeof ip !== 'string') return '?';
  const host = ip.includes(':') ? `[${ip}]` : ip;
  return typeof port === 'number' ? `${host}:${port}` : host;
}

function summarizeFirewall(f: Readonly<EventFields>): string {
  const action = (fieldAsString(f['event.action']) ?? 'log').toUpperCase();
  const transport = (fieldAsString(f['network.transport']) ?? '').toUpperCase();
  const flags = Array.isArray(f['netfilter.tcp_flags']) ? ` ${(f['netfilter.tcp_flags'] as readonly string[]).join(',')}` : '';
  const direction = fieldAsString(f['network.direction']);
  const dir = direction === 'inbound' ? 'in' : direction === 'outbound' ? 'out' : 'fwd';
  return `${action} ${dir} ${transport} ${endpoint(f['source.ip'], f['source.port'])} → ${endpoint(f['destination.ip'], f['destination.port'])}${flags}`;
}

function summarizeAccess(f: Readonly<EventFields>): string {
  const client = fieldAsString(f['source.ip']) ?? fieldAsString(f['source.address']) ?? '-';
  const method = fieldAsString(f['http.request.method']);
  const target = fieldAsString(f['url.original']) ?? fieldAsString(f['http.request.line']) ?? '';
  const status = fieldAsString(f['http.response.status_code']) ?? '';
  const user = fieldAsString(f['user.name']);
  return clip(`${status} ${method ?? ''} ${target} ← ${client}${user !== undefined ? ` (${user})` : ''}`.replace(/\s+/g, ' '));
}

const MAX_SUMMARY = 400;

function clip(text: string): string {
  return text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY)}…` : text;
}

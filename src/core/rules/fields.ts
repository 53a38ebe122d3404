/**
 * The field-mapping layer (pySigma processing pipelines, as data): which of our datasets carry
 * which Sigma log source, and how the Sigma taxonomy's field names (`c-ip`, `cs-uri-query`,
 * `dst_port`, ...) read our ECS fields. Rules may also name ECS fields directly: a name no table
 * maps is looked up as written.
 */
import type { FieldValue, RuleEvent } from '../model/event';
import type { LogSource } from './rule';

/** How one Sigma field reads an event. */
export type FieldSpec =
  /** An ECS field. */
  | string
  /** The first of these ECS fields that the event has. */
  | readonly string[]
  /**
   * A field whose values are spelled differently in Sigma rules: the event value and its
   * translation are both offered (any matches), e.g. UFW `block` is also `denied`.
   */
  | { readonly from: string; readonly values: Readonly<Record<string, string>> };

/** A taxonomy table: applies to rules whose log source sets (at least) these keys. */
export interface FieldTable {
  readonly id: string;
  readonly logsource: LogSource;
  readonly fields: Readonly<Record<string, FieldSpec>>;
  /** Names not in `fields` are also tried under these prefixes (auditd's `auditd.data.`). */
  readonly prefixes?: readonly string[];
}

/** A dataset, optionally only its events having a field (value), carries a log source. */
export interface DatasetSource {
  readonly dataset: string;
  /** Only events whose `field` is present (and, if given, equals one of `values`, case-insensitive). */
  readonly when?: { readonly field: string; readonly values?: readonly string[] };
  readonly logsource: LogSource;
}

const WEB: Readonly<Record<string, FieldSpec>> = {
  'c-ip': ['source.ip', 'source.address'],
  clientip: ['source.ip', 'source.address'],
  'cs-method': 'http.request.method',
  // SigmaHQ rules treat cs-uri-query as the whole request target as logged (path + ?query),
  // never decoded: they look for %2e, %252f, %c0%af (sigma.md B1).
  'cs-uri-query': 'url.original',
  'cs-uri': 'url.original',
  'cs-uri-stem': 'url.path',
  'sc-status': 'http.response.status_code',
  'cs-user-agent': 'user_agent.original',
  'c-useragent': 'user_agent.original',
  'cs-referer': 'http.request.referrer',
  'cs-referrer': 'http.request.referrer',
  'cs-host': 'url.domain',
  'r-dns': 'url.domain',
  'cs-username': 'user.name',
  'cs-content-type': 'http.request.mime_type',
  'cs-version': 'http.version',
  'sc-bytes': 'http.response.body.bytes',
  'cs-bytes': 'http.request.body.bytes',
  's-ip': 'destination.ip',
  's-port': 'destination.port',
  'cs-cookie': 'http.request.cookie',
};

const PROXY: Readonly<Record<string, FieldSpec>> = {
  ...WEB,
  'c-uri': 'url.original',
  'c-uri-query': 'url.query',
  'c-uri-stem': 'url.path',
  'c-uri-extension': 'url.extension',
  src_ip: 'source.ip',
  dst_ip: 'destination.ip',
};

/** UFW/iptables actions as firewall rules spell them (`denied`, `accept`; sigma.md B1). */
const FIREWALL_ACTIONS: Readonly<Record<string, string>> = {
  block: 'denied',
  'limit-block': 'denied',
  deny: 'denied',
  drop: 'denied',
  reject: 'denied',
  allow: 'accept',
  accept: 'accept',
  forward: 'forward',
};

const FIREWALL: Readonly<Record<string, FieldSpec>> = {
  src_ip: 'source.ip',
  dst_ip: 'destination.ip',
  src_port: 'source.port',
  dst_port: 'destination.port',
  proto: 'network.transport',
  protocol: 'network.transport',
  action: { from: 'event.action', values: FIREWALL_ACTIONS },
  blocked: { from: 'event.action', values: { block: 'true', 'limit-block': 'true', deny: 'true', drop: 'true', reject: 'true', allow: 'false', accept: 'false' } },
  username: 'user.name',
  src_mac: 'source.mac',
  dst_mac: 'destination.mac',
  dst_hostname: 'destination.domain',
};

const LINUX: Readonly<Record<string, FieldSpec>> = {
  // sudo's `USER=` is the target user.
  USER: ['user.target.name', 'sudo.user', 'user.name'],
  COMMAND: ['process.command_line', 'sudo.command'],
  pam_user: 'user.name',
  pam_rhost: ['source.ip', 'source.address'],
  pam_message: 'message',
  user: 'user.name',
  src_ip: 'source.ip',
  host: 'host.name',
  hostname: 'host.name',
  program: 'process.name',
  pid: 'process.pid',
};

/** Taxonomy tables, most specific first. */
export const FIELD_TABLES: readonly FieldTable[] = [
  { id: 'webserver', logsource: { category: 'webserver' }, fields: WEB },
  { id: 'proxy', logsource: { category: 'proxy' }, fields: PROXY },
  { id: 'firewall', logsource: { category: 'firewall' }, fields: FIREWALL },
  { id: 'linux-auditd', logsource: { product: 'linux', service: 'auditd' }, fields: {}, prefixes: ['auditd.data.'] },
  { id: 'linux', logsource: { product: 'linux' }, fields: LINUX },
  { id: 'apache', logsource: { service: 'apache' }, fields: WEB },
  { id: 'nginx', logsource: { service: 'nginx' }, fields: WEB },
];

const HTTP_LINES = { field: 'http.request.method' } as const;

/** Which datasets carry which log sources (sigma.md A2; DESIGN.md "The event"). */
export const DATASET_SOURCES: readonly DatasetSource[] = [
  { dataset: 'apache.access', logsource: { category: 'webserver', product: 'apache' } },
  { dataset: 'nginx.access', logsource: { category: 'webserver', product: 'nginx' } },
  { dataset: 'maas.regiond', when: HTTP_LINES, logsource: { category: 'webserver', product: 'maas' } },
  { dataset: 'maas.regiond', logsource: { product: 'maas', service: 'regiond' } },
  { dataset: 'maas.rackd', logsource: { product: 'maas', service: 'rackd' } },
  { dataset: 'maas.audit', logsource: { product: 'maas', service: 'audit' } },
  { dataset: 'apache.error', logsource: { product: 'apache', service: 'apache' } },
  { dataset: 'nginx.error', logsource: { product: 'nginx', service: 'nginx' } },
  { dataset: 'squid.access', logsource: { category: 'proxy', product: 'squid' } },
  { dataset: 'maas.proxy', logsource: { category: 'proxy', product: 'squid' } },
  { dataset: 'ufw', logsource: { category: 'firewall', product: 'linux', service: 'ufw' } },
  { dataset: 'iptables', logsource: { category: 'firewall', product: 'linux', service: 'iptables' } },
  { dataset: 'router.firewall', logsource: { category: 'firewall' } },
  { dataset: 'system.auth', logsource: { product: 'linux', service: 'auth' } },
  { dataset: 'system.auth', logsource: { product: 'linux', service: 'syslog' } },
  { dataset: 'system.auth', when: { field: 'process.name', values: ['sshd'] }, logsource: { product: 'linux', service: 'sshd' } },
  { dataset: 'system.auth', when: { field: 'process.name', values: ['sudo'] }, logsource: { product: 'linux', service: 'sudo' } },
  { dataset: 'system.auth', when: { field: 'process.name', values: ['cron'] }, logsource: { product: 'linux', service: 'cron' } },
  { dataset: 'syslog', logsource: { product: 'linux', service: 'syslog' } },
  { dataset: 'syslog', when: { field: 'process.name', values: ['cron', 'crontab'] }, logsource: { product: 'linux', service: 'cron' } },
  { dataset: 'syslog', when: { field: 'process.name', values: ['vsftpd'] }, logsource: { product: 'linux', service: 'vsftpd' } },
  { dataset: 'syslog', when: { field: 'process.name', values: ['clamd', 'freshclam', 'clamav'] }, logsource: { product: 'linux', service: 'clamav' } },
  { dataset: 'syslog', when: { field: 'process.name', values: ['guacd', 'guacamole'] }, logsource: { product: 'linux', service: 'guacamole' } },
  { dataset: 'syslog', when: { field: 'process.name', values: ['sshd'] }, logsource: { product: 'linux', service: 'sshd' } },
  { dataset: 'syslog', when: { field: 'process.name', values: ['sudo'] }, logsource: { product: 'linux', service: 'sudo' } },
  { dataset: 'kernel', logsource: { product: 'linux', service: 'syslog' } },
  { dataset: 'auditd', logsource: { product: 'linux', service: 'auditd' } },
  { dataset: 'postgresql', logsource: { category: 'database', product: 'postgresql' } },
];

function norm(s: string | undefined): string | undefined {
  return s === undefined ? undefined : s.toLowerCase().replace(/ /g, '_');
}

/** Whether `source` (what a dataset carries) satisfies every key the rule's log source sets. */
export function logsourceCovers(source: LogSource, rule: LogSource): boolean {
  for (const key of ['category', 'product', 'service'] as const) {
    const wanted = norm(rule[key]);
    if (wanted !== undefined && norm(source[key]) !== wanted) return false;
  }
  return true;
}

/** The dataset sources a rule applies to (empty: none of our logs; a rule with no keys: all of them). */
export function datasetsFor(logsource: LogSource, sources: readonly DatasetSource[] = DATASET_SOURCES): DatasetSource[] {
  return sources.filter((s) => logsourceCovers(s.logsource, logsource));
}

/** The taxonomy table for a rule's log source, or undefined (ECS names used as written). */
export function fieldTableFor(logsource: LogSource, tables: readonly FieldTable[] = FIELD_TABLES): FieldTable | undefined {
  return tables.find((t) => logsourceCovers(logsource, t.logsource));
}

/** Reads a (mapped) field from an event. */
export type FieldAccessor = (event: RuleEvent) => FieldValue | undefined;

/**
 * Fields Loupe derives from others when a rule asks for them: correlation `group-by` takes field
 * names only, so grouping by subnet needs a field (sigma.md B3).
 */
const DERIVED: Readonly<Record<string, FieldAccessor>> = {
  'source.subnet': (e) => subnetOf(e.fields['source.ip']),
  'destination.subnet': (e) => subnetOf(e.fields['destination.ip']),
};

/** The /24 of an IPv4 address or the /64 of an IPv6 address, in CIDR notation. */
export function subnetOf(ip: FieldValue | undefined): string | undefined {
  if (typeof ip !== 'string') return undefined;
  if (ip.includes(':')) {
    const groups = expandIPv6(ip);
    return groups === undefined ? undefined : `${groups.slice(0, 4).join(':')}::/64`;
  }
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return `${Number(parts[0])}.${Number(parts[1])}.${Number(parts[2])}.0/24`;
}

/** Eight lower-case groups without leading zeros, or undefined when not an IPv6 address. */
function expandIPv6(ip: string): string[] | undefined {
  const zone = ip.indexOf('%');
  const text = (zone >= 0 ? ip.slice(0, zone) : ip).toLowerCase();
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : halves[0]!.split(':');
  const tail = halves.length === 2 && halves[1] !== '' ? halves[1]!.split(':') : [];
  // An embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups.
  const last = tail.length > 0 ? tail[tail.length - 1]! : head[head.length - 1];
  const v4 = last !== undefined && last.includes('.') ? 1 : 0;
  const missing = 8 - head.length - tail.length - v4;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  for (const g of groups.slice(0, 4)) if (!/^[0-9a-f]{1,4}$/.test(g)) return undefined;
  return groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, ''));
}

function direct(name: string): FieldAccessor {
  const derived = DERIVED[name];
  if (derived !== undefined) return (e) => e.fields[name] ?? derived(e);
  if (name === '@timestamp') return (e) => e.timestamp;
  if (name === 'event.original') return (e) => e.fields['event.original'] ?? e.raw;
  return (e) => e.fields[name];
}

/** The accessor for a Sigma field name under a table (or as an ECS name when unmapped). */
export function fieldAccessor(name: string, table: FieldTable | undefined): FieldAccessor {
  const spec = table?.fields[name];
  if (spec === undefined) {
    const prefixes = table?.prefixes;
    if (prefixes === undefined || prefixes.length === 0) return direct(name);
    const names = [name, ...prefixes.map((p) => p + name)];
    return firstOf(names);
  }
  if (typeof spec === 'string') return direct(spec);
  if (isStringArray(spec)) return firstOf(spec);
  const { from, values } = spec;
  return (e) => {
    const v = e.fields[from];
    if (typeof v !== 'string') return v;
    const mapped = values[v.toLowerCase()];
    return mapped === undefined || mapped === v ? v : [v, mapped];
  };
}

function isStringArray(spec: FieldSpec): spec is readonly string[] {
  return Array.isArray(spec);
}

function firstOf(names: readonly string[]): FieldAccessor {
  if (names.length === 1) return direct(names[0]!);
  const accessors = names.map(direct);
  return (e) => {
    for (const a of accessors) {
      const v = a(e);
      if (v !== undefined) return v;
    }
    return undefined;
  };
}

/**
 * The stored fields (block columns) `fieldAccessor(name, table)` reads, the first one present
 * giving the value; undefined when it reads anything else (a derived field, `@timestamp`, the raw
 * line), which a column-wise evaluation (preselect.ts) cannot see. Kept beside fieldAccessor so
 * the two agree.
 */
export function fieldColumns(name: string, table: FieldTable | undefined): readonly string[] | undefined {
  const spec = table?.fields[name];
  const names = spec === undefined ? [name, ...(table?.prefixes ?? []).map((p) => p + name)] : typeof spec === 'string' ? [spec] : isStringArray(spec) ? spec : [spec.from];
  for (const n of names) if (DERIVED[n] !== undefined || n === '@timestamp' || n === 'event.original') return undefined;
  return names;
}

/** The ECS field(s) a Sigma field name reads, for display ("cs-uri-query -> url.original"). */
export function mappedFieldNames(name: string, table: FieldTable | undefined): readonly string[] {
  const spec = table?.fields[name];
  if (spec === undefined) return [name, ...(table?.prefixes ?? []).map((p) => p + name)];
  if (typeof spec === 'string') return [spec];
  if (isStringArray(spec)) return spec;
  return [spec.from];
}

/**
 * The demo bundle: a small, realistic sos report of a MAAS region controller (snap, MAAS < 3.5) on which
 * one attack plays out over a working day. Everything here is generated, never copied from real logs.
 *
 * Pure: no fs, no clock, no Math.random. Every run yields byte-identical files, so tests can pin facts
 * (line numbers, values) and the demo looks the same on every machine.
 *
 * The story (2026-03-12, UTC; the host lives on the MAAS LAN 10.20.0.0/24 behind a NAT, so inbound
 * packets arrive for 10.20.0.2):
 *   08:00  the host boots; 08:06 an admin restarts the maas snap over ssh
 *   09:12  203.0.113.66 port-scans ~150 ports in under two minutes (UFW BLOCK), hacker-tool ports included
 *   09:25  the same address enumerates the web server (Nikto, ~80 requests in a minute, mostly 404)
 *   09:41  SQL injection against the MAAS API (sqlmap), one request breaks regiond (traceback)
 *   09:52  web shell probes
 *   10:04  guessing the Apache basic-auth gate in front of the MAAS login (401s)
 *   10:12  ssh attempts from the scanner; 10:21 ssh brute force from 198.51.100.77 (40 failures)
 *   10:45  failed MAAS UI logins from 203.0.113.66 (400), 11:02 a successful admin login, API token
 *          created, a machine allocated and deployed
 *   11:31  the host starts sending packets to 198.51.100.23:443 that UFW blocks (FIN/ACK without a
 *          connection: the seed's "Trojan" sign) until the responders collect the sos report at 18:05
 * Background all day: internet noise on the firewall, monitoring checks, cron, sysstat, rack polling,
 * admins working in the UI, commissioning and releasing machines.
 */

import { DEMO_AUDIT_FILE, demoAuditFile } from './demo-audit';

// ---------------------------------------------------------------------------------------------------
// Public types and constants
// ---------------------------------------------------------------------------------------------------

export interface DemoFile {
  /** Path relative to the output directory, starting with the sos top directory. */
  readonly relativePath: string;
  readonly content: string;
  /** Modification time, epoch milliseconds. */
  readonly mtime: number;
}

export const DEMO_TOP_DIR = 'sosreport-maas-region-01-2026-03-12-qwhzbla';
export const DEMO_HOST = 'maas-region-01';
export const DEMO_HOST_IP = '10.20.0.2';
export const DEMO_RACK_IP = '10.20.0.3';
export const DEMO_ADMIN_IPS = ['10.20.0.5', '10.20.0.6'] as const;
export const DEMO_SCANNER_IP = '203.0.113.66';
export const DEMO_BRUTE_FORCE_IP = '198.51.100.77';
export const DEMO_C2_IP = '198.51.100.23';
/** Every log timestamp lies in [start, end). */
export const DEMO_TIME_RANGE = {
  startIso: '2026-03-12T08:00:00.000Z',
  endIso: '2026-03-12T18:00:00.000Z',
} as const;
/** When sos ran (`date` output) and the mtime of the copied logs. */
export const DEMO_SOS_DATE_TEXT = 'Thu 12 Mar 2026 18:05:11 UTC';
export const DEMO_LOG_MTIME_MS = Date.UTC(2026, 2, 12, 18, 5, 0);
const SOS_RUN_MTIME_MS = Date.UTC(2026, 2, 12, 18, 5, 11);
/** etc/ files were last touched when the host was installed. */
const INSTALL_MTIME_MS = Date.UTC(2025, 10, 3, 10, 14, 27);

export const DEMO_HACKER_TOOL_PORTS = [31337, 12345, 6667, 4444] as const;

/** A concrete event the generator placed, with where it landed (path inside the top dir, 1-based line). */
export interface KnownUfwEvent {
  readonly file: string;
  readonly line: number;
  readonly timestampIso: string;
  readonly sourceIp: string;
  readonly sourcePort: number;
  readonly destinationIp: string;
  readonly destinationPort: number;
  readonly transport: 'tcp';
  readonly action: 'block';
}

export interface KnownApacheEvent {
  readonly file: string;
  readonly line: number;
  readonly timestampIso: string;
  readonly sourceIp: string;
  readonly method: string;
  readonly urlOriginal: string;
  readonly statusCode: number;
  readonly bytes: number;
  readonly userAgent: string;
}

/** Counts and spans of each attack phase, as generated (for detection tests). */
export interface DemoScenario {
  readonly portScan: { readonly sourceIp: string; readonly distinctPorts: number; readonly firstIso: string; readonly lastIso: string };
  readonly webEnumeration: { readonly sourceIp: string; readonly requests: number; readonly notFound: number; readonly firstIso: string; readonly lastIso: string };
  readonly sqlInjection: { readonly sourceIp: string; readonly requests: number; readonly userAgent: string };
  readonly sshBruteForce: { readonly sourceIp: string; readonly failures: number; readonly firstIso: string; readonly lastIso: string };
  readonly maasLogin: { readonly sourceIp: string; readonly failures: number; readonly successIso: string; readonly tokenCreatedIso: string };
  readonly outbound: { readonly sourceIp: string; readonly destinationIp: string; readonly destinationPort: number; readonly count: number; readonly firstIso: string; readonly lastIso: string };
}

export interface DemoBuild {
  readonly files: readonly DemoFile[];
  readonly knownUfwEvent: KnownUfwEvent;
  readonly knownApacheEvent: KnownApacheEvent;
  readonly scenario: DemoScenario;
}

// ---------------------------------------------------------------------------------------------------
// Deterministic randomness
// ---------------------------------------------------------------------------------------------------

/** mulberry32: tiny, fast, and identical on every JS engine because it only uses 32-bit integer ops. */
class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  hex(bytes: number): string {
    let out = '';
    for (let i = 0; i < bytes; i++) out += this.int(0, 255).toString(16).padStart(2, '0');
    return out;
  }

  chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet.charAt(this.int(0, alphabet.length - 1));
    return out;
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const a = out[i] as T;
      out[i] = out[j] as T;
      out[j] = a;
    }
    return out;
  }
}

const SEED = 0x2f966570;

/**
 * One independent stream per concern, so that changing how one log is generated does not reshuffle
 * the numbers of all the others.
 */
function rngFor(salt: number): Rng {
  return new Rng((SEED ^ Math.imul(salt, 0x9e3779b1)) >>> 0);
}

// ---------------------------------------------------------------------------------------------------
// Clock and timestamp formats (all times are epoch microseconds, UTC)
// ---------------------------------------------------------------------------------------------------

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const US_PER_S = 1_000_000;

/** 2026-03-12 hh:mm:ss(.frac) UTC in microseconds. */
function at(h: number, m: number, s = 0, us = 0): number {
  return Date.UTC(2026, 2, 12, h, m, s) * 1000 + us;
}

const DAY_START = at(8, 0);
const DAY_END = at(18, 0);
/** Kernel time zero; rsyslog starts a few seconds later and stamps the boot messages with its own clock. */
const BOOT = at(7, 59, 49, 612_408);
const RSYSLOG_START = at(8, 0, 2, 104_000);

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function parts(us: number): { d: Date; micros: string } {
  const ms = Math.floor(us / 1000);
  return { d: new Date(ms), micros: String(((us % US_PER_S) + US_PER_S) % US_PER_S).padStart(6, '0') };
}

function month(d: Date): string {
  return MONTHS[d.getUTCMonth()] ?? '???';
}

function clock(d: Date): string {
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** rsyslog traditional: `Mar 12 08:00:01`, day space-padded (`Mar  2`), no year, no zone. Exported for tests. */
export function syslogStamp(us: number): string {
  const { d } = parts(us);
  return `${month(d)} ${String(d.getUTCDate()).padStart(2, ' ')} ${clock(d)}`;
}

/** MAAS < 3.5 regiond/rackd: `2026-03-12 08:00:05` (UTC, no zone). */
function maasStamp(us: number): string {
  const { d } = parts(us);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${clock(d)}`;
}

/** rsyslog high precision (maas.log): `2026-03-12T08:10:00.123456+00:00`. */
function rfc3339Stamp(us: number): string {
  const { micros } = parts(us);
  return `${maasStamp(us).replace(' ', 'T')}.${micros}+00:00`;
}

/** Apache %t: `12/Mar/2026:08:01:02 +0000`. */
function apacheStamp(us: number): string {
  const { d } = parts(us);
  return `${pad2(d.getUTCDate())}/${month(d)}/${d.getUTCFullYear()}:${clock(d)} +0000`;
}

/** Apache 2.4 error log: `Thu Mar 12 08:03:11.123456 2026`. */
function apacheErrorStamp(us: number): string {
  const { d, micros } = parts(us);
  return `${WEEKDAYS[d.getUTCDay()] ?? '???'} ${month(d)} ${pad2(d.getUTCDate())} ${clock(d)}.${micros} ${d.getUTCFullYear()}`;
}

/** Second-precision ISO string, the way a parser of a second-precision log would see the time. */
function isoSeconds(us: number): string {
  return new Date(Math.floor(us / US_PER_S) * 1000).toISOString();
}

/** The audit subsystem's `seconds.millis` wall-clock stamp. */
function auditStamp(us: number): string {
  return `${Math.floor(us / US_PER_S)}.${String(Math.floor((us % US_PER_S) / 1000)).padStart(3, '0')}`;
}

/** The kernel's `[%5lu.%06lu]` uptime field. */
function uptimeField(uptimeUs: number): string {
  const seconds = Math.floor(uptimeUs / US_PER_S);
  const micros = uptimeUs - seconds * US_PER_S;
  return `[${String(seconds).padStart(5, ' ')}.${String(micros).padStart(6, '0')}]`;
}

/**
 * PIDs grow with time (a few processes a minute on this quiet host), so processes started later get
 * higher PIDs whatever order the generator creates them in. Boot-time daemons sit below 2600.
 */
function pidAt(t: number, rng: Rng): number {
  return 2600 + Math.floor((t - DAY_START) / (7 * US_PER_S)) + rng.int(0, 3);
}

// ---------------------------------------------------------------------------------------------------
// Log records and streams
// ---------------------------------------------------------------------------------------------------

type Mark = 'knownUfw' | 'knownApache';

/** One log entry; `text` may span several lines (a traceback). */
interface LogRecord {
  readonly t: number;
  readonly text: string;
  readonly mark?: Mark;
}

/** Everything the scenario writes, per destination. Kernel records go to both kern.log and syslog. */
interface Streams {
  readonly kern: LogRecord[];
  readonly syslogOnly: LogRecord[];
  readonly auth: LogRecord[];
  readonly access: LogRecord[];
  readonly apacheError: LogRecord[];
  readonly regiond: LogRecord[];
  readonly maasLog: LogRecord[];
  readonly rackd: LogRecord[];
}

interface Rendered {
  readonly content: string;
  readonly marks: ReadonlyMap<Mark, number>;
}

/** Orders records by time (stable, so same-instant records keep their order) and joins them. */
function renderLog(records: readonly LogRecord[]): Rendered {
  const sorted = [...records].sort((a, b) => a.t - b.t);
  const marks = new Map<Mark, number>();
  const lines: string[] = [];
  for (const record of sorted) {
    if (record.mark !== undefined) marks.set(record.mark, lines.length + 1);
    lines.push(...record.text.split('\n'));
  }
  return { content: lines.join('\n') + '\n', marks };
}

// ---------------------------------------------------------------------------------------------------
// Line formats, one per file type
// ---------------------------------------------------------------------------------------------------

/** rsyslog traditional line: `Mar 12 08:00:01 maas-region-01 sshd[1234]: message`. */
function syslogLine(t: number, tag: string, message: string): string {
  return `${syslogStamp(t)} ${DEMO_HOST} ${tag}: ${message}`;
}

function kernelRecord(t: number, uptimeUs: number, message: string, mark?: Mark): LogRecord {
  const text = syslogLine(t, 'kernel', `${uptimeField(uptimeUs)} ${message}`);
  return mark === undefined ? { t, text } : { t, text, mark };
}

/** A netfilter LOG packet, enough of it to print the fields UFW's rules produce. */
interface Packet {
  readonly prefix: 'BLOCK' | 'ALLOW' | 'AUDIT';
  readonly inIf: string;
  readonly outIf: string;
  /** dst:src MACs, without the ethertype; only printed when inIf is set (INPUT chain). */
  readonly macs?: string;
  readonly src: string;
  readonly dst: string;
  readonly ipv6: boolean;
  readonly len: number;
  readonly ttl: number;
  readonly id: number;
  readonly df: boolean;
  readonly proto: 'TCP' | 'UDP';
  readonly spt: number;
  readonly dpt: number;
  readonly window?: number;
  readonly flags?: string;
}

/**
 * `nf_log_syslog.c` field order; each field is followed by a space, so the line ends in one.
 * IPv6 addresses print as eight zero-padded groups; UDP repeats LEN (the UDP length).
 */
function netfilterBody(p: Packet): string {
  let out = `[UFW ${p.prefix}] IN=${p.inIf} OUT=${p.outIf} `;
  if (p.inIf !== '') out += `MAC=${p.macs ?? ''}:${p.ipv6 ? '86:dd' : '08:00'} `;
  if (p.ipv6) {
    out += `SRC=${expandIpv6(p.src)} DST=${expandIpv6(p.dst)} LEN=${p.len} TC=0 HOPLIMIT=${p.ttl} FLOWLBL=${p.id} `;
  } else {
    out += `SRC=${p.src} DST=${p.dst} LEN=${p.len} TOS=0x00 PREC=0x00 TTL=${p.ttl} ID=${p.id} ${p.df ? 'DF ' : ''}`;
  }
  if (p.proto === 'TCP') {
    out += `PROTO=TCP SPT=${p.spt} DPT=${p.dpt} WINDOW=${p.window ?? 1024} RES=0x00 ${p.flags ?? 'SYN'} URGP=0 `;
  } else {
    out += `PROTO=UDP SPT=${p.spt} DPT=${p.dpt} LEN=${p.len - (p.ipv6 ? 40 : 20)} `;
  }
  return out;
}

/** `2001:db8:20::2` -> `2001:0db8:0020:0000:0000:0000:0000:0002`, as the kernel prints it. */
function expandIpv6(address: string): string {
  const [head = '', tail] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(zeros).fill('0'), ...right].map((g) => g.padStart(4, '0')).join(':');
}

function ufwRecord(t: number, packet: Packet, mark?: Mark): LogRecord {
  return kernelRecord(t, t - BOOT, netfilterBody(packet), mark);
}

/** Apache combined (`%h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"`). */
interface HttpHit {
  readonly t: number;
  readonly ip: string;
  readonly user?: string;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly bytes: number;
  readonly referrer?: string;
  readonly agent: string;
}

function accessLine(h: HttpHit): string {
  return `${h.ip} - ${h.user ?? '-'} [${apacheStamp(h.t)}] "${h.method} ${h.url} HTTP/1.1" ${h.status} ${h.bytes} "${h.referrer ?? '-'}" "${h.agent}"`;
}

function apacheErrorLine(t: number, module: string, pid: number, tid: number, client: string | undefined, message: string): string {
  const clientPart = client === undefined ? '' : ` [client ${client}]`;
  return `[${apacheErrorStamp(t)}] [${module}] [pid ${pid}:tid ${tid}]${clientPart} ${message}`;
}

/** MAAS < 3.5: `%(asctime)s %(name)s: [%(levelname)s] %(message)s`; newlines become `\n\t`. */
function maasLine(t: number, name: string, level: string, message: string): string {
  return `${maasStamp(t)} ${name}: [${level}] ${message.replace(/\n/g, '\n\t')}`;
}

const HTTP_STATUS_NAMES: Readonly<Record<number, string>> = {
  101: 'SWITCHING_PROTOCOLS',
  200: 'OK',
  204: 'NO_CONTENT',
  301: 'MOVED_PERMANENTLY',
  302: 'FOUND',
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  500: 'INTERNAL_SERVER_ERROR',
};

/** regiond's reducedWebLogFormatter: `{origin} {method} {uri} {proto} --> {status} (referrer: …; agent: …)`. */
function regiondHttpLine(h: HttpHit): string {
  const status = `${h.status} ${HTTP_STATUS_NAMES[h.status] ?? ''}`.trimEnd();
  return maasLine(h.t, 'regiond', 'info', `${h.ip} ${h.method} ${h.url} HTTP/1.1 --> ${status} (referrer: ${h.referrer ?? '-'}; agent: ${h.agent})`);
}

/** maas.log (MAAS's own rsyslogd, high-precision format). */
function maasLogLine(t: number, tag: string, level: string, message: string): string {
  return `${rfc3339Stamp(t)} ${DEMO_HOST} maas.${tag}: [${level}] ${message}`;
}

// ---------------------------------------------------------------------------------------------------
// The network around the host
// ---------------------------------------------------------------------------------------------------

const HOST_IP6 = '2001:db8:20::2';
const GATEWAY_IP = '10.20.0.1';
const MONITOR_IP = '10.20.0.9';
const HOST_MAC = '3c:ec:ef:5a:91:02';
const GATEWAY_MAC = '00:1b:21:c4:07:01';
const LAN_MACS: Readonly<Record<string, string>> = {
  '10.20.0.3': '3c:ec:ef:5a:91:03',
  '10.20.0.5': 'a4:bb:6d:12:e0:5c',
  '10.20.0.6': 'a4:bb:6d:12:e3:17',
  '10.20.0.1': GATEWAY_MAC,
};
const PUBLIC_URL = 'https://maas.example.net';
const LAN_URL = 'https://10.20.0.2';
const BROWSER_ADMIN = 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0';
const BROWSER_ADMIN_2 = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36';
const BROWSER_ATTACKER = 'Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0';
const MAAS_CLI_AGENT = 'Python-httplib2/0.20.2 (gzip)';
const MONITOR_AGENT = 'check_http/v2.3.3 (monitoring-plugins 2.3.3)';
const NIKTO_AGENT = 'Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:';
const SQLMAP_AGENT = 'sqlmap/1.7.2#stable (https://sqlmap.org)';
const ATTACKER_SCRIPT_AGENT = 'python-requests/2.31.0';

/** MAAS machines on the LAN. */
interface Machine {
  readonly hostname: string;
  readonly systemId: string;
  readonly ip: string;
  readonly mac: string;
}

function makeMachines(rng: Rng): Machine[] {
  const names = ['worker-01', 'worker-02', 'worker-03', 'worker-04', 'worker-05', 'worker-06'];
  return names.map((hostname, i) => ({
    hostname,
    systemId: rng.chars('abcdefghjkmnpqrstwxy0123456789', 6),
    ip: `10.20.0.${41 + i}`,
    mac: `52:54:00:${rng.hex(1)}:${rng.hex(1)}:${rng.hex(1)}`,
  }));
}

function machineAt(machines: readonly Machine[], index: number): Machine {
  const m = machines[index];
  if (m === undefined) throw new Error(`no machine ${index}`);
  return m;
}

/** Internet hosts that poke at the firewall all day (documentation ranges, never the attackers). */
function backgroundSources(rng: Rng): string[] {
  const reserved = new Set([DEMO_SCANNER_IP, DEMO_BRUTE_FORCE_IP, DEMO_C2_IP]);
  const out: string[] = [];
  const nets = ['192.0.2', '198.51.100', '203.0.113'];
  while (out.length < 24) {
    const ip = `${rng.pick(nets)}.${rng.int(2, 254)}`;
    if (!reserved.has(ip) && !out.includes(ip)) out.push(ip);
  }
  return out;
}

function inboundPacket(rng: Rng, fields: Partial<Packet> & Pick<Packet, 'src' | 'dpt'>): Packet {
  const lanMac = LAN_MACS[fields.src];
  return {
    prefix: 'BLOCK',
    inIf: 'eth0',
    outIf: '',
    macs: `${HOST_MAC}:${lanMac ?? GATEWAY_MAC}`,
    dst: DEMO_HOST_IP,
    ipv6: false,
    len: 44,
    ttl: lanMac === undefined ? rng.int(38, 250) : 64,
    id: rng.int(1, 65535),
    df: false,
    proto: 'TCP',
    spt: rng.int(1025, 65535),
    window: 1024,
    flags: 'SYN',
    ...fields,
  };
}

// ---------------------------------------------------------------------------------------------------
// Scenario: system background (kernel, systemd, cron, sysstat, snapd)
// ---------------------------------------------------------------------------------------------------

const KERNEL_VERSION = '5.15.0-101-generic';

/** Boot messages, read from the ring buffer by rsyslog when it starts, hence all stamped 08:00:02. */
function bootKernel(s: Streams): void {
  const messages: [number, string][] = [
    [0, `Linux version ${KERNEL_VERSION} (buildd@lcy02-amd64-087) (gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0, GNU ld (GNU Binutils for Ubuntu) 2.38) #111-Ubuntu SMP Tue Mar 5 20:16:58 UTC 2024 (Ubuntu 5.15.0-101.111-generic 5.15.143)`],
    [0, `Command line: BOOT_IMAGE=/vmlinuz-${KERNEL_VERSION} root=UUID=7d1e2c4a-6b0f-4c2e-9a51-3f8e0b6d2a19 ro`],
    [0, 'DMI: Supermicro SYS-5019C-M/X11SCM-F, BIOS 1.9 09/16/2022'],
    [1_204, 'tsc: Detected 3400.000 MHz processor'],
    [88_517, 'Memory: 32680412K/33420028K available (16393K kernel code, 4381K rwdata, 10796K rodata, 3236K init, 6256K bss, 739356K reserved, 0K cma-reserved)'],
    [402_116, 'ACPI: PM-Timer IO Port: 0x1808'],
    [1_377_904, 'e1000e: Intel(R) PRO/1000 Network Driver'],
    [1_402_233, 'e1000e 0000:00:1f.6 eth0: (PCI Express:2.5GT/s:Width x1) 3c:ec:ef:5a:91:02'],
    [1_611_870, 'ata1: SATA link up 6.0 Gbps (SStatus 133 SControl 300)'],
    [1_950_448, 'sd 0:0:0:0: [sda] 976773168 512-byte logical blocks: (500 GB/466 GiB)'],
    [2_804_512, 'EXT4-fs (sda2): mounted filesystem with ordered data mode. Opts: (null). Quota mode: none.'],
    [3_611_090, 'systemd[1]: Inserted module \'autofs4\''],
    [4_120_377, 'EXT4-fs (sda2): re-mounted. Opts: (null). Quota mode: none.'],
    [5_902_646, 'loop0: detected capacity change from 0 to 8'],
    [5_944_210, 'loop1: detected capacity change from 0 to 129600'],
    [5_981_005, 'loop2: detected capacity change from 0 to 273464'],
    [6_013_772, 'loop3: detected capacity change from 0 to 87376'],
    [6_530_981, 'audit: type=1400 audit({audit}:2): apparmor="STATUS" operation="profile_load" profile="unconfined" name="lsb_release" pid=611 comm="apparmor_parser"'],
    [6_588_310, 'audit: type=1400 audit({audit}:3): apparmor="STATUS" operation="profile_load" profile="unconfined" name="snap.maas.supervisor" pid=618 comm="apparmor_parser"'],
    [7_415_662, 'ip_tables: (C) 2000-2006 Netfilter Core Team'],
    [7_790_301, 'e1000e 0000:00:1f.6 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx'],
    [7_790_488, 'IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready'],
  ];
  messages.forEach(([uptime, message], i) => {
    s.kern.push(kernelRecord(RSYSLOG_START + i, uptime, message.replace('{audit}', auditStamp(BOOT + uptime))));
  });
}

/** Ordinary kernel chatter during the day. */
function dayKernel(s: Streams, rng: Rng): void {
  let serial = 40;
  for (let i = 0; i < 14; i++) {
    const t = rng.int(at(8, 20), at(17, 50));
    const pid = rng.int(3000, 9000);
    s.kern.push(kernelRecord(t, t - BOOT, `audit: type=1400 audit(${auditStamp(t)}:${serial++}): apparmor="DENIED" operation="open" class="file" profile="snap.maas.supervisor" name="/proc/${pid}/mountinfo" pid=${pid} comm="python3" requested_mask="r" denied_mask="r" fsuid=0 ouid=0`));
  }
  const flap = at(13, 47, 12, 331_046);
  s.kern.push(kernelRecord(flap, flap - BOOT, 'e1000e 0000:00:1f.6 eth0: NIC Link is Down'));
  s.kern.push(kernelRecord(flap + 3_214_552, flap + 3_214_552 - BOOT, 'e1000e 0000:00:1f.6 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx'));
  const perf = at(12, 8, 41, 902_114);
  s.kern.push(kernelRecord(perf, perf - BOOT, 'perf: interrupt took too long (2508 > 2500), lowering kernel.perf_event_max_sample_rate to 79750'));
}

function bootUserland(s: Streams): void {
  const lines: [number, string, string][] = [
    [0, 'rsyslogd', '[origin software="rsyslogd" swVersion="8.2112.0" x-pid="742" x-info="https://www.rsyslog.com"] start'],
    [310_000, 'systemd[1]', 'Starting Snap Daemon...'],
    [902_000, 'snapd[901]', 'AppArmor status: apparmor is enabled and all features are available'],
    [1_700_000, 'systemd[1]', 'Started Snap Daemon.'],
    [1_950_000, 'systemd-timesyncd[640]', `Initial synchronization to time server ${GATEWAY_IP}:123 (${GATEWAY_IP}).`],
    [2_400_000, 'systemd[1]', 'Started Service for snap application maas.supervisor.'],
    [2_900_000, 'systemd[1]', 'Starting The Apache HTTP Server...'],
    [6_100_000, 'systemd[1]', 'Started The Apache HTTP Server.'],
    [6_300_000, 'systemd[1]', 'Reached target Multi-User System.'],
    [6_310_000, 'systemd[1]', 'Reached target Graphical Interface.'],
    [6_500_000, 'systemd[1]', 'Startup finished in 4.018s (kernel) + 14.795s (userspace) = 18.813s.'],
  ];
  for (const [offset, tag, message] of lines) s.syslogOnly.push({ t: RSYSLOG_START + 100 + offset, text: syslogLine(RSYSLOG_START + 100 + offset, tag, message) });
  const authLines: [number, string, string][] = [
    [500_000, 'systemd-logind[812]', 'New seat seat0.'],
    [510_000, 'systemd-logind[812]', 'Watching system buttons on /dev/input/event0 (Power Button)'],
    [2_100_000, 'sshd[884]', 'Server listening on 0.0.0.0 port 22.'],
    [2_100_100, 'sshd[884]', 'Server listening on :: port 22.'],
  ];
  for (const [offset, tag, message] of authLines) s.auth.push({ t: RSYSLOG_START + offset, text: syslogLine(RSYSLOG_START + offset, tag, message) });
}

function cronAndTimers(s: Streams, rng: Rng): void {
  for (let h = 8; h < 18; h++) {
    const t = at(h, 17, 1, rng.int(0, 400_000));
    const cronPid = pidAt(t, rng);
    s.auth.push({ t, text: syslogLine(t, `CRON[${cronPid}]`, 'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)') });
    s.syslogOnly.push({ t: t + 2_000, text: syslogLine(t + 2_000, `CRON[${cronPid + 1}]`, '(root) CMD (   cd / && run-parts --report /etc/cron.hourly)') });
    s.auth.push({ t: t + 9_000, text: syslogLine(t + 9_000, `CRON[${cronPid}]`, 'pam_unix(cron:session): session closed for user root') });
  }
  // sysstat collects every ten minutes: steady, boring background that the timeline must not drown in.
  for (let m = 10; m < 600; m += 10) {
    const t = DAY_START + m * 60 * US_PER_S + rng.int(0, 900_000);
    s.syslogOnly.push({ t, text: syslogLine(t, 'systemd[1]', 'Starting system activity accounting tool...') });
    s.syslogOnly.push({ t: t + 31_000, text: syslogLine(t + 31_000, 'systemd[1]', 'sysstat-collect.service: Deactivated successfully.') });
    s.syslogOnly.push({ t: t + 32_000, text: syslogLine(t + 32_000, 'systemd[1]', 'Finished system activity accounting tool.') });
  }
  const timers: [number, string, string][] = [
    [at(9, 47, 21), 'systemd[1]', 'Starting Daily apt download activities...'],
    [at(9, 47, 29), 'systemd[1]', 'apt-daily.service: Deactivated successfully.'],
    [at(9, 47, 29, 100), 'systemd[1]', 'Finished Daily apt download activities.'],
    [at(12, 35, 44), 'snapd[901]', 'storehelpers.go:773: cannot refresh: snap has no updates available: "core22", "maas", "snapd"'],
    [at(12, 35, 44, 9_000), 'snapd[901]', 'autorefresh.go:540: auto-refresh: all snaps are up-to-date'],
    [at(14, 2, 5), 'systemd[1]', 'Starting Refresh fwupd metadata and update motd...'],
    [at(14, 2, 7), 'systemd[1]', 'fwupd-refresh.service: Deactivated successfully.'],
    [at(14, 2, 7, 100), 'systemd[1]', 'Finished Refresh fwupd metadata and update motd.'],
    [at(15, 22, 50), 'systemd[1]', 'Starting Message of the Day...'],
    [at(15, 22, 51), 'systemd[1]', 'motd-news.service: Deactivated successfully.'],
    [at(15, 22, 51, 100), 'systemd[1]', 'Finished Message of the Day.'],
    [at(13, 47, 15, 600_000), 'systemd-networkd[633]', 'eth0: Lost carrier'],
    [at(13, 47, 15, 601_000), 'systemd-networkd[633]', 'eth0: Gained carrier'],
  ];
  for (const [t, tag, message] of timers) s.syslogOnly.push({ t, text: syslogLine(t, tag, message) });
}

// ---------------------------------------------------------------------------------------------------
// Scenario: firewall background
// ---------------------------------------------------------------------------------------------------

const COMMON_PROBE_PORTS = [23, 25, 445, 1433, 2375, 3306, 3389, 5060, 5900, 6379, 7547, 8080, 8443, 8888, 9200, 11211, 2323, 81, 8081, 5432] as const;

function backgroundFirewall(s: Streams, rng: Rng, sources: readonly string[]): void {
  // Inbound TCP probes from the internet, spread over the day.
  for (let i = 0; i < 300; i++) {
    const t = rng.int(DAY_START + 40 * US_PER_S, DAY_END - US_PER_S);
    const window = rng.pick([1024, 65535, 14600, 29200]);
    s.kern.push(ufwRecord(t, inboundPacket(rng, {
      src: rng.pick(sources),
      dpt: rng.pick(COMMON_PROBE_PORTS),
      len: window === 1024 ? 44 : rng.pick([40, 60]),
      window,
      df: window !== 1024 && rng.chance(0.5),
    })));
  }
  // UDP: each service has a typical datagram size.
  const udp: readonly [number, number][] = [[53, 73], [123, 76], [161, 71], [1900, 122], [5060, 442], [11211, 43], [137, 78]];
  for (let i = 0; i < 40; i++) {
    const t = rng.int(DAY_START + 40 * US_PER_S, DAY_END - US_PER_S);
    const [dpt, len] = rng.pick(udp);
    s.kern.push(ufwRecord(t, inboundPacket(rng, { src: rng.pick(sources), dpt, len, proto: 'UDP', df: rng.chance(0.3) })));
  }
  // IPv6 probes; the kernel prints fully expanded addresses.
  const v6Sources = ['2001:db8:bad:66::10', '2001:db8:4f00:12::7', '2001:db8:c0de::1f'];
  for (let i = 0; i < 10; i++) {
    const t = rng.int(DAY_START + 40 * US_PER_S, DAY_END - US_PER_S);
    s.kern.push(ufwRecord(t, {
      prefix: 'BLOCK', inIf: 'eth0', outIf: '', macs: `${HOST_MAC}:${GATEWAY_MAC}`,
      src: rng.pick(v6Sources), dst: HOST_IP6, ipv6: true, len: 80, ttl: rng.int(44, 60), id: rng.int(0, 1048575),
      df: false, proto: 'TCP', spt: rng.int(1025, 65535), dpt: rng.pick([23, 3389, 8080, 6379]), window: 64800, flags: 'SYN',
    }));
  }
  // Logging is on "high": UFW audits new local connections (regiond to PostgreSQL) and NTP from the gateway.
  for (let i = 0; i < 24; i++) {
    const t = rng.int(DAY_START + 40 * US_PER_S, DAY_END - US_PER_S);
    const packet: Packet = rng.chance(0.6)
      ? { prefix: 'AUDIT', inIf: '', outIf: 'lo', src: '127.0.0.1', dst: '127.0.0.1', ipv6: false, len: 60, ttl: 64, id: rng.int(1, 65535), df: true, proto: 'TCP', spt: rng.int(32768, 60999), dpt: 5432, window: 65495, flags: 'SYN' }
      : { prefix: 'AUDIT', inIf: 'eth0', outIf: '', macs: `${HOST_MAC}:${GATEWAY_MAC}`, src: GATEWAY_IP, dst: DEMO_HOST_IP, ipv6: false, len: 76, ttl: 64, id: rng.int(1, 65535), df: true, proto: 'UDP', spt: 123, dpt: 123 };
    s.kern.push(ufwRecord(t, packet));
  }
}

/** A logged ALLOW for a new TCP connection (rules `allow log 22/tcp`, `allow log from 10.20.0.0/24 to any port 5240`). */
function allowRecord(rng: Rng, t: number, src: string, spt: number, dpt: number): LogRecord {
  return ufwRecord(t, inboundPacket(rng, { prefix: 'ALLOW', src, spt, dpt, len: 60, ttl: LAN_MACS[src] === undefined ? rng.int(40, 56) : 64, df: true, window: 64240 }));
}

// ---------------------------------------------------------------------------------------------------
// Scenario: administrators
// ---------------------------------------------------------------------------------------------------

interface SshSession {
  readonly start: number;
  readonly ip: string;
  readonly session: number;
  readonly durationS: number;
  readonly sudo: readonly [offsetS: number, command: string][];
}

/** An OpenSSH SHA256 key fingerprint: 43 base64 characters, no padding. */
function fingerprint(rng: Rng): string {
  return rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 43);
}


function adminSsh(s: Streams, rng: Rng, fingerprints: Map<string, string>, session: SshSession): void {
  const pid = pidAt(session.start, rng);
  const port = rng.int(40000, 60999);
  // Each admin workstation keeps its key, so the same fingerprint comes back in later sessions.
  const fp = fingerprints.get(session.ip) ?? fingerprint(rng);
  fingerprints.set(session.ip, fp);
  const t0 = session.start;
  s.kern.push(allowRecord(rng, t0, session.ip, port, 22));
  const auth = (dt: number, tag: string, message: string): void => {
    s.auth.push({ t: t0 + dt, text: syslogLine(t0 + dt, tag, message) });
  };
  auth(310_000, `sshd[${pid}]`, `Accepted publickey for ubuntu from ${session.ip} port ${port} ssh2: ED25519 SHA256:${fp}`);
  auth(318_000, `sshd[${pid}]`, 'pam_unix(sshd:session): session opened for user ubuntu(uid=1000) by (uid=0)');
  auth(331_000, 'systemd-logind[812]', `New session ${session.session} of user ubuntu.`);
  s.syslogOnly.push({ t: t0 + 340_000, text: syslogLine(t0 + 340_000, 'systemd[1]', `Started Session ${session.session} of User ubuntu.`) });
  for (const [offsetS, command] of session.sudo) {
    const dt = offsetS * US_PER_S;
    auth(dt, 'sudo', `${'ubuntu'.padStart(8, ' ')} : TTY=pts/0 ; PWD=/home/ubuntu ; USER=root ; COMMAND=${command}`);
    auth(dt + 4_000, 'sudo', 'pam_unix(sudo:session): session opened for user root(uid=0) by ubuntu(uid=1000)');
    auth(dt + rng.int(2, 40) * US_PER_S, 'sudo', 'pam_unix(sudo:session): session closed for user root');
  }
  const end = session.durationS * US_PER_S;
  auth(end, `sshd[${pid}]`, `Received disconnect from ${session.ip} port ${port}:11: disconnected by user`);
  auth(end + 1_000, `sshd[${pid}]`, `Disconnected from user ubuntu ${session.ip} port ${port}`);
  auth(end + 9_000, `sshd[${pid}]`, 'pam_unix(sshd:session): session closed for user ubuntu');
  auth(end + 15_000, 'systemd-logind[812]', `Session ${session.session} logged out. Waiting for processes to exit.`);
  s.syslogOnly.push({ t: t0 + end + 16_000, text: syslogLine(t0 + end + 16_000, 'systemd[1]', `session-${session.session}.scope: Deactivated successfully.`) });
  auth(end + 17_000, 'systemd-logind[812]', `Removed session ${session.session}.`);
}

/** `sudo snap restart maas` at 08:06: systemd restarts the supervisor, regiond and rackd start again. */
function maasRestart(s: Streams, t: number): void {
  const lines: [number, string][] = [
    [0, 'Stopping Service for snap application maas.supervisor...'],
    [4_200_000, 'snap.maas.supervisor.service: Deactivated successfully.'],
    [4_201_000, 'Stopped Service for snap application maas.supervisor.'],
    [4_202_000, 'snap.maas.supervisor.service: Consumed 1min 12.406s CPU time.'],
    [4_390_000, 'Started Service for snap application maas.supervisor.'],
  ];
  for (const [dt, message] of lines) s.syslogOnly.push({ t: t + dt, text: syslogLine(t + dt, 'systemd[1]', message) });
  const stop = t + 310_000;
  s.regiond.push({ t: stop, text: maasLine(stop, 'twisted.internet.base', 'info', 'Received SIGTERM, shutting down.') });
  s.rackd.push({ t: stop + 2_000, text: maasLine(stop + 2_000, 'twisted.internet.base', 'info', 'Received SIGTERM, shutting down.') });
}

/** An admin's session in the MAAS UI through Apache (basic-auth gate on the login form, then MAAS). */
function adminUiSession(s: Streams, rng: Rng, start: number, ip: string, agent: string): void {
  const ref = `${LAN_URL}/MAAS/r/`;
  const hits: Omit<HttpHit, 't' | 'ip' | 'agent'>[] = [
    { method: 'GET', url: '/MAAS/', status: 302, bytes: 412 },
    { method: 'GET', url: '/MAAS/r/', status: 200, bytes: 2231 },
    { method: 'GET', url: '/MAAS/r/assets/index-5c1f09ab.js', status: 200, bytes: 2381774, referrer: ref },
    { method: 'GET', url: '/MAAS/r/assets/index-8e2d41f7.css', status: 200, bytes: 402119, referrer: ref },
    { method: 'GET', url: '/MAAS/accounts/login/', status: 200, bytes: 389, referrer: `${LAN_URL}/MAAS/r/login` },
    { method: 'POST', url: '/MAAS/accounts/login/', status: 200, bytes: 371, referrer: `${LAN_URL}/MAAS/r/login`, user: 'maasops' },
    { method: 'GET', url: '/MAAS/accounts/login/', status: 200, bytes: 391, referrer: `${LAN_URL}/MAAS/r/login` },
    { method: 'GET', url: '/MAAS/ws', status: 101, bytes: 317 },
    { method: 'GET', url: '/MAAS/r/machines', status: 200, bytes: 2231, referrer: `${LAN_URL}/MAAS/r/login` },
    { method: 'GET', url: '/MAAS/api/2.0/version/', status: 200, bytes: 489, referrer: `${LAN_URL}/MAAS/r/machines` },
    { method: 'GET', url: '/MAAS/r/assets/maas-logo-6a1b2c3d.svg', status: 200, bytes: 3812, referrer: ref },
    { method: 'GET', url: '/MAAS/r/settings/users', status: 200, bytes: 2231, referrer: `${LAN_URL}/MAAS/r/machines` },
  ];
  let t = start;
  for (const hit of hits) {
    t += rng.int(80_000, 9 * US_PER_S);
    proxiedHit(s, { ...hit, t, ip, agent });
  }
}

/** Apache logs the request; /MAAS/ is proxied to regiond, which logs it too (the client address is forwarded). */
function proxiedHit(s: Streams, hit: HttpHit, mark?: Mark): void {
  const text = accessLine(hit);
  s.access.push(mark === undefined ? { t: hit.t, text } : { t: hit.t, text, mark });
  if (hit.url.startsWith('/MAAS/')) s.regiond.push({ t: hit.t + 1, text: regiondHttpLine(hit) });
}

function monitoringAndRack(s: Streams, rng: Rng): void {
  // A monitoring server checks the MAAS API through Apache every five minutes.
  for (let m = 3; m < 600; m += 5) {
    const t = DAY_START + m * 60 * US_PER_S + rng.int(0, 2_500_000);
    proxiedHit(s, { t, ip: MONITOR_IP, method: 'GET', url: '/MAAS/api/2.0/version/', status: 200, bytes: 489, agent: MONITOR_AGENT });
  }
  // The second rack controller polls the region's RPC info directly on 5240 (a logged ALLOW each time).
  for (let m = 2; m < 600; m += 15) {
    const t = DAY_START + m * 60 * US_PER_S + rng.int(0, 5 * US_PER_S);
    s.kern.push(allowRecord(rng, t, DEMO_RACK_IP, rng.int(40000, 60999), 5240));
    s.regiond.push({ t: t + 12_000, text: regiondHttpLine({ t: t + 12_000, ip: DEMO_RACK_IP, method: 'GET', url: '/MAAS/rpc/', status: 200, bytes: 0, agent: 'provisioningserver.rpc.clusterservice.ClusterClientService' }) });
  }
}

/** An admin using the MAAS CLI straight against port 5240 from the LAN (no Apache line). */
function adminCli(s: Streams, rng: Rng, start: number, ip: string, calls: readonly (readonly [method: string, url: string])[]): void {
  let t = start;
  for (const [method, url] of calls) {
    t += rng.int(2, 50) * US_PER_S;
    s.kern.push(allowRecord(rng, t, ip, rng.int(40000, 60999), 5240));
    s.regiond.push({ t: t + 20_000, text: regiondHttpLine({ t: t + 20_000, ip, method, url, status: 200, bytes: 0, agent: MAAS_CLI_AGENT }) });
  }
}

function internetWebNoise(s: Streams, rng: Rng, sources: readonly string[]): void {
  const probes: readonly [string, string, number, number, string][] = [
    ['GET', '/', 200, 11173, 'Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)'],
    ['GET', '/.env', 404, 492, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0 Safari/537.36'],
    ['GET', '/robots.txt', 404, 492, 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
    ['POST', '/boaform/admin/formLogin', 404, 492, 'Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0'],
    ['GET', '/favicon.ico', 404, 492, 'Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)'],
    ['GET', '/MAAS/', 302, 412, 'Mozilla/5.0 zgrab/0.x'],
  ];
  for (let i = 0; i < 18; i++) {
    const [method, url, status, bytes, agent] = rng.pick(probes);
    const t = rng.int(DAY_START + 60 * US_PER_S, DAY_END - US_PER_S);
    proxiedHit(s, { t, ip: rng.pick(sources), method, url, status, bytes, agent });
  }
}

// ---------------------------------------------------------------------------------------------------
// Scenario: MAAS services (regiond, rackd, maas.log)
// ---------------------------------------------------------------------------------------------------

/** regiond (four workers) and rackd start; the racks reconnect from fresh ephemeral ports. */
function maasStartup(s: Streams, rng: Rng, t: number, firstWorkerPid: number): void {
  const workerPids = [0, 1, 2, 3].map((i) => firstWorkerPid + i);
  const region: [number, string, string, string][] = [
    [0, 'twisted.application.app', 'info', 'twistd 22.4.0 (/snap/maas/32469/bin/python3 3.10.12) starting up.'],
    [4_000, 'twisted.application.app', 'info', 'reactor class: twisted.internet.asyncioreactor.AsyncioSelectorReactor.'],
    [1_820_000, 'maasserver.region_controller', 'info', 'Region controller service starting.'],
    ...workerPids.map((pid, i): [number, string, string, string] => [2_400_000 + i * 91_000, 'maasserver.ipc', 'info', `Worker pid:${pid} IPC connected.`]),
    [3_150_000, 'maasserver.rpc.regionservice', 'info', `Rack controller authenticated from '${DEMO_HOST_IP}:${rng.int(32768, 60999)}'.`],
    [3_600_000, 'maasserver.rpc.regionservice', 'info', `Rack controller authenticated from '${DEMO_RACK_IP}:${rng.int(32768, 60999)}'.`],
    [3_710_000, 'maasserver.rpc.rackcontrollers', 'info', `Existing rack controller 'maas-rack-02' running version 3.4.2-14353-g.5a5221d57 has connected to region '${DEMO_HOST}'.`],
    [5_020_000, 'maasserver.region_controller', 'info', 'Reloaded DNS configuration; region controller started'],
  ];
  for (const [dt, name, level, message] of region) s.regiond.push({ t: t + dt, text: maasLine(t + dt, name, level, message) });
  const rack: [number, string, string][] = [
    [1_000, 'twisted.application.app', 'twistd 22.4.0 (/snap/maas/32469/bin/python3 3.10.12) starting up.'],
    [3_300_000, 'provisioningserver.rpc.clusterservice', `Rack controller 'k8qf3n' registered (via ${DEMO_HOST}:pid=${workerPids[0] ?? 0}) with MAAS version 3.4.2-14353-g.5a5221d57.`],
    [6_800_000, 'provisioningserver.service_monitor', "Service 'dhcpd' has been started and is 'running'."],
    [6_900_000, 'provisioningserver.service_monitor', "Service 'http' has been started and is 'running'."],
  ];
  for (const [dt, name, message] of rack) s.rackd.push({ t: t + dt, text: maasLine(t + dt, name, 'info', message) });
}

function maasBackground(s: Streams, rng: Rng, machines: readonly Machine[]): void {
  // DHCP lease renewals of the deployed machines.
  for (let i = 0; i < 22; i++) {
    const t = rng.int(at(8, 15), at(17, 55));
    const m = rng.pick(machines.slice(0, 3));
    s.regiond.push({ t, text: maasLine(t, 'maasserver.rpc.leases', 'info', `Lease update: commit for ${m.ip} on ${m.mac} at ${maasStamp(t)} (lease time: 600s) (hostname: ${m.hostname})`) });
  }
  const w5 = machineAt(machines, 4);
  for (const t of [at(9, 3, 12), at(12, 33, 40), at(16, 3, 5)]) {
    s.regiond.push({ t, text: maasLine(t, 'maasserver.models.node', 'warn', `${w5.hostname}: Failed to query node's BMC: Connection timed out (power type ipmi, address 10.20.1.45)`) });
  }
  const t = at(15, 12, 8);
  s.regiond.push({ t, text: maasLine(t, 'maasserver.websockets.protocol', 'warn', `Closing websocket of ${DEMO_ADMIN_IPS[1]}: session expired`) });
}

/** maas.log: commissioning in the morning, the attacker's deployment, a release in the afternoon. */
function maasLifecycle(s: Streams, rng: Rng, machines: readonly Machine[]): void {
  const w6 = machineAt(machines, 5);
  const w2 = machineAt(machines, 1);
  const w5 = machineAt(machines, 4);
  const events: [number, string, string, string][] = [
    [at(8, 22, 40), 'node', 'info', `${w6.hostname}: Status transition from NEW to COMMISSIONING`],
    [at(8, 22, 40, 210_000), 'power', 'info', `Changing power state (on) of node: ${w6.hostname} (${w6.systemId})`],
    [at(8, 22, 40, 380_000), 'node', 'info', `${w6.hostname}: Commissioning started`],
    [at(8, 22, 42), 'power', 'info', `Changed power state (on) of node: ${w6.hostname} (${w6.systemId})`],
    [at(8, 31, 7), 'interface', 'info', `eth0 (physical) on ${w6.hostname}: IP address automatically unlinked: None:type=AUTO`],
    [at(8, 33, 51), 'node', 'info', `${w6.hostname}: Storage layout was set to flat.`],
    [at(8, 35, 2), 'node', 'info', `${w6.hostname}: Status transition from COMMISSIONING to TESTING`],
    [at(8, 38, 19), 'node', 'info', `${w6.hostname}: Status transition from TESTING to READY`],
    [at(8, 38, 20), 'power', 'info', `Changing power state (off) of node: ${w6.hostname} (${w6.systemId})`],
    [at(8, 38, 23), 'power', 'info', `Changed power state (off) of node: ${w6.hostname} (${w6.systemId})`],
    [at(9, 3, 12, 500_000), 'power', 'error', `Error changing power state (on) of node: ${w5.hostname} (${w5.systemId})`],
    [at(14, 4, 30), 'node', 'info', `${w2.hostname}: Status transition from DEPLOYED to RELEASING`],
    [at(14, 4, 30, 300_000), 'power', 'info', `Changing power state (off) of node: ${w2.hostname} (${w2.systemId})`],
    [at(14, 4, 33), 'power', 'info', `Changed power state (off) of node: ${w2.hostname} (${w2.systemId})`],
    [at(14, 4, 34), 'node', 'info', `${w2.hostname}: Status transition from RELEASING to READY`],
  ];
  for (const [t0, tag, level, message] of events) {
    // The scripted instants are whole seconds; rsyslog stamps carry microseconds.
    const t = t0 % US_PER_S === 0 ? t0 + rng.int(1_000, 999_999) : t0;
    s.maasLog.push({ t, text: maasLogLine(t, tag, level, message) });
  }
  // The morning commissioning PXE-boots worker-06 through the local rack.
  pxeBoot(s, at(8, 23, 31), w6);
}

function pxeBoot(s: Streams, t: number, m: Machine): void {
  const files = ['bootx64.efi', 'grubx64.efi', `grub/grub.cfg-${m.mac}`, 'grub/grub.cfg'];
  files.forEach((file, i) => {
    const ti = t + i * 400_000;
    s.rackd.push({ t: ti, text: maasLine(ti, 'tftp', 'info', `${file} requested by ${m.ip}`) });
  });
  const ti = t + 3 * US_PER_S;
  s.rackd.push({ t: ti, text: maasLine(ti, 'http', 'info', `/images/ubuntu/amd64/ga-22.04/jammy/stable/boot-kernel requested by ${m.ip}`) });
  s.rackd.push({ t: ti + 900_000, text: maasLine(ti + 900_000, 'http', 'info', `/images/ubuntu/amd64/ga-22.04/jammy/stable/boot-initrd requested by ${m.ip}`) });
}

// ---------------------------------------------------------------------------------------------------
// Scenario: the attack
// ---------------------------------------------------------------------------------------------------

/** Ports a scanner's top-ports list hits first; 22, 80 and 443 are open, so UFW does not block them. */
const SCAN_NOTABLE_PORTS = [21, 23, 25, 53, 110, 111, 135, 139, 143, 445, 993, 995, 1080, 1433, 1521, 1723, 2049, 2375, 3128, 3306, 3389, 4444, 5060, 5240, 5248, 5250, 5432, 5900, 6000, 6379, 6666, 6667, 7001, 7547, 8000, 8080, 8081, 8443, 8888, 9000, 9090, 9200, 9999, 10000, 11211, 12345, 27017, 31337, 50000] as const;
const SCAN_PORT_COUNT = 150;

interface PortScanResult {
  readonly known: Omit<KnownUfwEvent, 'file' | 'line'>;
  readonly first: number;
  readonly last: number;
}

function portScan(s: Streams, rng: Rng): PortScanResult {
  const ports = new Set<number>(SCAN_NOTABLE_PORTS);
  while (ports.size < SCAN_PORT_COUNT) {
    const port = rng.int(1, 49151);
    if (port !== 22 && port !== 80 && port !== 443) ports.add(port);
  }
  // A SYN scan: one source port, a fixed TTL, WINDOW=1024, LEN=44 (an MSS option), random IP IDs.
  const spt = 41977;
  const ttl = 47;
  const first = at(9, 12, 4, 218_530);
  const order = rng.shuffle([...ports]);
  let known: Omit<KnownUfwEvent, 'file' | 'line'> | undefined;
  let t = first;
  for (const dpt of order) {
    const isKnown = dpt === 31337;
    s.kern.push(ufwRecord(t, inboundPacket(rng, { src: DEMO_SCANNER_IP, spt, dpt, ttl, len: 44, window: 1024 }), isKnown ? 'knownUfw' : undefined));
    if (isKnown) {
      known = { timestampIso: isoSeconds(t), sourceIp: DEMO_SCANNER_IP, sourcePort: spt, destinationIp: DEMO_HOST_IP, destinationPort: dpt, transport: 'tcp', action: 'block' };
    }
    t += rng.int(420_000, 1_050_000);
  }
  if (known === undefined) throw new Error('the scan must include port 31337');
  return { known, first, last: t };
}

const ENUMERATION_PATHS = [
  '/admin.php', '/wp-login.php', '/.env', '/phpmyadmin/', '/cgi-bin/test.cgi', '/.git/config', '/server-status',
  '/backup.zip', '/config.php', '/xmlrpc.php', '/administrator/', '/login.jsp', '/manager/html', '/jenkins/login',
  '/solr/admin/', '/actuator/env', '/console/', '/.aws/credentials', '/.DS_Store', '/wp-admin/setup-config.php',
  '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php', '/HNAP1/', '/cgi-bin/php', '/cgi-bin/luci', '/cgi-bin/.%2e/.%2e/.%2e/.%2e/etc/passwd',
  '/index.php?s=/Index/\\think\\app/invokefunction', '/owa/auth/logon.aspx', '/remote/login', '/api/v1/pods', '/.svn/entries',
  '/db/phpmyadmin/', '/pma/', '/myadmin/', '/mysql/admin/', '/sql/', '/dbadmin/', '/install.php', '/setup.php',
  '/test.php', '/info.php', '/phpinfo.php', '/shell.php', '/upload.php', '/uploads/', '/files/', '/old/', '/dev/',
  '/staging/', '/admin/', '/admin/login', '/user/login', '/portal/', '/webmail/', '/roundcube/', '/horde/',
  '/squirrelmail/', '/zabbix/', '/nagios/', '/cacti/', '/grafana/login', '/kibana/', '/.htaccess', '/.htpasswd',
  '/web.config', '/crossdomain.xml', '/sitemap.xml', '/wp-config.php.bak', '/config.bak', '/database.sql', '/dump.sql',
  '/backup.tar.gz', '/site.tar.gz', '/www.zip', '/MAAS/api/2.0/users/', '/MAAS/api/2.0/account/prefs/sshkeys/',
  '/MAAS/metadata/', '/MAAS/rpc/', '/MAAS/static/', '/MAAS/r/settings/', '/icons/', '/manual/',
] as const;

function webEnumeration(s: Streams, rng: Rng, pids: ApachePids): { requests: number; notFound: number; first: number; last: number } {
  const first = at(9, 25, 1, 77_410);
  let t = first;
  let notFound = 0;
  const paths = ENUMERATION_PATHS.slice(0, 80);
  paths.forEach((url, i) => {
    let status = 404;
    let bytes = 492;
    if (url === '/server-status') { status = 403; bytes = 495; }
    else if (url.includes('%2e')) { status = 400; bytes = 482; }
    else if (url === '/icons/' || url === '/manual/') { status = 403; bytes = 495; }
    else if (url === '/MAAS/static/') { status = 301; bytes = 389; }
    else if (url.startsWith('/MAAS/api/') || url === '/MAAS/metadata/') { status = 401; bytes = 366; }
    else if (url === '/MAAS/rpc/') { status = 200; bytes = 1204; }
    else if (url === '/MAAS/r/settings/') { status = 200; bytes = 2231; }
    if (status === 404) notFound++;
    const agent = `${NIKTO_AGENT}${String(i + 1).padStart(6, '0')})`;
    proxiedHit(s, { t, ip: DEMO_SCANNER_IP, method: 'GET', url, status, bytes, agent });
    const client = `${DEMO_SCANNER_IP}:${rng.int(40000, 60999)}`;
    if (url === '/server-status') {
      s.apacheError.push({ t, text: apacheErrorLine(t, 'authz_core:error', pids.pick(rng), pids.tid(rng), client, 'AH01630: client denied by server configuration: /server-status') });
    } else if (url.includes('%2e')) {
      s.apacheError.push({ t, text: apacheErrorLine(t, 'core:error', pids.pick(rng), pids.tid(rng), client, `AH00126: Invalid URI in request GET ${url} HTTP/1.1`) });
    } else if (url.startsWith('/cgi-bin/')) {
      s.apacheError.push({ t, text: apacheErrorLine(t, 'cgi:error', pids.pick(rng), pids.tid(rng), client, `AH02811: script not found or unable to stat: /usr/lib${url}`) });
    }
    t += rng.int(250_000, 950_000);
  });
  if (t > first + 60 * US_PER_S) throw new Error('the enumeration burst must fit in a minute');
  return { requests: paths.length, notFound, first, last: t };
}

const SQLI_QUERIES = [
  'id=1%27%20OR%20%271%27%3D%271',
  'id=1%20AND%201%3D1',
  'id=1%20AND%201%3D2',
  'id=1%27%20AND%20%27a%27%3D%27a',
  'id=1%27%20ORDER%20BY%201--%20-',
  'id=1%27%20ORDER%20BY%2010--%20-',
  'id=1%20UNION%20ALL%20SELECT%20NULL--%20-',
  'id=1%20UNION%20ALL%20SELECT%20NULL,NULL--%20-',
  'id=1%20union%20select%20username,password%20from%20auth_user--',
  'id=1%29%20AND%20%28SELECT%204242%20FROM%20PG_SLEEP%285%29%29--',
  'id=1%27%3B%20SELECT%20PG_SLEEP%285%29--',
  'id=1%20AND%203519%3DCAST%28%28CHR%28113%29%29%20AS%20NUMERIC%29',
  'hostname=x%27%3B%20DROP%20TABLE%20maasserver_node%3B--',
  'hostname=worker-01%27%20OR%201%3D1--',
  'zone=default%27%20UNION%20SELECT%20version%28%29--',
  'id=-1%20OR%202%2B381-381-1%3D0%2B0%2B0%2B1',
  'id=1%27%20AND%20EXTRACTVALUE%281,CONCAT%280x5c,VERSION%28%29%29%29--%20-',
  'id=1%22%20OR%20%221%22%3D%221',
  'id=1%20OR%20SLEEP%285%29%23',
  'id=%28SELECT%20CHR%28113%29%7C%7CCHR%28118%29%29',
  'id=1%27%20UNION%20SELECT%201,2,3,4--%20-',
  'id=1%20AND%20%28SELECT%20COUNT%28%2A%29%20FROM%20auth_user%29%3E0',
] as const;

interface SqliResult {
  readonly known: Omit<KnownApacheEvent, 'file' | 'line'>;
  readonly requests: number;
}

function sqlInjection(s: Streams, rng: Rng): SqliResult {
  let t = at(9, 41, 12, 640_221);
  let known: Omit<KnownApacheEvent, 'file' | 'line'> | undefined;
  SQLI_QUERIES.forEach((query, i) => {
    const url = `/MAAS/api/2.0/machines/?${query}`;
    const breaksRegiond = query.startsWith('id=1%20union%20select');
    const status = breaksRegiond ? 500 : i === 0 ? 401 : rng.chance(0.2) ? 400 : 401;
    const bytes = status === 500 ? 603 : status === 400 ? 318 : 366;
    const hit: HttpHit = { t, ip: DEMO_SCANNER_IP, method: 'GET', url, status, bytes, agent: SQLMAP_AGENT };
    proxiedHit(s, hit, i === 0 ? 'knownApache' : undefined);
    if (i === 0) known = { timestampIso: isoSeconds(t), sourceIp: DEMO_SCANNER_IP, method: 'GET', urlOriginal: url, statusCode: status, bytes, userAgent: SQLMAP_AGENT };
    if (breaksRegiond) regiondTraceback(s, t - 2_000, decodeURIComponent(query.slice(3)));
    t += rng.int(6, 22) * US_PER_S + rng.int(0, 999_999);
  });
  if (known === undefined) throw new Error('no SQL injection recorded');
  return { known, requests: SQLI_QUERIES.length };
}

/** regiond logs the failure with the traceback on continuation lines that start with a TAB. */
function regiondTraceback(s: Streams, t: number, injected: string): void {
  const site = '/snap/maas/32469/lib/python3.10/site-packages';
  const usr = '/snap/maas/32469/usr/lib/python3/dist-packages';
  const error = `invalid input syntax for type integer: "${injected}"`;
  const message = [
    `################################ Exception: ${error} ################################`,
    'Traceback (most recent call last):',
    `  File "${usr}/django/db/backends/utils.py", line 89, in _execute`,
    '    return self.cursor.execute(sql, params)',
    `psycopg2.errors.InvalidTextRepresentation: ${error}`,
    '',
    'The above exception was the direct cause of the following exception:',
    '',
    'Traceback (most recent call last):',
    `  File "${usr}/django/core/handlers/base.py", line 181, in _get_response`,
    '    response = wrapped_callback(request, *callback_args, **callback_kwargs)',
    `  File "${site}/maasserver/utils/views.py", line 298, in view_atomic_with_post_commit_savepoint`,
    '    return view_atomic(*args, **kwargs)',
    `  File "${site}/maasserver/api/machines.py", line 2412, in read`,
    '    return list(machines)',
    `  File "${usr}/django/db/models/query.py", line 280, in __iter__`,
    '    self._fetch_all()',
    `django.db.utils.DataError: ${error}`,
  ].join('\n');
  s.regiond.push({ t, text: maasLine(t, 'maasserver', 'error', message) });
}

function webShellProbes(s: Streams, rng: Rng): void {
  const urls = ['/uploads/shell.php?cmd=id', '/shell.php?cmd=whoami', '/wp-content/plugins/wp-file-manager/lib/files/x.php?cmd=uname%20-a', '/cmd.php?c=cat%20/etc/passwd', '/uploads/c99.php'];
  let t = at(9, 52, 7, 301_554);
  for (const url of urls) {
    proxiedHit(s, { t, ip: DEMO_SCANNER_IP, method: 'GET', url, status: 404, bytes: 492, agent: 'curl/8.5.0' });
    t += rng.int(2, 9) * US_PER_S + rng.int(0, 999_999);
  }
}

/** The login form sits behind an Apache basic-auth gate: wrong gate credentials never reach MAAS. */
function loginGateGuessing(s: Streams, rng: Rng, pids: ApachePids): void {
  const users = ['admin', 'maas', 'root', 'administrator', 'ubuntu', 'maasadmin'];
  let t = at(10, 4, 11, 930_117);
  for (let i = 0; i < 18; i++) {
    const user = users[i % users.length] ?? 'admin';
    s.access.push({ t, text: accessLine({ t, ip: DEMO_SCANNER_IP, user, method: 'POST', url: '/MAAS/accounts/login/', status: 401, bytes: 705, referrer: `${PUBLIC_URL}/MAAS/r/login`, agent: ATTACKER_SCRIPT_AGENT }) });
    const message = user === 'admin' || user === 'ubuntu'
      ? `AH01617: user ${user}: authentication failure for "/MAAS/accounts/login/": Password Mismatch`
      : `AH01618: user ${user} not found: /MAAS/accounts/login/`;
    s.apacheError.push({ t, text: apacheErrorLine(t, 'auth_basic:error', pids.pick(rng), pids.tid(rng), `${DEMO_SCANNER_IP}:${rng.int(40000, 60999)}`, message) });
    t += rng.int(7, 16) * US_PER_S + rng.int(0, 999_999);
  }
}

function sshAttempts(s: Streams, rng: Rng): { failures: number; first: number; last: number } {
  // A few tries from the scanner first...
  let t = at(10, 12, 37, 118_004);
  for (const user of ['oracle', 'admin', 'maas', 'root']) {
    sshFailure(s, rng, t, DEMO_SCANNER_IP, user);
    t += rng.int(9, 30) * US_PER_S + rng.int(0, 999_999);
  }
  // ...then a dictionary run from another address: 40 failures in about eight minutes.
  const users = ['root', 'admin', 'test', 'root', 'user', 'oracle', 'postgres', 'root', 'ubuntu', 'git', 'ftpuser', 'root', 'maas', 'guest', 'deploy', 'root', 'jenkins', 'support', 'admin', 'root'];
  const first = at(10, 21, 3, 551_870);
  t = first;
  let last = first;
  for (let i = 0; i < 40; i++) {
    last = sshFailure(s, rng, t, DEMO_BRUTE_FORCE_IP, users[i % users.length] ?? 'root');
    t += rng.int(8, 16) * US_PER_S + rng.int(0, 999_999);
  }
  return { failures: 40, first, last };
}

const VALID_USERS = new Set(['root', 'ubuntu']);

/** One connection with one failed password; returns the time of the `Failed password` line. */
function sshFailure(s: Streams, rng: Rng, t: number, ip: string, user: string): number {
  const pid = pidAt(t, rng);
  const port = rng.int(32768, 60999);
  s.kern.push(allowRecord(rng, t, ip, port, 22));
  const line = (dt: number, message: string): void => {
    s.auth.push({ t: t + dt, text: syslogLine(t + dt, `sshd[${pid}]`, message) });
  };
  const failedAt = t + rng.int(1_800_000, 3_100_000);
  if (VALID_USERS.has(user)) {
    line(210_000, `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}  user=${user}`);
    line(failedAt - t, `Failed password for ${user} from ${ip} port ${port} ssh2`);
    line(failedAt - t + 600_000, `Connection closed by authenticating user ${user} ${ip} port ${port} [preauth]`);
  } else {
    line(150_000, `Invalid user ${user} from ${ip} port ${port}`);
    line(210_000, 'pam_unix(sshd:auth): check pass; user unknown');
    line(211_000, `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}`);
    line(failedAt - t, `Failed password for invalid user ${user} from ${ip} port ${port} ssh2`);
    line(failedAt - t + 600_000, `Connection closed by invalid user ${user} ${ip} port ${port} [preauth]`);
  }
  return failedAt;
}

interface TakeoverResult {
  readonly failures: number;
  readonly success: number;
  readonly token: number;
}

/** Failed MAAS UI logins (gate passed with a leaked credential), the admin login, then the API. */
function maasTakeover(s: Streams, rng: Rng, machines: readonly Machine[]): TakeoverResult {
  const ref = `${PUBLIC_URL}/MAAS/r/login`;
  let t = at(10, 45, 20, 402_019);
  proxiedHit(s, { t, ip: DEMO_SCANNER_IP, method: 'GET', url: '/MAAS/accounts/login/', status: 200, bytes: 389, referrer: ref, agent: BROWSER_ATTACKER });
  const failures = 7;
  for (let i = 0; i < failures; i++) {
    t += rng.int(25, 70) * US_PER_S + rng.int(0, 999_999);
    proxiedHit(s, { t, ip: DEMO_SCANNER_IP, user: 'maasops', method: 'POST', url: '/MAAS/accounts/login/', status: 400, bytes: 447, referrer: ref, agent: BROWSER_ATTACKER });
  }
  const success = at(11, 2, 17, 88_310);
  proxiedHit(s, { t: success, ip: DEMO_SCANNER_IP, user: 'maasops', method: 'POST', url: '/MAAS/accounts/login/', status: 200, bytes: 371, referrer: ref, agent: BROWSER_ATTACKER });
  const after: [number, Omit<HttpHit, 't' | 'ip'>][] = [
    [1_400_000, { method: 'GET', url: '/MAAS/accounts/login/', status: 200, bytes: 391, referrer: ref, agent: BROWSER_ATTACKER }],
    [2_100_000, { method: 'GET', url: '/MAAS/ws', status: 101, bytes: 317, agent: BROWSER_ATTACKER }],
    [9_800_000, { method: 'GET', url: '/MAAS/r/settings/users', status: 200, bytes: 2231, referrer: `${PUBLIC_URL}/MAAS/r/machines`, agent: BROWSER_ATTACKER }],
    [83_000_000, { method: 'POST', url: '/MAAS/api/2.0/account/?op=create_authorisation_token', status: 200, bytes: 512, referrer: `${PUBLIC_URL}/MAAS/r/account/prefs/api-keys`, agent: BROWSER_ATTACKER }],
  ];
  for (const [dt, hit] of after) proxiedHit(s, { ...hit, t: success + dt, ip: DEMO_SCANNER_IP });
  const token = success + 83_000_000;
  const w4 = machineAt(machines, 3);
  const api: [number, string, string, number, number][] = [
    [at(11, 5, 2, 330_000), 'GET', '/MAAS/api/2.0/users/', 200, 1187],
    [at(11, 5, 9, 12_000), 'GET', '/MAAS/api/2.0/machines/', 200, 48213],
    [at(11, 8, 44, 5_000), 'POST', '/MAAS/api/2.0/account/prefs/sshkeys/?op=import', 200, 713],
    [at(11, 10, 3, 771_000), 'POST', '/MAAS/api/2.0/machines/?op=allocate', 200, 8122],
    [at(11, 10, 41, 903_000), 'POST', `/MAAS/api/2.0/machines/${w4.systemId}/?op=deploy`, 200, 8230],
    [at(11, 26, 30, 64_000), 'GET', `/MAAS/api/2.0/machines/${w4.systemId}/`, 200, 8451],
  ];
  for (const [ti, method, url, status, bytes] of api) proxiedHit(s, { t: ti, ip: DEMO_SCANNER_IP, method, url, status, bytes, agent: ATTACKER_SCRIPT_AGENT });
  const deploy: [number, string, string, string][] = [
    [at(11, 10, 4, 102_000), 'node', 'info', `${w4.hostname}: Status transition from READY to ALLOCATED`],
    [at(11, 10, 4, 118_000), 'node', 'info', `${w4.hostname}: allocated to user admin`],
    [at(11, 10, 42, 240_000), 'node', 'info', `${w4.hostname}: Status transition from ALLOCATED to DEPLOYING`],
    [at(11, 10, 42, 410_000), 'power', 'info', `Changing power state (on) of node: ${w4.hostname} (${w4.systemId})`],
    [at(11, 10, 44, 902_000), 'power', 'info', `Changed power state (on) of node: ${w4.hostname} (${w4.systemId})`],
    [at(11, 24, 58, 17_000), 'node', 'info', `${w4.hostname}: Status transition from DEPLOYING to DEPLOYED`],
  ];
  for (const [ti, tag, level, message] of deploy) s.maasLog.push({ t: ti, text: maasLogLine(ti, tag, level, message) });
  pxeBoot(s, at(11, 11, 36, 250_000), w4);
  return { failures, success, token };
}

/** After the takeover the host itself keeps sending FIN/ACKs to an outside address: UFW blocks them. */
function errantOutbound(s: Streams, rng: Rng): { count: number; first: number; last: number } {
  const first = at(11, 31, 8, 447_205);
  let t = first;
  let count = 0;
  let last = first;
  while (t < at(17, 58, 0)) {
    s.kern.push(ufwRecord(t, {
      prefix: 'BLOCK', inIf: '', outIf: 'eth0', src: DEMO_HOST_IP, dst: DEMO_C2_IP, ipv6: false, len: 52, ttl: 64,
      id: rng.int(1, 65535), df: true, proto: 'TCP', spt: rng.int(32768, 60999), dpt: 443, window: 501, flags: 'ACK FIN',
    }));
    count++;
    last = t;
    t += rng.int(180, 420) * US_PER_S + rng.int(0, 999_999);
  }
  return { count, first, last };
}

/** Apache worker processes: the error log names one of them per line. */
class ApachePids {
  private readonly pids = [1187, 1188, 1189];
  pick(rng: Rng): number {
    return rng.pick(this.pids);
  }
  tid(rng: Rng): number {
    return 140_200_000_000_000 + rng.int(0, 999_999_999);
  }
}

function apacheStartup(s: Streams): void {
  const t = RSYSLOG_START + 5_900_000;
  s.apacheError.push({ t, text: apacheErrorLine(t, 'ssl:warn', 1185, 140_251_660_437_376, undefined, `AH01909: ${DEMO_HOST}:443:0 server certificate does NOT include an ID which matches the server name`) });
  s.apacheError.push({ t: t + 40_000, text: apacheErrorLine(t + 40_000, 'mpm_event:notice', 1185, 140_251_660_437_376, undefined, 'AH00489: Apache/2.4.52 (Ubuntu) OpenSSL/3.0.2 configured -- resuming normal operations') });
  s.apacheError.push({ t: t + 40_100, text: apacheErrorLine(t + 40_100, 'core:notice', 1185, 140_251_660_437_376, undefined, "AH00094: Command line: '/usr/sbin/apache2'") });
}

// ---------------------------------------------------------------------------------------------------
// sos metadata
// ---------------------------------------------------------------------------------------------------

function sosMetadataFiles(): DemoFile[] {
  const file = (path: string, content: string, mtime: number): DemoFile => ({ relativePath: `${DEMO_TOP_DIR}/${path}`, content, mtime });
  const ufwStatus = [
    'Status: active',
    '',
    '     To                         Action      From',
    '     --                         ------      ----',
    '[ 1] 22/tcp                     ALLOW IN    Anywhere                   (log)',
    '[ 2] 80,443/tcp                 ALLOW IN    Anywhere',
    '[ 3] 5240/tcp                   ALLOW IN    10.20.0.0/24               (log)',
    '[ 4] 53,67,69/udp               ALLOW IN    10.20.0.0/24',
    '[ 5] 22/tcp (v6)                ALLOW IN    Anywhere (v6)              (log)',
    '[ 6] 80,443/tcp (v6)            ALLOW IN    Anywhere (v6)',
    '',
  ].join('\n');
  return [
    file('version.txt', 'sos report: 4.9.0\n', SOS_RUN_MTIME_MS),
    // Real sos reports link these at the root; plain copies keep the bundle portable (zip, Windows).
    file('date', `${DEMO_SOS_DATE_TEXT}\n`, SOS_RUN_MTIME_MS),
    file('hostname', `${DEMO_HOST}\n`, SOS_RUN_MTIME_MS),
    file('sos_commands/date/date', `${DEMO_SOS_DATE_TEXT}\n`, SOS_RUN_MTIME_MS),
    file('sos_commands/host/hostname', `${DEMO_HOST}\n`, SOS_RUN_MTIME_MS),
    file('sos_commands/ufw/ufw_status_numbered', ufwStatus, SOS_RUN_MTIME_MS),
    file('etc/hostname', `${DEMO_HOST}\n`, INSTALL_MTIME_MS),
    file('etc/timezone', 'Etc/UTC\n', INSTALL_MTIME_MS),
  ];
}

// ---------------------------------------------------------------------------------------------------
// Assembly
// ---------------------------------------------------------------------------------------------------

const KERN_LOG = 'var/log/kern.log';
const ACCESS_LOG = 'var/log/apache2/access.log';

function lineOf(rendered: Rendered, mark: Mark): number {
  const line = rendered.marks.get(mark);
  if (line === undefined) throw new Error(`marker ${mark} was not rendered`);
  return line;
}

/** Runs the whole scenario and renders every file. */
export function buildDemo(): DemoBuild {
  const s: Streams = { kern: [], syslogOnly: [], auth: [], access: [], apacheError: [], regiond: [], maasLog: [], rackd: [] };
  const machines = makeMachines(rngFor(1));
  const sources = backgroundSources(rngFor(2));
  const apachePids = new ApachePids();
  const fingerprints = new Map<string, string>();

  bootKernel(s);
  bootUserland(s);
  dayKernel(s, rngFor(3));
  cronAndTimers(s, rngFor(4));
  backgroundFirewall(s, rngFor(5), sources);
  apacheStartup(s);
  maasStartup(s, rngFor(12), at(8, 0, 9, 515_000), 2311);

  const admin = rngFor(6);
  const [adminA, adminB] = DEMO_ADMIN_IPS;
  adminSsh(s, admin, fingerprints, { start: at(8, 5, 48, 120_551), ip: adminA, session: 3, durationS: 410, sudo: [[22, '/usr/bin/snap restart maas'], [95, '/usr/bin/snap services maas']] });
  maasRestart(s, at(8, 6, 10, 330_000));
  maasStartup(s, rngFor(13), at(8, 6, 15, 12_000), pidAt(at(8, 6, 15), admin) + 2);
  adminUiSession(s, admin, at(8, 14, 2), adminA, BROWSER_ADMIN);
  adminSsh(s, admin, fingerprints, { start: at(13, 20, 33, 500_003), ip: adminB, session: 5, durationS: 1260, sudo: [[61, '/usr/bin/tail -n 200 /var/snap/maas/common/log/regiond.log'], [480, '/usr/sbin/ufw status numbered']] });
  adminUiSession(s, admin, at(13, 24, 40), adminB, BROWSER_ADMIN_2);
  adminCli(s, admin, at(13, 31, 0), adminB, [
    ['GET', '/MAAS/api/2.0/users/?op=whoami'],
    ['GET', '/MAAS/api/2.0/machines/'],
    ['GET', '/MAAS/api/2.0/events/?op=query&level=AUDIT'],
  ]);
  // The afternoon release of worker-02 in maas.log is this call.
  adminCli(s, admin, at(14, 3, 55), adminB, [['POST', `/MAAS/api/2.0/machines/${machineAt(machines, 1).systemId}/?op=release`]]);
  adminUiSession(s, admin, at(16, 40, 5), adminA, BROWSER_ADMIN);
  adminSsh(s, admin, fingerprints, { start: at(17, 52, 10, 7_410), ip: adminA, session: 8, durationS: 460, sudo: [[38, '/usr/sbin/ufw status numbered'], [402, '/usr/bin/sos report --batch']] });
  monitoringAndRack(s, rngFor(7));
  internetWebNoise(s, rngFor(8), sources);
  maasBackground(s, rngFor(9), machines);
  maasLifecycle(s, rngFor(10), machines);

  const attack = rngFor(11);
  const scan = portScan(s, attack);
  const enumeration = webEnumeration(s, attack, apachePids);
  const sqli = sqlInjection(s, attack);
  webShellProbes(s, attack);
  loginGateGuessing(s, attack, apachePids);
  const ssh = sshAttempts(s, attack);
  const takeover = maasTakeover(s, attack, machines);
  const outbound = errantOutbound(s, attack);

  const kern = renderLog(s.kern);
  const access = renderLog(s.access);
  const logs: [string, Rendered][] = [
    [KERN_LOG, kern],
    ['var/log/syslog', renderLog([...s.kern, ...s.syslogOnly])],
    ['var/log/auth.log', renderLog(s.auth)],
    [ACCESS_LOG, access],
    ['var/log/apache2/error.log', renderLog(s.apacheError)],
    ['var/snap/maas/common/log/regiond.log', renderLog(s.regiond)],
    ['var/snap/maas/common/log/maas.log', renderLog(s.maasLog)],
    ['var/snap/maas/common/log/rackd.log', renderLog(s.rackd)],
  ];
  const files = [
    ...sosMetadataFiles(),
    ...logs.map(([path, rendered]): DemoFile => ({ relativePath: `${DEMO_TOP_DIR}/${path}`, content: rendered.content, mtime: DEMO_LOG_MTIME_MS })),
    // The audit log an analyst adds beside the sos report (demo-audit.ts).
    { relativePath: `${DEMO_TOP_DIR}/${DEMO_AUDIT_FILE}`, content: demoAuditFile(machines), mtime: SOS_RUN_MTIME_MS },
  ];
  return {
    files,
    knownUfwEvent: { file: KERN_LOG, line: lineOf(kern, 'knownUfw'), ...scan.known },
    knownApacheEvent: { file: ACCESS_LOG, line: lineOf(access, 'knownApache'), ...sqli.known },
    scenario: {
      portScan: { sourceIp: DEMO_SCANNER_IP, distinctPorts: SCAN_PORT_COUNT, firstIso: isoSeconds(scan.first), lastIso: isoSeconds(scan.last) },
      webEnumeration: { sourceIp: DEMO_SCANNER_IP, requests: enumeration.requests, notFound: enumeration.notFound, firstIso: isoSeconds(enumeration.first), lastIso: isoSeconds(enumeration.last) },
      sqlInjection: { sourceIp: DEMO_SCANNER_IP, requests: sqli.requests, userAgent: SQLMAP_AGENT },
      sshBruteForce: { sourceIp: DEMO_BRUTE_FORCE_IP, failures: ssh.failures, firstIso: isoSeconds(ssh.first), lastIso: isoSeconds(ssh.last) },
      maasLogin: { sourceIp: DEMO_SCANNER_IP, failures: takeover.failures, successIso: isoSeconds(takeover.success), tokenCreatedIso: isoSeconds(takeover.token) },
      outbound: { sourceIp: DEMO_HOST_IP, destinationIp: DEMO_C2_IP, destinationPort: 443, count: outbound.count, firstIso: isoSeconds(outbound.first), lastIso: isoSeconds(outbound.last) },
    },
  };
}

/** The files of the demo bundle (paths start with the sos top directory). */
export function buildDemoFiles(): DemoFile[] {
  return [...buildDemo().files];
}

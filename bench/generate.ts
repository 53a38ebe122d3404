/**
 * Seeded generators of benchmark data. No platform imports: the event generator runs in the
 * browser worker (bench/browser/store.bench.worker.ts), the syslog text generator in Node
 * (scripts/bench.mjs writes its chunks to a file). Same seed, same data, on every machine.
 */
import type { PendingEvent } from '../src/core/model/block';

/**
 * A seeded LCG on 32-bit integers (Math.imul: a float multiply loses the low bits and collapses
 * to a short cycle, making the data absurdly compressible). Returns floats in [0, 1).
 */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** 2026-03-12T00:00:00Z: the first event of every generated data set. */
export const BENCH_START = Date.UTC(2026, 2, 12);
/** Generated events spread evenly over one day. */
export const BENCH_SPAN_MS = 86_400_000;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `Mar 12 08:00:01` (day space-padded, as rsyslog writes it), UTC. */
export function syslogStamp(ms: number): string {
  const d = new Date(ms);
  const day = d.getUTCDate();
  return `${MONTHS[d.getUTCMonth()]!} ${day < 10 ? ` ${day}` : day} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** `12/Mar/2026:08:00:01 +0000`, Apache's %t without brackets, UTC. */
function apacheStamp(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]!}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

export const HOSTS: readonly string[] = [
  'maas-region-01', 'maas-region-02', 'maas-rack-01', 'maas-rack-02',
  ...Array.from({ length: 16 }, (_, i) => `node-${two(i + 1)}`),
];

export const SOURCE_ADDRESS_COUNT = 5000;

/** ~5,000 distinct public-looking IPv4 addresses, fixed by their own seed. */
const SOURCE_ADDRESSES: readonly string[] = (() => {
  const random = lcg(20260312);
  const seen = new Set<string>();
  const out: string[] = [];
  while (out.length < SOURCE_ADDRESS_COUNT) {
    const first = [45, 61, 80, 91, 103, 141, 185, 193, 203, 212][Math.floor(random() * 10)]!;
    const address = `${first}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`;
    if (!seen.has(address)) {
      seen.add(address);
      out.push(address);
    }
  }
  return out;
})();

/** Skewed: a few scanners send most of the traffic (cube of a uniform draw). */
function sourceAddress(random: () => number): string {
  const r = random();
  return SOURCE_ADDRESSES[Math.floor(r * r * r * SOURCE_ADDRESS_COUNT)]!;
}

const COMMON_PORTS = [22, 22, 22, 23, 80, 443, 3389, 5240, 5432, 8080, 445, 53, 123, 6379];
function destinationPort(random: () => number): number {
  return random() < 0.7 ? COMMON_PORTS[Math.floor(random() * COMMON_PORTS.length)]! : 1 + Math.floor(random() * 65535);
}

function ufwAction(random: () => number): [prefix: string, action: string] {
  const r = random();
  if (r < 0.85) return ['UFW BLOCK', 'block'];
  if (r < 0.95) return ['UFW ALLOW', 'allow'];
  return ['UFW AUDIT', 'audit'];
}

const PATHS = ['/MAAS/', '/MAAS/r/machines', '/MAAS/api/2.0/machines/', '/MAAS/accounts/login/', '/wp-login.php', '/.env', '/MAAS/api/2.0/nodes/', '/MAAS/rpc/'];
const AGENTS = [
  'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  'python-requests/2.31.0',
  'curl/8.5.0',
  'Mozilla/5.0 zgrab/0.x',
  'Go-http-client/1.1',
  'maas-cli/3.5',
];
const USERS = ['root', 'admin', 'ubuntu', 'maas', 'test', 'oracle', 'postgres', 'git'];

/**
 * Makes V8 flatten a string built by concatenation (a rope) in place, as ToNumber does. Parsers
 * hand over slices of decoded text, which are flat; generated events should too, or the encoder
 * is timed flattening the generator's ropes.
 */
function flat(text: string): string {
  void Number(text);
  return text;
}

/** Synthetic events like the ingest worker produces: UFW blocks (60 %), Apache requests (25 %), sshd (15 %). */
export class EventGenerator {
  private readonly random: () => number;
  private readonly spacing: number;
  private offset = 0;

  constructor(seed: number, total: number, private readonly start = BENCH_START, span = BENCH_SPAN_MS) {
    this.random = lcg(seed);
    this.spacing = span / total;
  }

  /** Event `i` (0-based, called in order): timestamps ascend with jitter inside each event's slot. */
  event(i: number): PendingEvent {
    const random = this.random;
    const timestamp = this.start + Math.floor(i * this.spacing + random() * this.spacing);
    const host = HOSTS[Math.floor(random() * HOSTS.length)]!;
    const sourceIp = sourceAddress(random);
    const sourcePort = 1024 + Math.floor(random() * 64000);
    const kind = random();
    const offset = this.offset;
    let event: PendingEvent;
    if (kind < 0.6) {
      const [prefix, action] = ufwAction(random);
      const port = destinationPort(random);
      const udp = random() < 0.2;
      const length = udp ? 28 + Math.floor(random() * 200) : 40 + Math.floor(random() * 24);
      const message =
        `[${(i / 10).toFixed(6).padStart(12)}] [${prefix}] IN=eth0 OUT= SRC=${sourceIp} DST=10.20.0.${2 + (i % 40)} LEN=${length} TTL=${40 + Math.floor(random() * 200)} ` +
        `ID=${i & 65535} PROTO=${udp ? 'UDP' : 'TCP'} SPT=${sourcePort} DPT=${port} ${udp ? `LEN=${length - 20}` : 'WINDOW=1024 SYN'} `;
      const raw = `${syslogStamp(timestamp)} ${host} kernel: ${message}`;
      event = {
        timestamp, line: i + 1, lineCount: 1, offset, raw,
        fields: {
          'event.dataset': 'ufw', 'host.name': host, 'event.action': action, 'event.category': ['network'],
          'source.ip': sourceIp, 'source.port': sourcePort, 'destination.ip': `10.20.0.${2 + (i % 40)}`, 'destination.port': port,
          'network.transport': udp ? 'udp' : 'tcp', 'network.direction': 'inbound', 'network.packet_length': length,
          'observer.ingress.interface.name': 'eth0', 'process.name': 'kernel', message,
        },
      };
    } else if (kind < 0.85) {
      const path = PATHS[Math.floor(random() * PATHS.length)]!;
      const m = random();
      const method = m < 0.85 ? 'GET' : m < 0.95 ? 'POST' : 'HEAD';
      const s = random();
      const status = s < 0.65 ? 200 : s < 0.8 ? 404 : s < 0.9 ? 302 : s < 0.97 ? 401 : 500;
      const bytes = 200 + Math.floor(random() * 20000);
      const agent = AGENTS[Math.floor(random() * AGENTS.length)]!;
      const url = `${path}?id=${i % 100_000}`;
      const raw = `${sourceIp} - - [${apacheStamp(timestamp)}] "${method} ${url} HTTP/1.1" ${status} ${bytes} "-" "${agent}"`;
      event = {
        timestamp, line: i + 1, lineCount: 1, offset, raw,
        fields: {
          'event.dataset': 'apache.access', 'host.name': host, 'source.ip': sourceIp, 'http.request.method': method,
          'url.original': url, 'url.path': path, 'url.query': `id=${i % 100_000}`, 'http.version': '1.1',
          'http.response.status_code': status, 'http.response.body.bytes': bytes, 'user_agent.original': agent,
        },
      };
    } else {
      const user = USERS[Math.floor(random() * USERS.length)]!;
      const pid = 1000 + Math.floor(random() * 60000);
      const failed = random() < 0.9;
      const message = failed
        ? `Failed password for invalid user ${user} from ${sourceIp} port ${sourcePort} ssh2`
        : `Accepted publickey for ${user} from ${sourceIp} port ${sourcePort} ssh2: ED25519 SHA256:9xk2`;
      const raw = `${syslogStamp(timestamp)} ${host} sshd[${pid}]: ${message}`;
      event = {
        timestamp, line: i + 1, lineCount: 1, offset, raw,
        fields: {
          'event.dataset': 'syslog', 'host.name': host, 'process.name': 'sshd', 'process.pid': pid,
          'event.action': failed ? 'ssh_login_failed' : 'ssh_login', 'event.outcome': failed ? 'failure' : 'success',
          'user.name': user, 'source.ip': sourceIp, 'source.port': sourcePort, message,
        },
      };
    }
    event.raw = flat(event.raw);
    const message = event.fields['message'];
    if (typeof message === 'string') event.fields['message'] = flat(message);
    this.offset += event.raw.length + 1;
    return event;
  }
}

/** What generateSyslogText wrote. */
export interface SyslogTextStats {
  bytes: number;
  lines: number;
  ufwLines: number;
}

/**
 * A /var/log/syslog of one MAAS region host, in ~1 MB chunks, until `targetBytes` is reached:
 * UFW kernel lines (~80 %), sshd failures, cron and systemd lines, over one day. ASCII only, so
 * string length = bytes. `stats` is updated as chunks are produced.
 */
export function* generateSyslogText(seed: number, targetBytes: number, stats: SyslogTextStats, chunkBytes = 1 << 20): Generator<string> {
  const random = lcg(seed);
  const host = 'maas-region-01';
  // ~232 bytes a line on average: spread the lines over about one day.
  const gap = BENCH_SPAN_MS / (targetBytes / 232);
  let t = BENCH_START;
  let uptime = 86_400 * 3.25;
  let parts: string[] = [];
  let chunk = 0;
  while (stats.bytes < targetBytes) {
    t += random() * 2 * gap;
    uptime += (random() * 2 * gap) / 1000;
    const stamp = syslogStamp(t);
    const kind = random();
    let line: string;
    if (kind < 0.8) {
      const [prefix] = ufwAction(random);
      const udp = random() < 0.2;
      const length = udp ? 28 + Math.floor(random() * 200) : 40 + Math.floor(random() * 24);
      const mac = `52:54:00:7c:d8:${two(Math.floor(random() * 90) + 10)}:fe:54:00:01:02:03:08:00`;
      line =
        `${stamp} ${host} kernel: [${uptime.toFixed(6).padStart(12)}] [${prefix}] IN=eth0 OUT= MAC=${mac} SRC=${sourceAddress(random)} DST=10.20.0.2 ` +
        `LEN=${length} TOS=0x00 PREC=0x00 TTL=${40 + Math.floor(random() * 200)} ID=${Math.floor(random() * 65536)} ` +
        (udp
          ? `PROTO=UDP SPT=${1024 + Math.floor(random() * 64000)} DPT=${destinationPort(random)} LEN=${length - 20} \n`
          : `DF PROTO=TCP SPT=${1024 + Math.floor(random() * 64000)} DPT=${destinationPort(random)} WINDOW=${1024 * (1 + Math.floor(random() * 64))} RES=0x00 SYN URGP=0 \n`);
      stats.ufwLines++;
    } else if (kind < 0.92) {
      const user = USERS[Math.floor(random() * USERS.length)]!;
      line = `${stamp} ${host} sshd[${1000 + Math.floor(random() * 60000)}]: Failed password for invalid user ${user} from ${sourceAddress(random)} port ${1024 + Math.floor(random() * 64000)} ssh2\n`;
    } else if (kind < 0.96) {
      line = `${stamp} ${host} CRON[${1000 + Math.floor(random() * 60000)}]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)\n`;
    } else {
      line = `${stamp} ${host} systemd[1]: Started snap.maas.pebble.service - Service for snap application maas.pebble (run ${Math.floor(random() * 1e6)}).\n`;
    }
    parts.push(line);
    chunk += line.length;
    stats.bytes += line.length;
    stats.lines++;
    if (chunk >= chunkBytes) {
      yield parts.join('');
      parts = [];
      chunk = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}

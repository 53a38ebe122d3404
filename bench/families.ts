/**
 * Seeded generators of one log file per family of the MAAS logging reference, for the parse
 * benchmark of issue 4 (scripts/bench-families.mjs): firewall (UFW kernel lines as kern.log holds
 * them), web (Apache combined access log), MAAS (regiond.log before 3.5, HTTP lines and
 * tab-continued tracebacks), auth (auth.log: sshd, PAM, sudo, cron sessions) and journal
 * (`journalctl --no-pager` short output of a MAAS 3.5+ region: its header, maas-regiond entries
 * with 8-space-indented tracebacks, kernel UFW lines, sshd, systemd). ASCII only, so characters =
 * bytes. Same seed, same bytes. No platform imports.
 */
import { BENCH_SPAN_MS, BENCH_START, lcg, syslogStamp } from './generate';

export type Family = 'firewall' | 'web' | 'maas' | 'auth' | 'journal';

export const FAMILIES: readonly Family[] = ['firewall', 'web', 'maas', 'auth', 'journal'];

/** The path each file is given inside its bundle: it decides the format sniffing, as in a real sos report. */
export const FAMILY_PATHS: Readonly<Record<Family, string>> = {
  firewall: 'var/log/kern.log',
  web: 'var/log/apache2/access.log',
  maas: 'var/snap/maas/common/log/regiond.log',
  auth: 'var/log/auth.log',
  journal: 'sos_commands/logs/journalctl_--no-pager',
};

/** The dataset most events of each file must get (a check that the benchmark parsed what it claims). */
export const FAMILY_DATASETS: Readonly<Record<Family, string>> = {
  firewall: 'ufw',
  web: 'apache.access',
  maas: 'maas.regiond',
  auth: 'system.auth',
  journal: 'maas.regiond',
};

export interface FamilyTextStats {
  bytes: number;
  lines: number;
  /** Lines that start an event (the rest are continuation lines of tracebacks). */
  events: number;
}

const HOST = 'maas-region-01';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

function isoStamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

function apacheStamp(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]!}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (random: Random, from: number, to: number): number => from + Math.floor(random() * (to - from + 1));

/** A few thousand public-looking addresses, a few of them (scanners) far more often than the rest. */
function addressPool(random: Random, size: number): (r: Random) => string {
  const pool: string[] = [];
  for (let i = 0; i < size; i++) pool.push(`${pick(random, [45, 61, 80, 91, 103, 141, 185, 193, 203, 212])}.${int(random, 0, 255)}.${int(random, 0, 255)}.${int(random, 1, 254)}`);
  return (r) => {
    const x = r();
    return pool[Math.floor(x * x * x * size)]!;
  };
}

const PORTS = [22, 22, 23, 80, 443, 3389, 5240, 5248, 5432, 8080, 445, 53, 123, 6379, 8443, 25];
const USERS = ['root', 'admin', 'ubuntu', 'maas', 'test', 'oracle', 'postgres', 'git', 'user', 'deploy'];
const AGENTS = [
  'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  'python-requests/2.31.0',
  'curl/8.5.0',
  'Mozilla/5.0 zgrab/0.x',
  'Python-httplib2/0.20.2 (gzip)',
  'Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:004422)',
];
const PATHS = ['/MAAS/', '/MAAS/r/machines', '/MAAS/api/2.0/machines/', '/MAAS/accounts/login/', '/wp-login.php', '/.env', '/MAAS/api/2.0/nodes/', '/MAAS/rpc/', '/MAAS/r/machine/4y3h8w/summary', '/cgi-bin/luci/;stok=/locale'];
const REFERRERS = ['-', '-', '-', 'http://10.20.0.2:5240/MAAS/r/machines', 'https://maas.example.net/MAAS/'];
const LOGGERS = ['maasserver.rpc.leases', 'maasserver.region_controller', 'maasserver.websockets.protocol', 'maasserver.dhcp', 'maasserver.rpc.regionservice', 'maasserver.ipc', 'provisioningserver.rpc.clusterservice'];
const TRACEBACK = [
  'Traceback (most recent call last):',
  '  File "/snap/maas/current/lib/python3/dist-packages/twisted/internet/defer.py", line 1418, in _inlineCallbacks',
  '    result = g.send(result)',
  '  File "/snap/maas/current/lib/python3/dist-packages/maasserver/rpc/regionservice.py", line 786, in _getConnectionFor',
  '    raise exceptions.NoConnectionsAvailable(',
  'provisioningserver.rpc.exceptions.NoConnectionsAvailable: Unable to connect to any rack controller 4y3h8w; no connections available.',
];

/** The netfilter body of a UFW LOG line (no uptime, no prefix of the syslog envelope). */
function ufwBody(random: Random, source: (r: Random) => string): string {
  const r = random();
  const prefix = r < 0.85 ? 'UFW BLOCK' : r < 0.95 ? 'UFW ALLOW' : r < 0.99 ? 'UFW AUDIT' : 'UFW LIMIT BLOCK';
  const mac = `52:54:00:7c:d8:${two(int(random, 10, 99))}:fe:54:00:01:02:03:08:00`;
  if (random() < 0.04) {
    return `[${prefix}] IN=eth0 OUT= MAC=${mac.slice(0, -5)}86:dd SRC=2001:0db8:0000:0000:0000:0000:${two(int(random, 10, 99))}00:0001 DST=fe80:0000:0000:0000:5054:00ff:fe7c:d802 ` +
      `LEN=${int(random, 64, 120)} TC=0 HOPLIMIT=255 FLOWLBL=0 PROTO=ICMPv6 TYPE=135 CODE=0 `;
  }
  const udp = random() < 0.2;
  const length = udp ? int(random, 28, 228) : int(random, 40, 64);
  const head = `[${prefix}] IN=eth0 OUT= MAC=${mac} SRC=${source(random)} DST=10.20.0.2 LEN=${length} TOS=0x00 PREC=0x00 TTL=${int(random, 40, 240)} ID=${int(random, 0, 65535)} `;
  return udp
    ? `${head}PROTO=UDP SPT=${int(random, 1024, 65000)} DPT=${pick(random, PORTS)} LEN=${length - 20} `
    : `${head}DF PROTO=TCP SPT=${int(random, 1024, 65000)} DPT=${pick(random, PORTS)} WINDOW=${1024 * int(random, 1, 64)} RES=0x00 ${random() < 0.9 ? 'SYN' : 'ACK FIN'} URGP=0 `;
}

function sshdMessage(random: Random, source: (r: Random) => string): string {
  const ip = source(random);
  const port = int(random, 1024, 65000);
  const user = pick(random, USERS);
  const r = random();
  if (r < 0.45) return `Failed password for invalid user ${user} from ${ip} port ${port} ssh2`;
  if (r < 0.6) return `Invalid user ${user} from ${ip} port ${port}`;
  if (r < 0.7) return `Failed password for root from ${ip} port ${port} ssh2`;
  if (r < 0.8) return `Connection closed by invalid user ${user} ${ip} port ${port} [preauth]`;
  if (r < 0.88) return `Received disconnect from ${ip} port ${port}:11: Bye Bye [preauth]`;
  if (r < 0.95) return `Disconnected from authenticating user ${user} ${ip} port ${port} [preauth]`;
  return `Accepted publickey for ubuntu from 10.20.0.${int(random, 3, 60)} port ${port} ssh2: ED25519 SHA256:9xk2b1WQ2pTqYbPq3vGQX0fYl8sZk1mN7oR4tU6wC5e`;
}

/** One event of a family: its lines (several for a traceback). */
function familyEvent(family: Family, random: Random, t: number, source: (r: Random) => string, uptime: number): string[] {
  const stamp = syslogStamp(t);
  switch (family) {
    case 'firewall':
      return [`${stamp} ${HOST} kernel: [${uptime.toFixed(6).padStart(12)}] ${ufwBody(random, source)}`];
    case 'web': {
      const path = pick(random, PATHS);
      const query = random() < 0.4 ? `?id=${int(random, 1, 99999)}&q=${pick(random, ['abc', '%27%20OR%201%3D1', 'status%3Aready', ''])}` : '';
      const method = random() < 0.85 ? 'GET' : random() < 0.7 ? 'POST' : 'HEAD';
      const status = pick(random, [200, 200, 200, 200, 404, 404, 302, 401, 500, 304]);
      const bytes = status === 304 ? '-' : String(int(random, 200, 40000));
      const user = random() < 0.05 ? 'admin' : '-';
      return [`${source(random)} - ${user} [${apacheStamp(t)}] "${method} ${path}${query} HTTP/1.1" ${status} ${bytes} "${pick(random, REFERRERS)}" "${pick(random, AGENTS)}"`];
    }
    case 'maas':
    case 'journal': {
      const journal = family === 'journal';
      const tag = `${stamp} ${HOST} maas-regiond[${int(random, 2000, 2100)}]:`;
      const head = journal ? `${tag} ` : `${isoStamp(t)} `;
      const r = random();
      if (journal && r < 0.25) return [`${stamp} ${HOST} kernel: ${ufwBody(random, source)}`];
      if (journal && r < 0.35) return [`${stamp} ${HOST} sshd[${int(random, 1000, 60000)}]: ${sshdMessage(random, source)}`];
      if (journal && r < 0.4) return [`${stamp} ${HOST} systemd[1]: Started snap.maas.pebble.service - Service for snap application maas.pebble (run ${int(random, 1, 999999)}).`];
      if (r < 0.7) {
        const status = pick(random, ['200 OK', '200 OK', '204 NO_CONTENT', '400 BAD_REQUEST', '404 NOT_FOUND', '302 FOUND']);
        const path = pick(random, PATHS.slice(0, 4));
        return [`${head}regiond: [info] 10.20.0.${int(random, 3, 60)} ${random() < 0.8 ? 'GET' : 'POST'} ${path}${random() < 0.3 ? `?op=list_allocated&id=${int(random, 1, 9999)}` : ''} HTTP/1.1 --> ${status} (referrer: ${pick(random, REFERRERS)}; agent: ${pick(random, AGENTS)})`];
      }
      if (r < 0.96) {
        const logger = pick(random, LOGGERS);
        const level = random() < 0.9 ? 'info' : 'warn';
        const message = random() < 0.5
          ? `Lease update: commit for 10.20.1.${int(random, 2, 250)} on 52:54:00:${two(int(random, 10, 99))}:${two(int(random, 10, 99))}:0${int(random, 1, 9)} at ${isoStamp(t)} (lease time: 600s) (hostname: node-${int(random, 1, 400)})`
          : `Rack controller authenticated from '::ffff:10.20.0.${int(random, 3, 9)}:${int(random, 40000, 60000)}'.`;
        return [`${head}${logger}: [${level}] ${message}`];
      }
      // regiond writes a newline of a message as newline + TAB; journalctl shows the TAB as 8 spaces.
      const indent = journal ? `${tag}         ` : '\t';
      return [`${head}maasserver.rpc.regionservice: [error] Failed to get connection for rack controller.`, ...TRACEBACK.map((l) => `${indent}${l}`)];
    }
    case 'auth': {
      const r = random();
      const pid = int(random, 1000, 60000);
      if (r < 0.6) return [`${stamp} ${HOST} sshd[${pid}]: ${sshdMessage(random, source)}`];
      if (r < 0.75) return [`${stamp} ${HOST} sshd[${pid}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${source(random)}  user=${pick(random, USERS)}`];
      if (r < 0.9) return [`${stamp} ${HOST} CRON[${pid}]: pam_unix(cron:session): session ${random() < 0.5 ? 'opened' : 'closed'} for user root${random() < 0.5 ? '(uid=0) by (uid=0)' : ''}`];
      return [`${stamp} ${HOST} sudo: ubuntu : TTY=pts/${int(random, 0, 4)} ; PWD=/home/ubuntu ; USER=root ; COMMAND=/usr/bin/snap logs maas -n ${int(random, 10, 500)}`];
    }
  }
}

/** `family`'s file in ~1 MB chunks until `targetBytes`, over one day; `stats` is updated as chunks come. */
export function* generateFamilyText(family: Family, seed: number, targetBytes: number, stats: FamilyTextStats, chunkBytes = 1 << 20): Generator<string> {
  const random = lcg(seed);
  const source = addressPool(lcg(seed ^ 0x5eed), 5000);
  // Time advances with the bytes written, so every file spans about one day whatever its line length.
  const msPerByte = BENCH_SPAN_MS / targetBytes;
  let gap = 200 * msPerByte;
  let t = BENCH_START;
  let uptime = 86_400 * 3.25;
  let parts: string[] = [];
  let chunk = 0;
  const push = (line: string): void => {
    parts.push(line, '\n');
    chunk += line.length + 1;
    stats.bytes += line.length + 1;
    stats.lines++;
  };
  if (family === 'journal') {
    push(`-- Logs begin at Thu 2026-03-12 00:00:00 UTC, end at Fri 2026-03-13 00:00:00 UTC. --`);
    stats.events++;
  }
  while (stats.bytes < targetBytes) {
    const step = random() * 2 * gap;
    t += step;
    uptime += step / 1000;
    const lines = familyEvent(family, random, t, source, uptime);
    stats.events++;
    let eventBytes = 0;
    for (const line of lines) {
      push(line);
      eventBytes += line.length + 1;
    }
    gap = eventBytes * msPerByte;
    if (chunk >= chunkBytes) {
      yield parts.join('');
      parts = [];
      chunk = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}

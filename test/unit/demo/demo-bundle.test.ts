import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_FACTS } from '../../../src/node/demo/demo-facts';
import { buildDemo, buildDemoFiles, syslogStamp as formatSyslogStamp } from '../../../src/node/demo/demo-files';
import type { DemoFile } from '../../../src/node/demo/demo-files';
import { generateDemoBundle } from '../../../src/node/demo/generate-demo-bundle';

const files = buildDemoFiles();

function content(inner: string): string {
  const file = files.find((f) => f.relativePath === `${DEMO_FACTS.bundleTopDir}/${inner}`);
  if (file === undefined) throw new Error(`no ${inner} in the demo bundle`);
  return file.content;
}

function lines(inner: string): string[] {
  return content(inner).slice(0, -1).split('\n');
}

function lineAt(inner: string, lineNumber: number): string {
  const line = lines(inner)[lineNumber - 1];
  if (line === undefined) throw new Error(`${inner} has no line ${lineNumber}`);
  return line;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function monthIndex(name: string | undefined): number {
  const index = MONTHS.indexOf(name ?? '');
  if (index < 0) throw new Error(`bad month ${name}`);
  return index;
}

function num(text: string | undefined): number {
  return Number(text);
}

/** Independent, minimal timestamp readers per format; undefined for a continuation line. */
type StampReader = (line: string) => number | undefined;

const syslogStamp: StampReader = (line) => {
  const m = /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d) /.exec(line);
  if (m === null) throw new Error(`no syslog stamp: ${line}`);
  // The year comes from the bundle (sos date), as a real parser would infer it.
  return Date.UTC(2026, monthIndex(m[1]), num(m[2]?.trim()), num(m[3]), num(m[4]), num(m[5]));
};

const accessStamp: StampReader = (line) => {
  const m = /\[(\d\d)\/([A-Z][a-z]{2})\/(\d{4}):(\d\d):(\d\d):(\d\d) \+0000\]/.exec(line);
  if (m === null) throw new Error(`no access stamp: ${line}`);
  return Date.UTC(num(m[3]), monthIndex(m[2]), num(m[1]), num(m[4]), num(m[5]), num(m[6]));
};

const errorStamp: StampReader = (line) => {
  const m = /^\[[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6}) (\d{4})\] /.exec(line);
  if (m === null) throw new Error(`no error-log stamp: ${line}`);
  return Date.UTC(num(m[7]), monthIndex(m[1]), num(m[2]), num(m[3]), num(m[4]), num(m[5])) + Math.floor(num(m[6]) / 1000);
};

const maasStamp: StampReader = (line) => {
  if (line.startsWith('\t')) return undefined;
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) \S+: \[(debug|info|warn|error|critical)\] /.exec(line);
  if (m === null) throw new Error(`no regiond stamp: ${line}`);
  return Date.UTC(num(m[1]), num(m[2]) - 1, num(m[3]), num(m[4]), num(m[5]), num(m[6]));
};

const rfc3339Stamp: StampReader = (line) => {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00) maas-region-01 maas\.[a-z]+: \[(info|warn|error)\] /.exec(line);
  if (m === null) throw new Error(`no RFC 3339 stamp: ${line}`);
  return Date.parse(m[1] ?? '');
};

const LOGS: Readonly<Record<string, StampReader>> = {
  'var/log/kern.log': syslogStamp,
  'var/log/syslog': syslogStamp,
  'var/log/auth.log': syslogStamp,
  'var/log/apache2/access.log': accessStamp,
  'var/log/apache2/error.log': errorStamp,
  'var/snap/maas/common/log/regiond.log': maasStamp,
  'var/snap/maas/common/log/rackd.log': maasStamp,
  'var/snap/maas/common/log/maas.log': rfc3339Stamp,
};

/**
 * The kernel's field order (nf_log_syslog.c): IN OUT [MAC] SRC DST LEN, then IPv4 TOS PREC TTL ID [DF]
 * or IPv6 TC HOPLIMIT FLOWLBL, then TCP SPT DPT WINDOW RES flags URGP or UDP SPT DPT LEN; every field
 * followed by a space.
 */
const UFW_LINE = new RegExp(
  '^[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d maas-region-01 kernel: \\[ *\\d+\\.\\d{6}\\] ' +
    '\\[UFW (?:BLOCK|ALLOW|AUDIT)\\] IN=(\\S*) OUT=(\\S*) (MAC=(?:[0-9a-f]{2}:){13}[0-9a-f]{2} )?' +
    'SRC=(\\S+) DST=(\\S+) LEN=\\d+ ' +
    '(?:TOS=0x[0-9A-F]{2} PREC=0x[0-9A-F]{2} TTL=\\d+ ID=\\d+ (?:DF )?|TC=\\d+ HOPLIMIT=\\d+ FLOWLBL=\\d+ )' +
    'PROTO=(?:TCP SPT=\\d+ DPT=\\d+ WINDOW=\\d+ RES=0x00 (?:(?:CWR|ECE|URG|ACK|PSH|RST|SYN|FIN) )+URGP=0 |UDP SPT=\\d+ DPT=\\d+ LEN=\\d+ )$',
);

const ufwLines = lines('var/log/kern.log').filter((l) => l.includes('[UFW '));

function field(line: string, key: string): string | undefined {
  return new RegExp(`(?:^| )${key}=(\\S*) `).exec(line)?.[1];
}

describe('demo bundle files', () => {
  it('is byte-identical on every build', () => {
    const again = buildDemoFiles();
    expect(again.map((f) => f.relativePath)).toEqual(files.map((f) => f.relativePath));
    again.forEach((file, i) => {
      const first = files[i] as DemoFile;
      expect(file.content === first.content, file.relativePath).toBe(true);
      expect(file.mtime).toBe(first.mtime);
    });
    expect(JSON.stringify(buildDemo().knownUfwEvent)).toBe(JSON.stringify(DEMO_FACTS.knownUfwEvent));
  });

  it('lives under one sos top directory with the expected metadata', () => {
    expect(DEMO_FACTS.bundleTopDir).toMatch(/^sosreport-maas-region-01-2026-03-12-[a-z]{7}$/);
    for (const file of files) expect(file.relativePath.startsWith(`${DEMO_FACTS.bundleTopDir}/`)).toBe(true);
    expect(new Set(files.map((f) => f.relativePath)).size).toBe(files.length);
    expect(content('version.txt')).toBe('sos report: 4.9.0\n');
    expect(content('sos_commands/date/date')).toBe(`${DEMO_FACTS.sosDate}\n`);
    expect(content('date')).toBe(content('sos_commands/date/date'));
    expect(content('etc/hostname')).toBe(`${DEMO_FACTS.host}\n`);
    expect(content('sos_commands/host/hostname')).toBe(`${DEMO_FACTS.host}\n`);
    expect(content('etc/timezone')).toBe('Etc/UTC\n');
    for (const log of Object.keys(LOGS)) expect(content(log).length).toBeGreaterThan(0);
  });

  it('ends every file with a newline and uses plain LF ASCII text', () => {
    for (const file of files) {
      expect(file.content.endsWith('\n'), file.relativePath).toBe(true);
      expect(file.content.includes('\r'), file.relativePath).toBe(false);
      expect(/^[\t\n -~]*$/.test(file.content), file.relativePath).toBe(true);
      expect(file.content.includes('\n\n\n'), file.relativePath).toBe(false);
    }
  });

  it('stays within the size bounds', () => {
    const total = files.reduce((sum, f) => sum + Buffer.byteLength(f.content), 0);
    expect(total).toBeGreaterThanOrEqual(200 * 1024);
    expect(total).toBeLessThanOrEqual(2 * 1024 * 1024);
    const kern = lines('var/log/kern.log').length;
    expect(kern).toBeGreaterThanOrEqual(600);
    expect(kern).toBeLessThanOrEqual(1500);
  });

  it('keeps every log timestamp inside the time range, in order', () => {
    const { startMs, endMs } = DEMO_FACTS.timeRange;
    for (const [path, read] of Object.entries(LOGS)) {
      let previous = startMs;
      let stamped = 0;
      for (const line of lines(path)) {
        const t = read(line);
        if (t === undefined) continue;
        stamped++;
        expect(t, `${path}: ${line}`).toBeGreaterThanOrEqual(startMs);
        expect(t, `${path}: ${line}`).toBeLessThan(endMs);
        expect(t, `${path} out of order: ${line}`).toBeGreaterThanOrEqual(previous);
        previous = t;
      }
      expect(stamped, path).toBeGreaterThan(0);
    }
  });

  it('space-pads single-digit days in syslog stamps', () => {
    expect(formatSyslogStamp(Date.UTC(2026, 2, 2, 8, 0, 1) * 1000)).toBe('Mar  2 08:00:01');
    expect(formatSyslogStamp(Date.UTC(2026, 2, 12, 17, 59, 59) * 1000 + 999_999)).toBe('Mar 12 17:59:59');
  });

  it('prints UFW lines in the kernel field order, with the trailing space', () => {
    expect(ufwLines.length).toBeGreaterThan(400);
    for (const line of ufwLines) {
      expect(line.endsWith(' '), line).toBe(true);
      const m = UFW_LINE.exec(line);
      expect(m, line).not.toBeNull();
      if (m === null) continue;
      // MAC only on the INPUT side.
      expect(m[3] !== undefined, line).toBe(m[1] !== '');
    }
    const v6 = ufwLines.filter((l) => l.includes(' TC='));
    expect(v6.length).toBeGreaterThan(0);
    for (const line of v6) {
      expect(field(line, 'SRC')).toMatch(/^([0-9a-f]{4}:){7}[0-9a-f]{4}$/);
      expect(field(line, 'DST')).toMatch(/^2001:0db8:/);
    }
    const udp = ufwLines.filter((l) => l.includes('PROTO=UDP'));
    expect(udp.length).toBeGreaterThan(0);
    for (const line of udp) expect(line.match(/ LEN=\d+ /g)?.length, line).toBe(2);
    expect(ufwLines.some((l) => l.includes('[UFW ALLOW]') && l.includes('DPT=22 '))).toBe(true);
    expect(ufwLines.some((l) => l.includes('[UFW ALLOW]') && l.includes('DPT=5240 ') && l.includes('SRC=10.20.0.'))).toBe(true);
    expect(ufwLines.some((l) => l.includes('[UFW AUDIT]'))).toBe(true);
  });

  it('copies every kernel line into syslog, interleaved with daemon lines', () => {
    const syslog = new Set(lines('var/log/syslog'));
    for (const line of lines('var/log/kern.log')) expect(syslog.has(line), line).toBe(true);
    expect([...syslog].some((l) => / (systemd\[1\]|CRON\[\d+\]|snapd\[\d+\]): /.test(l))).toBe(true);
  });
});

describe('demo facts', () => {
  it('point at the known UFW event', () => {
    const fact = DEMO_FACTS.knownUfwEvent;
    expect(fact.file).toBe('var/log/kern.log');
    const line = lineAt(fact.file, fact.line);
    expect(line).toContain('[UFW BLOCK] IN=eth0 OUT= MAC=');
    expect(field(line, 'SRC')).toBe(fact.sourceIp);
    expect(field(line, 'DST')).toBe(fact.destinationIp);
    expect(field(line, 'SPT')).toBe(String(fact.sourcePort));
    expect(field(line, 'DPT')).toBe(String(fact.destinationPort));
    expect(field(line, 'PROTO')).toBe(fact.transport.toUpperCase());
    expect(fact.action).toBe('block');
    expect(new Date(syslogStamp(line) ?? 0).toISOString()).toBe(fact.timestampIso);
    expect(fact.sourceIp).toBe(DEMO_FACTS.scannerIp);
  });

  it('point at the known Apache event', () => {
    const fact = DEMO_FACTS.knownApacheEvent;
    expect(fact.file).toBe('var/log/apache2/access.log');
    const line = lineAt(fact.file, fact.line);
    expect(line.startsWith(`${fact.sourceIp} - - [`)).toBe(true);
    expect(line).toContain(`"${fact.method} ${fact.urlOriginal} HTTP/1.1" ${fact.statusCode} ${fact.bytes} `);
    expect(line.endsWith(`"${fact.userAgent}"`)).toBe(true);
    expect(new Date(accessStamp(line) ?? 0).toISOString()).toBe(fact.timestampIso);
    expect(fact.urlOriginal).toBe('/MAAS/api/2.0/machines/?id=1%27%20OR%20%271%27%3D%271');
  });

  it('describe a port scan of >= 150 distinct ports within two minutes, hacker-tool ports included', () => {
    // Its later ssh attempts are ALLOWed (port 22 is open), so only the blocks make the scan.
    const scan = ufwLines.filter((l) => l.includes('[UFW BLOCK]') && field(l, 'SRC') === DEMO_FACTS.scannerIp);
    const ports = new Set(scan.map((l) => Number(field(l, 'DPT'))));
    expect(ports.size).toBeGreaterThanOrEqual(150);
    expect(ports.size).toBe(DEMO_FACTS.scenario.portScan.distinctPorts);
    for (const port of DEMO_FACTS.hackerToolPorts) expect(ports.has(port), String(port)).toBe(true);
    const times = scan.map((l) => syslogStamp(l) ?? 0);
    expect(Math.max(...times) - Math.min(...times)).toBeLessThanOrEqual(120_000);
  });

  it('describe the web enumeration, SQL injection and web shell probes', () => {
    const access = lines('var/log/apache2/access.log').filter((l) => l.startsWith(`${DEMO_FACTS.scannerIp} `));
    const nikto = access.filter((l) => l.includes('Nikto/2.5.0'));
    expect(nikto.length).toBe(DEMO_FACTS.scenario.webEnumeration.requests);
    expect(nikto.length).toBeGreaterThanOrEqual(80);
    expect(nikto.filter((l) => / 404 \d+ /.test(l)).length).toBe(DEMO_FACTS.scenario.webEnumeration.notFound);
    const times = nikto.map((l) => accessStamp(l) ?? 0);
    expect(Math.max(...times) - Math.min(...times)).toBeLessThanOrEqual(60_000);
    for (const path of ['/admin.php', '/wp-login.php', '/.env', '/phpmyadmin/']) {
      expect(nikto.some((l) => l.includes(`"GET ${path} HTTP/1.1" 404 `)), path).toBe(true);
    }
    expect(access.filter((l) => l.includes('sqlmap/1.7.2')).length).toBe(DEMO_FACTS.scenario.sqlInjection.requests);
    expect(access.some((l) => /union%20select/i.test(l))).toBe(true);
    expect(access.some((l) => l.includes('"GET /uploads/shell.php?cmd=id HTTP/1.1" 404 '))).toBe(true);
    expect(access.filter((l) => l.includes('"POST /MAAS/accounts/login/ HTTP/1.1" 401 ')).length).toBeGreaterThanOrEqual(10);
    expect(lines('var/log/apache2/error.log').some((l) => l.includes('[core:error]') && l.includes('AH00126: Invalid URI in request'))).toBe(true);
  });

  it('describe the ssh brute force', () => {
    const auth = lines('var/log/auth.log');
    const failures = auth.filter((l) => / sshd\[\d+\]: Failed password for .* from 198\.51\.100\.77 port \d+ ssh2$/.test(l));
    expect(failures.length).toBe(DEMO_FACTS.scenario.sshBruteForce.failures);
    expect(failures.length).toBe(40);
    expect(auth.some((l) => /Invalid user oracle from 203\.0\.113\.66 port \d+$/.test(l))).toBe(true);
    expect(auth.some((l) => /Failed password for invalid user admin from 203\.0\.113\.66 port \d+ ssh2$/.test(l))).toBe(true);
    expect(auth.some((l) => /Accepted publickey for ubuntu from 10\.20\.0\.5 port \d+ ssh2: ED25519 SHA256:[A-Za-z0-9+/]{43}$/.test(l))).toBe(true);
    expect(auth.some((l) => l.endsWith('sudo:   ubuntu : TTY=pts/0 ; PWD=/home/ubuntu ; USER=root ; COMMAND=/usr/bin/snap restart maas'))).toBe(true);
  });

  it('describe the MAAS takeover and the errant outbound traffic', () => {
    const regiond = lines('var/snap/maas/common/log/regiond.log');
    const failed = regiond.filter((l) => l.includes(`regiond: [info] ${DEMO_FACTS.scannerIp} POST /MAAS/accounts/login/ HTTP/1.1 --> 400 BAD_REQUEST (`));
    expect(failed.length).toBe(DEMO_FACTS.scenario.maasLogin.failures);
    const success = regiond.find((l) => l.includes(`${DEMO_FACTS.scannerIp} POST /MAAS/accounts/login/ HTTP/1.1 --> 200 OK`));
    expect(success).toBeDefined();
    expect(new Date(maasStamp(success ?? '') ?? 0).toISOString()).toBe(DEMO_FACTS.scenario.maasLogin.successIso);
    expect(regiond.some((l) => l.includes('op=create_authorisation_token HTTP/1.1 --> 200 OK'))).toBe(true);
    // A traceback: its continuation lines start with a TAB.
    const tracebackAt = regiond.findIndex((l) => l.includes('maasserver: [error] '));
    expect(tracebackAt).toBeGreaterThan(0);
    expect(regiond[tracebackAt + 1]).toBe('\tTraceback (most recent call last):');
    const outbound = ufwLines.filter((l) => l.includes('IN= OUT=eth0 ') && l.includes(`DST=${DEMO_FACTS.c2Ip} `));
    expect(outbound.length).toBe(DEMO_FACTS.scenario.outbound.count);
    expect(outbound.length).toBeGreaterThan(10);
    for (const line of outbound) {
      expect(line).not.toContain('MAC=');
      expect(line).toContain(`SRC=${DEMO_FACTS.hostIp} `);
      expect(line).toContain('DPT=443 ');
      expect(line).toContain(' ACK FIN URGP=0 ');
    }
    // The story runs in order.
    const s = DEMO_FACTS.scenario;
    const order = [s.portScan.firstIso, s.webEnumeration.firstIso, s.sshBruteForce.firstIso, s.maasLogin.successIso, s.maasLogin.tokenCreatedIso, s.outbound.firstIso];
    expect([...order].sort()).toEqual(order);
  });
});

describe('generateDemoBundle', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('writes the files, their mtimes and a manifest', async () => {
    const out = await mkdtemp(join(tmpdir(), 'loupe-demo-'));
    dirs.push(out);
    const info = await generateDemoBundle(out);
    expect(info.fileCount).toBe(files.length);
    const manifest = JSON.parse(await readFile(info.manifestPath, 'utf8')) as { name: string; files: { path: string; bytes: number; mtime: number }[] };
    expect(manifest.name).toBe(DEMO_FACTS.bundleTopDir);
    expect(manifest.files.length).toBe(files.length);
    expect(manifest.files.reduce((sum, f) => sum + f.bytes, 0)).toBe(info.totalBytes);
    for (const entry of manifest.files) {
      const info2 = await stat(join(out, entry.path));
      expect(info2.size).toBe(entry.bytes);
      expect(info2.mtimeMs).toBe(entry.mtime);
    }
    const kern = manifest.files.find((f) => f.path.endsWith('/var/log/kern.log'));
    expect(kern?.mtime).toBe(Date.parse('2026-03-12T18:05:00Z'));
    const text = await readFile(join(out, DEMO_FACTS.bundleTopDir, 'var/log/kern.log'), 'utf8');
    expect(text).toBe(content('var/log/kern.log'));
  });
});

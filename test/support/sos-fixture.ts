/**
 * A small sos report of a rack controller in Europe/Berlin, written as a real layout (top folder,
 * etc/, sos_commands/, rotated syslog with a .gz), with the events the tests expect from it.
 * Its year-less syslog stamps are Berlin wall time; the sos `date` is UTC.
 */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const ZONE_SOS = {
  topDir: 'sosreport-rack02-2026-03-12-abcdefg',
  host: 'rack02',
  zone: 'Europe/Berlin',
  sosVersion: '4.5.6',
  /** Failed root login in var/log/syslog (Berlin 11:00 = 10:00 UTC in March). */
  failedLogin: { file: 'var/log/syslog', line: 2, wall: 'Mar 12 11:00:00', utcIso: '2026-03-12T10:00:00.000Z', ip: '198.51.100.77' },
  /** From var/log/syslog.2.gz, the oldest rotation. */
  oldest: { file: 'var/log/syslog.2.gz', line: 1, utcIso: '2026-03-10T07:00:00.000Z' },
  /** An Apache line with its own offset: never re-timed. */
  apache: { file: 'var/log/apache2/access.log', line: 1, utcIso: '2026-03-12T09:41:02.000Z', url: '/MAAS/api/2.0/machines/?op=list' },
} as const;

export interface FixtureFile {
  readonly path: string;
  readonly data: Uint8Array;
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

export function zoneSosFiles(): FixtureFile[] {
  const t = ZONE_SOS.topDir;
  return [
    { path: `${t}/date`, data: text('Thu 12 Mar 2026 18:05:11 UTC\n') },
    { path: `${t}/etc/hostname`, data: text('rack02\n') },
    { path: `${t}/etc/timezone`, data: text('Europe/Berlin\n') },
    { path: `${t}/sos_commands/date/date`, data: text('Thu 12 Mar 2026 18:05:11 UTC\n') },
    { path: `${t}/var/log/syslog`, data: text(
      'Mar 12 10:59:58 rack02 systemd[1]: Starting Daily apt download activities...\n' +
      'Mar 12 11:00:00 rack02 sshd[100]: Failed password for root from 198.51.100.77 port 40000 ssh2\n' +
      'Mar 12 11:00:03 rack02 sshd[100]: Failed password for root from 198.51.100.77 port 40000 ssh2\n') },
    { path: `${t}/var/log/syslog.1`, data: text('Mar 11 09:30:00 rack02 CRON[5]: (root) CMD (test -x /usr/sbin/anacron)\n') },
    { path: `${t}/var/log/syslog.2.gz`, data: new Uint8Array(gzipSync(text('Mar 10 08:00:00 rack02 systemd[1]: Started Daily apt upgrade and clean activities.\n'))) },
    { path: `${t}/var/log/apache2/access.log`, data: text('10.20.0.5 - - [12/Mar/2026:10:41:02 +0100] "GET /MAAS/api/2.0/machines/?op=list HTTP/1.1" 200 512 "-" "python-requests/2.31"\n') },
    { path: `${t}/version.txt`, data: text('sosreport: 4.5.6\n') },
  ];
}

/** Writes the files under `dir` (mtime: collection time), returns the bundle folder. */
export function writeZoneSos(dir: string): string {
  for (const f of zoneSosFiles()) {
    const full = join(dir, f.path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, f.data);
    utimesSync(full, new Date('2026-03-12T18:05:00Z'), new Date('2026-03-12T18:05:00Z'));
  }
  return join(dir, ZONE_SOS.topDir);
}

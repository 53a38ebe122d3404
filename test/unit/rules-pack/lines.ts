/** Log lines in the real formats (the shapes of the corpus lines), for rule tests. */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Mar 12 09:12:04` (syslog, no year: the tests' reference time is 2026-03-12 18:00 UTC). */
export function syslogStamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

export const T0 = Date.UTC(2026, 2, 12, 9, 0, 0);
export const MIN = 60_000;

export interface UfwPacket {
  readonly action?: 'BLOCK' | 'ALLOW';
  readonly src: string;
  readonly dst: string;
  readonly dpt: number;
  readonly spt?: number;
  readonly outbound?: boolean;
  readonly flags?: string;
}

/** A UFW kernel line as in kern.log (hms5232-ufwlog, maas/ufw corpus). */
export function ufwLine(ms: number, p: UfwPacket): string {
  const iface = p.outbound === true ? 'IN= OUT=eth0' : 'IN=eth0 OUT= MAC=3c:ec:ef:5a:91:02:00:1b:21:c4:07:01:08:00';
  return `${syslogStamp(ms)} gw kernel: [ 1234.567890] [UFW ${p.action ?? 'BLOCK'}] ${iface} SRC=${p.src} DST=${p.dst} LEN=44 TOS=0x00 PREC=0x00 TTL=50 ID=4242 PROTO=TCP SPT=${p.spt ?? 40000} DPT=${p.dpt} WINDOW=1024 RES=0x00 ${p.flags ?? 'SYN'} URGP=0`;
}

export function sshdLine(ms: number, pid: number, message: string): string {
  return `${syslogStamp(ms)} gw sshd[${pid}]: ${message}`;
}

/** Apache combined log format. */
export function accessLine(ms: number, ip: string, method: string, url: string, status: number, agent = 'Mozilla/5.0', user = '-'): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
  return `${ip} - ${user} [${stamp}] "${method} ${url} HTTP/1.1" ${status} 512 "-" "${agent}"`;
}

/** A regiond HTTP line (MAAS < 3.5, log-formats.md). */
export function regiondLine(ms: number, ip: string, method: string, path: string, status: string): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} regiond: [info] ${ip} ${method} ${path} HTTP/1.1 --> ${status} (referrer: -; agent: Mozilla/5.0)`;
}

export function lines(...parts: readonly string[]): string {
  return `${parts.join('\n')}\n`;
}

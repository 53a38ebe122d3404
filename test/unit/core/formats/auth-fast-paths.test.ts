import { describe, expect, it } from 'vitest';
import { setPeer, splitHostPort } from '../../../../src/core/formats/auth-common';
import type { LineResult } from '../../../../src/core/formats/format';
import { parseSyslogEnvelope } from '../../../../src/core/formats/syslog-envelope';
import { parseSyslogLine, syslogFormat } from '../../../../src/core/formats/syslog';
import type { EventFields } from '../../../../src/core/model/event';
import { CORPUS_MISSING, corpusFileLines, hasCorpus, lcg } from '../../corpus';
import * as plainCommon from './auth-reference/auth-common';
import * as plainEnvelope from './auth-reference/syslog-envelope';
import * as plain from './auth-reference/syslog';

/**
 * The syslog and auth parsers read char codes, dispatch on the first characters and remember the
 * minute of the last stamp; auth-reference/ holds the plain forms they replaced (the files as they
 * were before). Every result must be the same, field for field and in the same key order, on every
 * corpus line, on mutated lines and on hand-made hostile ones, line by line and as whole files
 * (the sshd session state).
 */

const files = corpusFileLines(true);
const lines = files.flat();
if (!hasCorpus) console.warn(CORPUS_MISSING);
/** A value written out with its key order, -0, NaN and undefined kept apart. */
function show(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map(show).join(',')}]`;
  return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${show(v)}`).join(',')}}`;
}

const REFERENCES = [Date.UTC(2005, 7, 14), Date.UTC(2026, 2, 13), Date.UTC(2020, 0, 1, 0, 30)];
const ZONES = [undefined, 'America/New_York'];

/** The lines where the two parsers differ, with both results. */
function differences(texts: readonly string[], referenceTime: number, timeZone?: string): string[] {
  const out: string[] = [];
  for (const line of texts) {
    const fast = show(parseSyslogLine(line, referenceTime, timeZone));
    const slow = show(plain.parseSyslogLine(line, referenceTime, timeZone));
    if (fast !== slow) out.push(`${line}\n  fast ${fast}\n  slow ${slow}`);
    if (out.length > 10) break;
  }
  return out;
}

/** Whole files through createParser (journal markers, continuations, sshd sessions). */
function streamDifferences(file: readonly string[], referenceTime: number, timeZone?: string): string[] {
  const context = { path: 'var/log/auth.log', referenceTime, ...(timeZone !== undefined ? { timeZone } : {}) };
  const fast = syslogFormat.createParser(context);
  const slow = plain.syslogFormat.createParser(context);
  const out: string[] = [];
  for (const line of file) {
    const a: LineResult = fast.parseLine(line);
    const b: LineResult = slow.parseLine(line);
    if (show(a) !== show(b)) out.push(`${line}\n  fast ${show(a)}\n  slow ${show(b)}`);
    if (out.length > 10) break;
  }
  return out;
}

const AUTH_PROGRAMS = /\b(sshd|sshd-session|sshd-auth|sudo|su|dropbear|CRON|cron|login|pam_unix|sshd\(pam_unix\)|systemd-logind|kernel)\b/;
const authLines = lines.filter((line) => AUTH_PROGRAMS.test(line));

const ALPHABET = ' :[]()=;\'"<>.,-_/0123456789\tAaZzfhilmnoprstuv\u00a0\u2028\u00e9\uFEFF\r';
const random = lcg(5);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

/** `line` with one or two random edits: a character deleted, inserted or replaced, a cut, a repeat, a splice from another line. */
function mutate(line: string): string {
  let text = line;
  for (let n = random() < 0.7 ? 1 : 2; n > 0; n--) {
    const at = Math.floor(random() * (text.length + 1));
    const op = random();
    if (op < 0.2) text = text.slice(0, at) + text.slice(at + 1);
    else if (op < 0.4) text = text.slice(0, at) + pick([...ALPHABET]) + text.slice(at);
    else if (op < 0.55) text = text.slice(0, at) + pick([...ALPHABET]) + text.slice(at + 1);
    else if (op < 0.65) text = text.slice(0, at);
    else if (op < 0.75) {
      const end = Math.min(text.length, at + 1 + Math.floor(random() * 12));
      text = text.slice(0, end) + text.slice(at, end) + text.slice(end);
    } else {
      const other = pick(authLines.length > 0 ? authLines : SYNTHETIC);
      const from = Math.floor(random() * other.length);
      text = text.slice(0, at) + other.slice(from, from + 1 + Math.floor(random() * 40)) + text.slice(at);
    }
  }
  return text;
}

const USERS = ['root', 'admin', '', ' ', 'invalid user x', 'a b', 'x from 1.2.3.4 port 22', 'u port 5', '<invalid username>', 'illegal user', 'é', 'user=bob', 'x ; COMMAND=/bin/sh', '[preauth]'];
const HOSTS = ['203.0.113.5', '1.2.3.4.5', '1.2.3.4444', '0001.2.3.4', '1..2.3', '1.2.3.4.', '01.002.3.4', '::ffff:10.0.0.1', '2001:db8::1', 'host.example.com', 'host.example.com.', '[10.0.0.1]', 'UNKNOWN', '-', '1.2.3', '999.1.1.1', 'a:b:c', '::ffff:1.2.3.4:22', 'fe80::1%eth0'];
const SSHD_TEMPLATES: ((u: string, h: string, p: string) => string)[] = [
  (u, h, p) => `Failed password for ${u} from ${h} port ${p} ssh2`,
  (u, h, p) => `Failed password for invalid user ${u} from ${h} port ${p} ssh2`,
  (u, h, p) => `Failed publickey for ${u} from ${h} port ${p} ssh2: RSA SHA256:abc`,
  (u, h, p) => `Accepted publickey for ${u} from ${h} port ${p} ssh2: ED25519 SHA256:9xk2b1WQ2p`,
  (u, h, p) => `Accepted password for ${u} from ${h} port ${p} ssh2`,
  (u, h, p) => `Postponed keyboard-interactive for ${u} from ${h} port ${p} ssh2 [preauth]`,
  (u, h) => `Failed none for ${u} from ${h}`,
  (u, h, p) => `Invalid user ${u} from ${h} port ${p}`,
  (u, h) => `Invalid user ${u} from ${h}`,
  (u, h, p) => `Illegal user ${u} from ${h} port ${p}`,
  (u) => `input_userauth_request: invalid user ${u} [preauth]`,
  (u, h) => `PAM: Authentication failure for ${u} from ${h}`,
  (u, h) => `pam: authentication error for illegal user ${u} from ${h} via 10.0.0.1`,
  (u, h, p) => `error: maximum authentication attempts exceeded for ${u} from ${h} port ${p} ssh2 [preauth]`,
  (u, h, p) => `Disconnecting authenticating user ${u} ${h} port ${p}: Too many authentication failures [preauth]`,
  (u, h, p) => `Disconnecting invalid user ${u} ${h} port ${p}: Change of username or service not allowed: (a,b) -> (c,d) [preauth]`,
  () => 'Disconnecting: Too many authentication failures for root [preauth]',
  (u, h, p) => `ROOT LOGIN REFUSED FROM ${h} port ${p}`,
  (u, h) => `User ${u} from ${h} not allowed because not listed in AllowUsers`,
  (u) => `User ${u} not allowed because account is locked`,
  (u, h) => `refused connect from ${u} (${h})`,
  (u, h, p) => `Did not receive identification string from ${h} port ${p}`,
  (u, h, p) => `Received disconnect from ${h} port ${p}:11: Bye Bye [preauth]`,
  (u, h, p) => `Received disconnect from ${h} port ${p}:14: No supported authentication methods available [preauth]`,
  (u, h) => `Received disconnect from ${h}: 3: com.jcraft.jsch.JSchException: Auth fail [preauth]`,
  (u, h, p) => `Connection closed by invalid user ${u} ${h} port ${p} [preauth]`,
  (u, h, p) => `Connection closed by authenticating user ${u} ${h} port ${p} [preauth]`,
  (u, h, p) => `Disconnected from authenticating user ${u} ${h} port ${p} [preauth]`,
  (u, h, p) => `Connection reset by ${h} port ${p}`,
  (u, h) => `Connection closed by ${h} [preauth]`,
  (u, h, p) => `Connection from ${h} port ${p} on 10.0.0.2 port 22`,
  (u, h, p) => `[ID 800047 auth.info] Failed password for ${u} from ${h} port ${p} ssh2`,
  (u, h, p) => `kernel: [ 12.5]: Failed password for ${u} from ${h} port ${p} ssh2  `,
  (u, h, p) => `fatal: Failed password for ${u} from ${h} port ${p} ssh2`,
];
const OTHER_TEMPLATES: ((u: string, h: string, p: string) => string)[] = [
  (u, h) => `sshd[77]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${h}  user=${u}`,
  (u, h) => `sshd[77]: pam_unix(sshd:auth): authentication failure; logname=${u} uid=x euid=0 tty= ruser=${u} rhost=${h} rhost=${h}`,
  (u, h) => `sshd(pam_unix)[77]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=${h}`,
  (u) => `CRON[88]: pam_unix(cron:session): session opened for user ${u}(uid=0) by (uid=0)`,
  (u) => `CRON[88]: pam_unix(cron:session): session closed for user ${u}`,
  (u) => `su[9]: pam_unix(su:session): session opened for user root by ${u}(uid=1000)`,
  (u) => `login[9]: (pam_unix) session opened for user ${u} by LOGIN(uid=0)`,
  (u) => `sudo: ${u} : TTY=pts/1 ; PWD=/home/${u} ; USER=root ; COMMAND=/bin/ls ; x`,
  (u) => `sudo:     ${u} : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/ ; USER=root ; GROUP=adm ; COMMAND=/bin/sh`,
  (u) => `sudo: ${u} : user NOT in sudoers ; TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/sh`,
  (u) => `sudo: ${u} : a ; b ; COMMAND=/x`,
  (u) => `su[5]: (to root) ${u} on pts/0`,
  (u) => `su[5]: FAILED SU (to root) ${u} on pts/0`,
  (u) => `su: Successful su for root by ${u}`,
  (u) => `su: - pts/0 ${u}:root`,
  (u) => `su: 'su root' failed for ${u} on /dev/pts/8`,
  (u, h, p) => `dropbear[3]: Bad password attempt for '${u}' from ${h}:${p}`,
  (u, h, p) => `dropbear[3]: Bad PAM password attempt for '${u}' from ${h}:${p}`,
  (u, h, p) => `dropbear[3]: [3] Jul 27 01:04:12 Login attempt for nonexistent user '${u}' from ${h}:${p}`,
  (u, h, p) => `dropbear[3]: Exit before auth from <${h}:${p}>: (user '${u}', 10 fails): Max auth tries reached - user '${u}'`,
  (u, h, p) => `dropbear[3]: Pubkey auth succeeded for '${u}' with key md5 0a:1b from ${h}:${p}`,
];
const STAMPS = ['Mar 12 08:03:11 region ', 'Feb  7 16:01:07 h ', 'Feb 7 16:01:07.123 h ', 'Dec 31 23:59:59 h ', 'Jan  1 00:00:00 h ', 'Feb 29 12:00:00 h ', '2025-09-17T15:41:59.724147+03:00 h ', '<38>Mar 12 08:03:11 h ', '<38>1 2003-10-11T22:14:15.003Z h ', 'Mar 12 08:03:60 ', 'Mar 12 08:03:11 '];
const SYNTHETIC: string[] = [];
for (const stamp of STAMPS) {
  for (const template of SSHD_TEMPLATES) {
    for (const user of USERS) {
      const tag = stamp.startsWith('<38>1 ') ? 'sshd 4242 - - ' : pick(['sshd[4242]: ', 'sshd: ', 'sshd-session[9]: ', '[sshd]: ', 'sshd[x]: ']);
      SYNTHETIC.push(`${stamp}${tag}${template(user, pick(HOSTS), pick(['22', '65535', '65536', '0', 'x', '00022', '0000065535', '99999', '123456']))}`);
    }
  }
  for (const template of OTHER_TEMPLATES) {
    for (const user of USERS) SYNTHETIC.push(`${stamp}${template(user, pick(HOSTS), pick(['22', '65536']))}`);
  }
}

describe('syslog and auth fast paths agree with their plain forms', () => {
  it('every corpus line, line by line, at several reference times and zones', () => {
    expect(lines.length === 0 || authLines.length > 1000).toBe(true);
    for (const referenceTime of REFERENCES) expect(differences(lines, referenceTime)).toEqual([]);
    expect(differences(lines, REFERENCES[0]!, ZONES[1])).toEqual([]);
  });

  it('hand-made hostile auth lines', () => {
    expect(SYNTHETIC.length).toBeGreaterThan(1000);
    // Fields made by a constructor (authEvent) are still plain objects, as a literal's are.
    const notPlain = SYNTHETIC.map((line) => parseSyslogLine(line, REFERENCES[0]!)).filter((r) => r.kind === 'event' && (Object.getPrototypeOf(r.fields) !== Object.prototype || r.fields.constructor !== Object));
    expect(notPlain).toEqual([]);
    for (const timeZone of ZONES) expect(differences(SYNTHETIC, REFERENCES[0]!, timeZone)).toEqual([]);
  });

  it('mutated auth lines (corpus and hand-made)', () => {
    const mutated: string[] = [];
    for (const line of [...authLines, ...SYNTHETIC]) for (let i = 0; i < 5; i++) mutated.push(mutate(line));
    expect(differences(mutated, REFERENCES[0]!)).toEqual([]);
    expect(differences(mutated.slice(0, 20_000), REFERENCES[1]!, ZONES[1])).toEqual([]);
  });

  it('whole files through createParser, sshd sessions included', () => {
    for (const file of files) expect(streamDifferences(file, REFERENCES[0]!)).toEqual([]);
    // Stamps in a row that share a minute, then jump back and forth across days and years.
    const shuffled = [...authLines, ...SYNTHETIC].sort(() => random() - 0.5);
    expect(streamDifferences(shuffled, REFERENCES[1]!)).toEqual([]);
    expect(streamDifferences(shuffled.map(mutate), REFERENCES[0]!, ZONES[1])).toEqual([]);
  });

  it('sshd sessions past the session limit: eviction, pid reuse, many hosts, odd pids', () => {
    const session = lcg(9);
    const out: string[] = [];
    const hosts = Array.from({ length: 300 }, (_, i) => `h${i}`);
    for (let i = 0; i < 60_000; i++) {
      const r = session();
      const pid = r < 0.9 ? 1 + Math.floor(session() * 6000) : pick([0, 4194303, 4194304, 4294967295, 4294967296, 2 ** 53 + 1, -1]);
      const host = session() < 0.8 ? 'region' : hosts[Math.floor(session() * hosts.length)]!;
      const ip = `203.0.113.${Math.floor(session() * 256)}`;
      const second = String(i % 60).padStart(2, '0');
      const stamp = `Mar 12 08:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${second} ${host} sshd[${pid}]: `;
      const k = session();
      if (k < 0.3) out.push(`${stamp}Connection from ${ip} port 4242 on 10.0.0.2 port 22`);
      else if (k < 0.45) out.push(`${stamp}Disconnecting: Too many authentication failures [preauth]`);
      else if (k < 0.55) out.push(`${stamp}error: maximum authentication attempts exceeded for root from ${ip} port 4242 ssh2 [preauth]`);
      else if (k < 0.7) out.push(`${stamp}Connection closed by authenticating user root ${ip} port 4242 [preauth]`);
      else if (k < 0.8) out.push(`${stamp}User root not allowed because account is locked`);
      else if (k < 0.9) out.push(`${stamp}Accepted password for root from ${ip} port 4242 ssh2`);
      else out.push(`${stamp}Received disconnect from ${ip} port 4242:11: Bye [preauth]`);
    }
    expect(streamDifferences(out, REFERENCES[1]!)).toEqual([]);
  });

  it('sshd sessions fed by events that tell their peer, between failures without one', () => {
    // The one-match events hand their IPv4 peer to the sessions (tellPeer) instead of being read
    // back; sessions with an unattributed failure still read them. Few pids: sessions are reused.
    const session = lcg(13);
    const out: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const pid = 1 + Math.floor(session() * 40);
      const ip = `198.51.100.${Math.floor(session() * 256)}`;
      const port = pick(['22', '4242', '65535', '65536', '00022']);
      const stamp = `Mar 12 08:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} region sshd[${pid}]: `;
      const k = session();
      if (k < 0.15) out.push(`${stamp}Failed password for ${pick(['root', 'invalid user admin', 'invalid'])} from ${ip} port ${port} ssh2`);
      else if (k < 0.25) out.push(`${stamp}Invalid user admin from ${ip} port ${port}`);
      else if (k < 0.35) out.push(`${stamp}pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}  user=root`);
      else if (k < 0.45) out.push(`${stamp}Accepted publickey for ubuntu from ${ip} port ${port} ssh2: ED25519 SHA256:x`);
      else if (k < 0.55) out.push(`${stamp}Received disconnect from ${ip} port ${port}:${pick(['11', '13', '14'])}: ${pick(['Bye', 'Auth fail'])}${pick(['', ' [preauth]'])}`);
      else if (k < 0.65) out.push(`${stamp}${pick(['Connection closed by', 'Disconnected from'])} ${pick(['invalid', 'authenticating'])} user root ${ip} port ${port} [preauth]`);
      else if (k < 0.75) out.push(`${stamp}Disconnecting: Too many authentication failures [preauth]`);
      else if (k < 0.85) out.push(`${stamp}User root not allowed because account is locked`);
      else if (k < 0.92) out.push(`${stamp}error: maximum authentication attempts exceeded for root from ${ip} port ${port} ssh2 [preauth]`);
      else out.push(`${stamp}Accepted password for root from ${ip} port ${port} ssh2`);
    }
    expect(streamDifferences(out, REFERENCES[1]!)).toEqual([]);
  });

  it('the plain shapes read in one match, and their near misses', () => {
    const shapes = [
      'sshd[1]: Failed password for root from 203.0.113.5 port 22 ssh2',
      'sshd[1]: Failed password for invalid user admin from 203.0.113.5 port 22 ssh2',
      'sshd[1]: Accepted publickey for ubuntu from 10.20.0.5 port 52636 ssh2: ED25519 SHA256:9xk2b1WQ2p',
      'sshd[1]: Invalid user postgres from 91.242.139.23 port 17264',
      'sshd[1]: Connection closed by invalid user deploy 91.180.185.19 port 27771 [preauth]',
      'sshd[1]: Disconnected from authenticating user root 103.135.30.169 port 7972 [preauth]',
      'sshd[1]: Received disconnect from 212.109.191.89 port 36289:11: Bye Bye [preauth]',
      'sshd[1]: Received disconnect from 212.109.191.89 port 36289:14: No supported authentication methods available',
      'sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=141.70.156.202  user=postgres',
      'sudo: ubuntu : TTY=pts/1 ; PWD=/home/ubuntu ; USER=root ; COMMAND=/usr/bin/snap logs maas -n 190',
    ];
    // Each piece swapped for text around the edges of the patterns' classes.
    const swaps = ['', ' ', '  ', '\t', '\u00a0', ':', '::1', '1.2.3', '999999', 'invalid user', '<invalid username>', ' [preauth]', ': ', ';', ' ; ', 'x=y', '\u2028', 'é'];
    const texts: string[] = [];
    for (const shape of shapes) {
      const words = shape.split(' ');
      texts.push(`Mar 12 08:03:11 region ${shape}`);
      for (let w = 1; w < words.length; w++) {
        for (const swap of swaps) {
          const copy = [...words];
          copy[w] = swap;
          texts.push(`Mar 12 08:03:11 region ${copy.join(' ')}`);
          copy[w] = words[w]! + swap;
          texts.push(`Mar 12 08:03:11 region ${copy.join(' ')}`);
        }
      }
    }
    expect(differences(texts, REFERENCES[1]!)).toEqual([]);
    expect(streamDifferences(texts, REFERENCES[1]!)).toEqual([]);
  });

  it('repeated pam session lines (kept and rebuilt) give equal events, each its own object', () => {
    const sessions = [
      'CRON[88]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)',
      'CRON[88]: pam_unix(cron:session): session closed for user root(uid=0)',
      'CRON[89]: pam_unix(cron:session): session opened for user root',
      'su[9]: pam_unix(su:session): session opened for user root by alice(uid=1000)',
      'login[9]: (pam_unix) session opened for user bob by LOGIN(uid=0)',
      'sshd(pam_unix)[7]: session closed for user carol',
      'sshd[7]: pam_unix(sshd:session): session closed for user dave',
      'sshd[7]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=10.0.0.1  user=root',
    ];
    const texts = Array.from({ length: 3000 }, () => `Mar 12 08:03:11 region ${pick(sessions)}`);
    expect(differences(texts, REFERENCES[1]!)).toEqual([]);
    // A caller adds to its event: the next event of the same line must not see that.
    const line = `Mar 12 08:03:11 region ${sessions[0]!}`;
    const first = parseSyslogLine(line, REFERENCES[1]!);
    if (first.kind === 'event') first.fields['user.name'] = 'changed';
    expect(show(parseSyslogLine(line, REFERENCES[1]!))).toBe(show(plain.parseSyslogLine(line, REFERENCES[1]!)));
    expect(streamDifferences(texts, REFERENCES[0]!)).toEqual([]);
  });

  it('the envelope on its own', () => {
    const texts = [...lines, ...SYNTHETIC, ...SYNTHETIC.map(mutate)];
    const wrong = texts.filter((line) => show(parseSyslogEnvelope(line, REFERENCES[1]!)) !== show(plainEnvelope.parseSyslogEnvelope(line, REFERENCES[1]!)));
    expect(wrong.slice(0, 10)).toEqual([]);
  });

  it('setPeer and splitHostPort on hosts, ports and random text', () => {
    const edges = ['', ' ', '[', ']', '[]', '[x]', '[1]', '[ ]', ' [1.2.3.4] ', '\u00a01.2.3.4', '1.2.3.4\u2028', '\t::1', '[::1]', '::FFFF:1.2.3.4', '::ffff:1.2.3', 'unknown', ' - '];
    const texts = [...edges, ...HOSTS, ...HOSTS.map(mutate), ...Array.from({ length: 4000 }, () => mutate(pick([...HOSTS, ...edges])))];
    for (const line of authLines.slice(0, 1500)) texts.push(...line.split(' '));
    const wrong: string[] = [];
    for (const host of texts) {
      for (const port of [undefined, '22', 22, '65536', 'x', 1.5]) {
        for (const side of ['source', 'destination'] as const) {
          const a: EventFields = {};
          const b: EventFields = {};
          if (`${setPeer(a, side, host, port)}${show(a)}` !== `${plainCommon.setPeer(b, side, host, port)}${show(b)}`) wrong.push(`${side} ${host} ${String(port)}`);
        }
      }
      if (show(splitHostPort(host)) !== show(plainCommon.splitHostPort(host))) wrong.push(`split ${host}`);
    }
    expect(texts.length).toBeGreaterThan(5000);
    expect(wrong.slice(0, 10)).toEqual([]);
  });
});

import { hasAt } from '../text/has-at';
import type { ParsedFields, FieldValue } from '../model/event';
import { AUTH_DATASET, authEvent, sessionEvent, setPeer } from './auth-common';
import { isPrintableAscii } from './sshd';
import { tellPeer } from './sshd-sessions';
import type { SyslogMessageParser } from './syslog-messages';

/**
 * pam_unix (Linux-PAM modules/pam_unix) as any service logs it: `pam_unix(<svc>:auth):
 * authentication failure; logname= uid= euid= tty= ruser= rhost= [user=]`, the older
 * `(pam_unix) ...` and `pam_unix: ...` forms, and `session opened/closed for user U`.
 * ruser and rhost are client-controlled text: the rhost taken is the first one that is followed
 * by the end of the line or by ` user=`, as PAM writes them.
 */

const HEAD = /^(?:pam_unix\((?:([^:)]+):)?(auth|session|account|password)\):|\(pam_unix\)|pam_unix:) ?(.*)$/;

function readFailure(body: string): ParsedFields {
  const fields = authEvent('pam-auth-failure', 'failure');
  const kv = (key: string): string | undefined => {
    const m = new RegExp(`(?:^|[; ])${key}=(\\S*)`).exec(body);
    return m === null ? undefined : m[1];
  };
  const tty = kv('tty');
  if (tty !== undefined && tty !== '') fields['pam.tty'] = tty;
  const logname = kv('logname');
  if (logname !== undefined && logname !== '') fields['pam.logname'] = logname;
  const uid = kv('uid');
  if (uid !== undefined && /^\d+$/.test(uid)) fields['user.id'] = uid;
  const rhosts = [...body.matchAll(/ rhost=(\S*)(?=( +user=\S*.*)?$|( ))/g)];
  for (const m of rhosts) {
    const after = body.slice(m.index + m[0].length);
    if (after.trim() === '' || /^ +user=/.test(after)) {
      if (m[1] !== '') setPeer(fields, 'source', m[1]!);
      const user = /^ +user=(.*)$/.exec(after);
      if (user !== null && user[1]!.trim() !== '') fields['user.name'] = user[1]!.trim();
      break;
    }
  }
  setRemoteUser(fields, body);
  return fields;
}

const TYPES = ['auth', 'session', 'account', 'password'];

/** sshd's failed password through PAM, the commonest pam_unix line: everything up to the rhost is fixed. */
const SSHD_FAILURE = 'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=';
/**
 * SSHD_FAILURE with an rhost and a user without spaces, as PAM writes them (two spaces before
 * `user=`); an rhost that is an IPv4 address (what setPeer takes as source.ip unchanged) in group
 * 1, any other in group 2.
 */
const SSHD_FAILURE_LINE = /^pam_unix\(sshd:auth\): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=(?:([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3})|([!-~]+)) {2}user=([!-~]+)$/;

/**
 * `pam_unix(svc:type): ...` in printable ASCII (where `\s` is the space alone and `.` matches
 * everything), read with indexOf and char codes; undefined for any other shape, which HEAD and
 * the patterns below then read.
 */
function parseModernAscii(text: string): ParsedFields | undefined {
  if (hasAt(text, SSHD_FAILURE, 0)) {
    // readFailureAscii's fields for these values, read with one comparison: tty ssh, no logname, uid 0, no ruser.
    const fields = authEvent('pam-auth-failure', 'failure');
    fields['pam.tty'] = 'ssh';
    fields['user.id'] = '0';
    readRhost(fields, text, SSHD_FAILURE.length - 7);
    fields['pam.service'] = 'sshd';
    return fields;
  }
  let j = 9;
  while (j < text.length && text.charCodeAt(j) !== 58 /* : */ && text.charCodeAt(j) !== 41 /* ) */) j++;
  if (j === text.length) return undefined;
  let service: string | undefined;
  let typeStart = 9;
  if (text.charCodeAt(j) === 58) {
    if (j === 9) return undefined;
    service = text.slice(9, j);
    typeStart = j + 1;
  }
  let bodyStart = -1;
  const first = text.charCodeAt(typeStart);
  for (const type of TYPES) {
    if (type.charCodeAt(0) === first && hasAt(text, type, typeStart) && hasAt(text, '):', typeStart + type.length)) {
      bodyStart = typeStart + type.length + 2;
      break;
    }
  }
  if (bodyStart < 0) return undefined;
  if (text.charCodeAt(bodyStart) === 32) bodyStart++;
  let fields: ParsedFields | undefined;
  if (hasAt(text, 'authentication failure;', bodyStart)) fields = readFailureAscii(text.slice(bodyStart));
  else if (hasAt(text, 'session opened for user ', bodyStart) || hasAt(text, 'session closed for user ', bodyStart)) fields = readSessionAscii(text, bodyStart);
  else return undefined;
  if (fields !== undefined && service !== undefined) fields['pam.service'] = service;
  return fields;
}

/** `(?:^|[; ])key=(\S*)` in printable ASCII: the value, or undefined. */
function valueOf(body: string, key: string): string | undefined {
  let p = body.indexOf(key);
  while (p > 0 && body.charCodeAt(p - 1) !== 59 /* ; */ && body.charCodeAt(p - 1) !== 32) p = body.indexOf(key, p + 1);
  if (p < 0) return undefined;
  const from = p + key.length;
  let to = from;
  while (to < body.length && body.charCodeAt(to) !== 32) to++;
  return body.slice(from, to);
}

function isDigits(text: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** readFailure for printable ASCII: the same fields in the same order. */
function readFailureAscii(body: string): ParsedFields {
  const fields = authEvent('pam-auth-failure', 'failure');
  const tty = valueOf(body, 'tty=');
  if (tty !== undefined && tty !== '') fields['pam.tty'] = tty;
  const logname = valueOf(body, 'logname=');
  if (logname !== undefined && logname !== '') fields['pam.logname'] = logname;
  const uid = valueOf(body, 'uid=');
  if (uid !== undefined && isDigits(uid, 0, uid.length)) fields['user.id'] = uid;
  readRhost(fields, body, body.indexOf(' rhost='));
  setRemoteUser(fields, body);
  return fields;
}

/**
 * The first ` rhost=V` from `first` (the index of one, or -1) on that is followed by nothing but
 * spaces, or by spaces and `user=`: V as the source, what follows `user=` as user.name.
 */
function readRhost(fields: ParsedFields, body: string, first: number): void {
  const n = body.length;
  for (let q = first; q >= 0; ) {
    const from = q + 7;
    let to = from;
    while (to < n && body.charCodeAt(to) !== 32) to++;
    let k = to;
    while (k < n && body.charCodeAt(k) === 32) k++;
    if (k === n || (k > to && hasAt(body, 'user=', k))) {
      if (to > from) setPeer(fields, 'source', body.slice(from, to));
      if (k < n) {
        const user = body.slice(k + 5).trim();
        if (user !== '') fields['user.name'] = user;
      }
      break;
    }
    q = body.indexOf(' rhost=', to);
  }
}

/** `NAME(uid=N)` at the end of text[from, to): the index of its `(`, or -1. */
function uidSuffix(text: string, from: number, to: number): number {
  const open = text.lastIndexOf('(', to - 1);
  if (open < from || !hasAt(text, '(uid=', open) || text.charCodeAt(to - 1) !== 41 || !isDigits(text, open + 5, to - 1)) return -1;
  return open;
}

/**
 * SESSION for printable ASCII: `session opened|closed for user U[(uid=N)][ by [E][(uid=M)]]`, U
 * and E without spaces; U is at least one char, so a lone `(uid=N)` is the name itself.
 */
function readSessionAscii(text: string, at: number): ParsedFields | undefined {
  const userStart = at + 24;
  const n = text.length;
  let userEnd = userStart;
  while (userEnd < n && text.charCodeAt(userEnd) !== 32) userEnd++;
  if (userEnd === userStart) return undefined;
  let byStart = -1;
  if (userEnd < n) {
    if (!hasAt(text, ' by ', userEnd) || text.indexOf(' ', userEnd + 4) >= 0) return undefined;
    byStart = userEnd + 4;
  }
  const uidOpen = uidSuffix(text, userStart + 1, userEnd);
  const fields = sessionEvent(text.charCodeAt(at + 8) === 111 /* o */ ? 'session-opened' : 'session-closed');
  fields['user.name'] = text.slice(userStart, uidOpen < 0 ? userEnd : uidOpen);
  if (uidOpen >= 0) fields['user.id'] = text.slice(uidOpen + 5, userEnd - 1);
  if (byStart >= 0) {
    const euidOpen = uidSuffix(text, byStart, n);
    const effective = text.slice(byStart, euidOpen < 0 ? n : euidOpen);
    if (effective !== '') fields['user.effective.name'] = effective;
    if (euidOpen >= 0) fields['user.effective.id'] = text.slice(euidOpen + 5, n - 1);
  }
  return fields;
}

/**
 * message.indexOf('pam_unix') by its `_`: most messages (every sshd line) hold no `_` at all, and a
 * one-char search does not set up a substring search over the whole message.
 */
function pamUnixIndex(message: string): number {
  for (let u = message.indexOf('_', 3); u >= 0; u = message.indexOf('_', u + 1)) {
    if (message.charCodeAt(u - 3) === 112 /* p */ && message.charCodeAt(u - 2) === 97 /* a */ && message.charCodeAt(u - 1) === 109 /* m */ && hasAt(message, 'unix', u + 1)) return u - 3;
  }
  return -1;
}

/**
 * `program` is the syslog tag: linux-pam before 0.99.2 tagged lines `sshd(pam_unix)[pid]:` and
 * wrote the message without the module name (loghub's Linux sample is full of them).
 */
export function parsePamUnix(message: string, program = ''): ParsedFields | undefined {
  const start = pamUnixIndex(message);
  if (start < 0) {
    // `X(pam_unix)`: nothing shorter can hold it (most programs are `sshd`, `CRON`, `sudo`).
    if (program.length < 11) return undefined;
    const open = program.indexOf('(pam_unix)');
    if (open <= 0) return undefined;
    const fields = parsePamUnix(`(pam_unix) ${message}`);
    if (fields !== undefined) fields['pam.service'] = program.slice(0, open);
    return fields;
  }
  // sshd's own failure line with a plain rhost and user, in one native match (which also makes it printable ASCII).
  const failure = start === 0 && message.charCodeAt(14) === 97 /* a */ ? SSHD_FAILURE_LINE.exec(message) : null;
  if (failure !== null) {
    // readFailureAscii's fields for it: tty ssh, no logname, uid 0, no ruser, then the peer and user.
    const fields = authEvent('pam-auth-failure', 'failure');
    fields['pam.tty'] = 'ssh';
    fields['user.id'] = '0';
    if (failure[1] !== undefined) {
      fields['source.ip'] = failure[1];
      tellPeer(fields, failure[1], -1);
    } else {
      setPeer(fields, 'source', failure[2]!);
    }
    fields['user.name'] = failure[3]!;
    fields['pam.service'] = 'sshd';
    return fields;
  }
  // From here on the fields depend on the message alone.
  for (let i = 0; i < SESSIONS_KEPT; i++) {
    const kept = sessionMessages[i]!;
    if (kept.length === message.length && kept === message) return sessionCopy(i);
  }
  const text = message.slice(start > 0 && message[start - 1] === '(' ? start - 1 : start);
  if (hasAt(text, 'pam_unix(', 0) && isPrintableAscii(text)) {
    const fields = parseModernAscii(text);
    if (fields !== undefined) return keepSession(message, fields);
  }
  const head = HEAD.exec(text);
  if (head === null) return undefined;
  const service = head[1];
  const body = head[3]!;
  let fields: ParsedFields | undefined;
  if (hasAt(body, 'authentication failure;', 0)) {
    fields = readFailure(body);
  } else {
    const session = /^session (opened|closed) for user (\S+?)(?:\(uid=(\d+)\))?(?: by (\S*?)(?:\(uid=(\d+)\))?)?$/.exec(body);
    if (session === null) return undefined;
    fields = sessionEvent(session[1] === 'opened' ? 'session-opened' : 'session-closed', { 'user.name': session[2]! });
    if (session[3] !== undefined) fields['user.id'] = session[3];
    if (session[4] !== undefined && session[4] !== '') fields['user.effective.name'] = session[4];
    if (session[5] !== undefined) fields['user.effective.id'] = session[5];
  }
  if (service !== undefined) fields['pam.service'] = service;
  return keepSession(message, fields);
}

/**
 * The last few session lines and the fields they gave: cron opens and closes the same sessions
 * with the same words every few minutes. Kept as keys and values after sessionEvent's five and
 * rebuilt on a hit in the same order by the same stores (a spread copy would give V8 new object
 * shapes for every copy, and slow every store into them after).
 */
const SESSIONS_KEPT = 4;
const sessionMessages: string[] = new Array<string>(SESSIONS_KEPT).fill('');
const sessionActions: ('session-opened' | 'session-closed')[] = new Array<'session-opened' | 'session-closed'>(SESSIONS_KEPT).fill('session-opened');
const sessionKeys: string[][] = Array.from({ length: SESSIONS_KEPT }, () => []);
const sessionValues: FieldValue[][] = Array.from({ length: SESSIONS_KEPT }, () => []);
/** Which of SESSION_KEY_LISTS each kept entry's keys are (-1: another list). */
const sessionKeyList = new Int8Array(SESSIONS_KEPT).fill(-1);
/**
 * The commonest key lists, rebuilt by stores of constant keys (a store under a key read from a list
 * is a megamorphic keyed store).
 */
const SESSION_KEY_LISTS = [
  'user.name,pam.service',
  'user.name,user.id,pam.service',
  'user.name,user.id,user.effective.id,pam.service',
  'user.name,user.effective.name,user.effective.id,pam.service',
];
let sessionNext = 0;
/** sessionEvent's own keys, which every session event starts with. */
const SESSION_HEAD = 5;

function keepSession(message: string, fields: ParsedFields): ParsedFields {
  const action = fields['event.action'];
  if (action === 'session-opened' || action === 'session-closed') {
    const keys = Object.keys(fields).slice(SESSION_HEAD);
    sessionMessages[sessionNext] = message;
    sessionActions[sessionNext] = action;
    sessionKeys[sessionNext] = keys;
    sessionValues[sessionNext] = keys.map((key) => fields[key]!);
    sessionKeyList[sessionNext] = SESSION_KEY_LISTS.indexOf(keys.join(','));
    sessionNext = (sessionNext + 1) % SESSIONS_KEPT;
  }
  return fields;
}

function sessionCopy(i: number): ParsedFields {
  const fields = sessionEvent(sessionActions[i]!);
  const values = sessionValues[i]!;
  switch (sessionKeyList[i]) {
    case 0:
      fields['user.name'] = values[0]!;
      fields['pam.service'] = values[1]!;
      return fields;
    case 1:
      fields['user.name'] = values[0]!;
      fields['user.id'] = values[1]!;
      fields['pam.service'] = values[2]!;
      return fields;
    case 2:
      fields['user.name'] = values[0]!;
      fields['user.id'] = values[1]!;
      fields['user.effective.id'] = values[2]!;
      fields['pam.service'] = values[3]!;
      return fields;
    case 3:
      fields['user.name'] = values[0]!;
      fields['user.effective.name'] = values[1]!;
      fields['user.effective.id'] = values[2]!;
      fields['pam.service'] = values[3]!;
      return fields;
    default: {
      const keys = sessionKeys[i]!;
      for (let k = 0; k < keys.length; k++) fields[keys[k]!] = values[k]!;
      return fields;
    }
  }
}

export const pamUnixMessages: SyslogMessageParser = {
  id: 'pam-unix',
  accepts: () => true,
  parse(envelope) {
    const fields = parsePamUnix(envelope.message, envelope.program);
    return fields === undefined ? undefined : { dataset: AUTH_DATASET, fields };
  },
};

/** `ruser=` (the remote user PAM names, up to ` rhost=`) as user.effective.name when not empty. */
function setRemoteUser(fields: ParsedFields, body: string): void {
  const ruserStart = body.indexOf(' ruser=');
  if (ruserStart < 0) return;
  const ruserEnd = body.indexOf(' rhost=', ruserStart);
  const ruser = body.slice(ruserStart + 7, ruserEnd < 0 ? undefined : ruserEnd).trim();
  if (ruser !== '') fields['user.effective.name'] = ruser;
}

// Frozen copy of src/core/formats/pam-unix.ts as of 682e9e6, before its fast paths: the oracle of auth-fast-paths.test.ts.
import type { ParsedFields } from '../../../../../src/core/model/event';
import { AUTH_DATASET, authEvent, sessionEvent, setPeer } from './auth-common';
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
  const ruserStart = body.indexOf(' ruser=');
  if (ruserStart >= 0) {
    const ruserEnd = body.indexOf(' rhost=', ruserStart);
    const ruser = body.slice(ruserStart + 7, ruserEnd < 0 ? undefined : ruserEnd).trim();
    if (ruser !== '') fields['user.effective.name'] = ruser;
  }
  return fields;
}

/**
 * `program` is the syslog tag: linux-pam before 0.99.2 tagged lines `sshd(pam_unix)[pid]:` and
 * wrote the message without the module name (loghub's Linux sample is full of them).
 */
export function parsePamUnix(message: string, program = ''): ParsedFields | undefined {
  const start = message.indexOf('pam_unix');
  if (start < 0) {
    const open = program.indexOf('(pam_unix)');
    if (open <= 0) return undefined;
    const fields = parsePamUnix(`(pam_unix) ${message}`);
    if (fields !== undefined) fields['pam.service'] = program.slice(0, open);
    return fields;
  }
  const text = message.slice(start > 0 && message[start - 1] === '(' ? start - 1 : start);
  const head = HEAD.exec(text);
  if (head === null) return undefined;
  const service = head[1];
  const body = head[3]!;
  let fields: ParsedFields | undefined;
  if (body.startsWith('authentication failure;')) {
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
  return fields;
}

export const pamUnixMessages: SyslogMessageParser = {
  id: 'pam-unix',
  accepts: () => true,
  parse(envelope) {
    const fields = parsePamUnix(envelope.message, envelope.program);
    return fields === undefined ? undefined : { dataset: AUTH_DATASET, fields };
  },
};

// Frozen copy of src/core/formats/dropbear.ts as of 682e9e6, before its fast paths: the oracle of auth-fast-paths.test.ts.
import type { ParsedFields } from '../../../../../src/core/model/event';
import { AUTH_DATASET, authEvent, setPeer, splitHostPort } from './auth-common';
import type { SyslogMessageParser } from './syslog-messages';

/** Dropbear SSH server (svr-auth*.c): bad password attempts, nonexistent users, max tries, successful logins. */

/** Dropbear run with -E writes its own `[pid] Mon dd HH:MM:SS ` before the message. */
const OWN_STAMP = /^\[\d+\] [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d /;

function withPeer(fields: ParsedFields, hostPort: string): ParsedFields {
  const [host, port] = splitHostPort(hostPort);
  setPeer(fields, 'source', host, port);
  return fields;
}

export function parseDropbear(text: string): ParsedFields | undefined {
  const message = text.replace(OWN_STAMP, '');
  let m = /^(Bad|Bad PAM) password attempt for '(.*)' from (\S+)$/i.exec(message);
  if (m !== null) return withPeer(authEvent('ssh-login', 'failure', { 'user.name': m[2]!, ...(m[1]!.length > 3 ? { 'dropbear.pam': true } : {}) }), m[3]!);
  m = /^Login attempt for nonexistent user(?: '(.*)')? from (\S+)$/i.exec(message);
  if (m !== null) return withPeer(authEvent('ssh-invalid-user', 'failure', m[1] !== undefined ? { 'user.name': m[1] } : {}), m[2]!);
  m = /^Exit before auth(?: from <(\S+)>:)? \(user '(.*?)', (\d+) fails\): Max auth tries reached(?: - user '(.*?)')?(?: from (\S+))?$/i.exec(message);
  if (m !== null) {
    const fields = authEvent('ssh-max-attempts', 'failure', { 'user.name': m[2]!, 'dropbear.fails': Number(m[3]) });
    const peer = m[1] ?? m[5];
    return peer === undefined ? fields : withPeer(fields, peer);
  }
  m = /^Exit before auth from <(\S+)>: Max auth tries reached - user '(.*)'$/i.exec(message);
  if (m !== null) {
    const user: ParsedFields = m[2] === 'is invalid' ? {} : { 'user.name': m[2]! };
    return withPeer(authEvent('ssh-max-attempts', 'failure', user), m[1]!);
  }
  m = /^(Password|Pubkey|PAM password) auth succeeded for '(.*?)'(?: with key (.*))? from (\S+)$/i.exec(message);
  if (m !== null) {
    return withPeer(authEvent('ssh-login', 'success', { 'user.name': m[2]!, 'dropbear.method': m[1]!.toLowerCase(), ...(m[3] !== undefined ? { 'dropbear.key': m[3] } : {}) }), m[4]!);
  }
  return undefined;
}

export const dropbearMessages: SyslogMessageParser = {
  id: 'dropbear',
  accepts: (program) => program === 'dropbear',
  parse(envelope) {
    const fields = parseDropbear(envelope.message);
    return fields === undefined ? undefined : { dataset: AUTH_DATASET, fields };
  },
};

// Frozen copy of src/core/formats/sshd.ts as of 682e9e6, before its fast paths: the oracle of auth-fast-paths.test.ts.
import type { ParsedFields } from '../../../../../src/core/model/event';
import { AUTH_DATASET, authEvent, setPeer } from './auth-common';
import type { SyslogMessageParser } from './syslog-messages';

/**
 * OpenSSH sshd messages (auth.c, auth2-*.c, sshd.c, packet.c as logged at INFO): logins accepted
 * and failed, invalid users, PAM failures, refused root logins, AllowUsers/DenyUsers refusals,
 * too many attempts, pre-authentication disconnects. User names are attacker-chosen text, so the
 * peer is read from the last `from HOST port N` that ends the sentence, not the first `from`.
 */

const SOLARIS_PREFIX = /^\[ID \d+ [a-z]+\.[a-z]+\] /;
const KERNEL_PREFIX = /^kernel: ?\[ *\d+\.\d+\]:? /;
const LOGIN = /^(Accepted|Failed|Postponed) (\S+) for (.*)$/;
/** `from HOST port N [sshN]` followed by the end, `: info`, ` [preauth]` or ` on ...`. */
const FROM_PORT = / from (\S+) port (\d+)(?: (ssh[12]))?(?=$|: | \[preauth\]| on )/g;
const FROM_END = / from (\S+)$/;

function fail(action: string, extra?: ParsedFields): ParsedFields {
  return authEvent(action, 'failure', extra);
}

/** `<who> from H [port P]` at the end of a sentence: [who, host, port]. */
function whoFrom(text: string): [string, string, string | undefined] | undefined {
  FROM_PORT.lastIndex = 0;
  for (let m = FROM_PORT.exec(text); m !== null; m = FROM_PORT.exec(text)) {
    return [text.slice(0, m.index), m[1]!, m[2]];
  }
  const end = FROM_END.exec(text);
  return end === null ? undefined : [text.slice(0, end.index), end[1]!, undefined];
}

function setUser(fields: ParsedFields, who: string): void {
  let user = who;
  let invalid = false;
  for (const prefix of ['invalid user ', 'illegal user ']) {
    if (user.startsWith(prefix)) {
      user = user.slice(prefix.length);
      invalid = true;
    } else if (user === prefix.trimEnd()) {
      user = '';
      invalid = true;
    }
  }
  if (user === '<invalid username>') {
    user = '';
    invalid = true;
  }
  if (user !== '') fields['user.name'] = user;
  if (invalid) fields['sshd.invalid_user'] = true;
}

function parseLogin(kind: string, method: string, rest: string): ParsedFields | undefined {
  // "for U from H port P ssh2[: KEY]"; the part after the peer is the key or the ssh1 ruser.
  FROM_PORT.lastIndex = 0;
  let peer: [string, string, string | undefined, string, string | undefined] | undefined;
  for (let m = FROM_PORT.exec(rest); m !== null; m = FROM_PORT.exec(rest)) {
    peer = [rest.slice(0, m.index), m[1]!, m[2], rest.slice(m.index + m[0].length), m[3]];
    break;
  }
  if (peer === undefined) {
    const end = FROM_END.exec(rest);
    if (end === null) return undefined;
    peer = [rest.slice(0, end.index), end[1]!, undefined, '', undefined];
  }
  const [who, host, port, tail, protocol] = peer;
  const fields: ParsedFields = {};
  setUser(fields, who);
  setPeer(fields, 'source', host, port);
  fields['sshd.method'] = method;
  if (protocol !== undefined) fields['network.protocol'] = protocol;
  if (tail.startsWith(': ')) fields['sshd.auth_info'] = tail.slice(2);
  if (kind === 'Accepted') return authEvent('ssh-login', 'success', fields);
  if (kind === 'Postponed') return authEvent('ssh-login-postponed', 'unknown', fields);
  // A publickey offer the server declines is a routine step for an existing account (clients
  // offer their keys in turn): its outcome is only known when the session ends (sshd-sessions).
  if (method === 'publickey' && fields['sshd.invalid_user'] !== true) return authEvent('ssh-publickey-rejected', 'unknown', fields);
  return fail('ssh-login', fields);
}

const DISCONNECT = /^Received disconnect from (\S+?)(?: port (\d+))?: ?(\d+): (.*?)(?: \[preauth\])?$/;
const CLOSED = /^(Connection closed|Connection reset|Disconnected|Disconnecting) (?:by |from )?(?:(authenticating|invalid) user (.*?) )?(\S+) port (\d+)(?::.*?)?( \[preauth\])?$|^(Connection closed|Connection reset|Disconnected) by (\S+)( \[preauth\])?$/;

export function parseSshdMessage(text: string): ParsedFields | undefined {
  // A Solaris `[ID n facility.level]` tag, or a `kernel: [uptime]` prefix some forwarders leave in.
  let message = text;
  if (message.startsWith('[ID ')) message = message.replace(SOLARIS_PREFIX, '');
  if (message.startsWith('kernel:')) message = message.replace(KERNEL_PREFIX, '');
  message = message.trimEnd();
  if (message.startsWith('error: ')) message = message.slice(7);
  else if (message.startsWith('fatal: ')) message = message.slice(7);
  const preauth = message.endsWith(' [preauth]');

  const login = LOGIN.exec(message);
  if (login !== null) return parseLogin(login[1]!, login[2]!, login[3]!);

  if (message.startsWith('Invalid user ') || message.startsWith('Illegal user ')) {
    const peer = whoFrom(message.slice(13));
    if (peer === undefined) return undefined;
    const fields = fail('ssh-invalid-user', { 'sshd.invalid_user': true });
    if (peer[0] !== '') fields['user.name'] = peer[0];
    setPeer(fields, 'source', peer[1], peer[2]);
    return fields;
  }
  if (message.startsWith('input_userauth_request: invalid user ')) {
    const user = message.slice(37).replace(/ \[preauth\]$/, '');
    return fail('ssh-invalid-user', { 'sshd.invalid_user': true, ...(user !== '' ? { 'user.name': user } : {}) });
  }
  const pam = /^PAM: (?:Authentication (?:failure|error)|User not known to the underlying authentication module) for (.*)$/i.exec(message);
  if (pam !== null) {
    const body = pam[1]!.replace(/ via \S+$/, '');
    const peer = whoFrom(body);
    if (peer === undefined) return undefined;
    const fields = fail('ssh-pam-failure');
    setUser(fields, peer[0]);
    setPeer(fields, 'source', peer[1], peer[2]);
    return fields;
  }
  const max = /^maximum authentication attempts exceeded for (.*?)(?: \[preauth\])?$/.exec(message);
  if (max !== null) {
    const peer = whoFrom(max[1]!.replace(/ ssh[12]$/, ''));
    const fields = fail('ssh-max-attempts', { 'sshd.max_attempts_exceeded': true });
    if (peer !== undefined) {
      setUser(fields, peer[0]);
      setPeer(fields, 'source', peer[1], peer[2]);
    }
    return fields;
  }
  const tooMany = /^Disconnecting(?: (?:authenticating|invalid) user (\S*) (\S+) port (\d+))?: Too many authentication failures(?: for (?:invalid user )?(\S+))?/.exec(message);
  if (tooMany !== null) {
    const fields = fail('ssh-max-attempts');
    const user = tooMany[1] ?? tooMany[4];
    if (user !== undefined && user !== '') fields['user.name'] = user;
    if (tooMany[2] !== undefined) setPeer(fields, 'source', tooMany[2], tooMany[3]);
    return fields;
  }
  const dropped = /^Disconnecting (authenticating|invalid) user (\S*) (\S+) port (\d+): (.*?)(?: \[preauth\])?$/.exec(message);
  if (dropped !== null) {
    // sshd cut an unauthenticated client off (protocol misuse such as a change of user name).
    const fields = authEvent('ssh-disconnect', dropped[1] === 'invalid' ? 'failure' : 'unknown', { 'event.reason': dropped[5]! });
    if (dropped[1] === 'invalid') fields['sshd.invalid_user'] = true;
    if (dropped[2] !== '') fields['user.name'] = dropped[2]!;
    setPeer(fields, 'source', dropped[3]!, dropped[4]);
    if (preauth) fields['sshd.preauth'] = true;
    return fields;
  }
  const root = /^ROOT LOGIN REFUSED FROM (\S+?)(?: port (\d+))?(?: \[preauth\])?$/i.exec(message);
  if (root !== null) {
    const fields = fail('ssh-root-refused', { 'user.name': 'root' });
    setPeer(fields, 'source', root[1]!, root[2]);
    return fields;
  }
  const notAllowed = /^User (\S*) from (\S+) not allowed because (.*)$/.exec(message);
  if (notAllowed !== null) {
    const fields = fail('ssh-user-not-allowed', { 'user.name': notAllowed[1]!, 'event.reason': `not allowed because ${notAllowed[3]!}` });
    setPeer(fields, 'source', notAllowed[2]!);
    return fields;
  }
  const locked = /^User (\S+) not allowed because (.*)$/.exec(message);
  if (locked !== null) return fail('ssh-user-not-allowed', { 'user.name': locked[1]!, 'event.reason': `not allowed because ${locked[2]!}` });
  const refused = /^refused connect from (\S+) \((\S+)\)$/.exec(message);
  if (refused !== null) {
    // tcp_wrappers (hosts.deny) turned the client away before any authentication.
    const fields: ParsedFields = { 'event.kind': 'event', 'event.category': ['network'], 'event.type': ['denied'], 'event.action': 'ssh-refused-connect', 'event.outcome': 'failure' };
    setPeer(fields, 'source', refused[2]!);
    return fields;
  }
  const noId = /^Did not receive identification string from (\S+?)(?: port (\d+))?$/.exec(message);
  if (noId !== null) {
    const fields: ParsedFields = { 'event.kind': 'event', 'event.category': ['network'], 'event.action': 'ssh-no-identification', 'event.outcome': 'failure' };
    setPeer(fields, 'source', noId[1]!, noId[2]);
    return fields;
  }
  const disconnect = DISCONNECT.exec(message);
  if (disconnect !== null) {
    const code = Number(disconnect[3]);
    const reason = disconnect[4]!;
    // SSH2_DISCONNECT_AUTH_CANCELLED_BY_USER(13)/NO_MORE_AUTH_METHODS_AVAILABLE(14), clients that say "Auth fail".
    const authFailure = code === 14 || code === 13 || /auth(?:entication)? fail/i.test(reason);
    const fields: ParsedFields = authFailure
      ? fail('ssh-disconnect')
      : { 'event.kind': 'event', 'event.category': ['network'], 'event.action': 'ssh-disconnect', 'event.outcome': 'unknown' };
    setPeer(fields, 'source', disconnect[1]!, disconnect[2]);
    fields['sshd.disconnect_code'] = code;
    fields['event.reason'] = reason;
    if (preauth) fields['sshd.preauth'] = true;
    return fields;
  }
  const closed = CLOSED.exec(message);
  if (closed !== null) {
    // Closed by a client still authenticating: it gave up; whether it would have failed is unknown.
    const fields: ParsedFields =
      closed[2] !== undefined && preauth
        ? authEvent('ssh-disconnect', 'unknown', closed[2] === 'invalid' ? { 'sshd.invalid_user': true } : {})
        : { 'event.kind': 'event', 'event.category': ['network'], 'event.action': 'ssh-disconnect', 'event.outcome': 'unknown' };
    if (closed[3] !== undefined && closed[3] !== '') fields['user.name'] = closed[3].split(' ')[0]!;
    if (closed[4] !== undefined) setPeer(fields, 'source', closed[4], closed[5]);
    else setPeer(fields, 'source', closed[8]!);
    if (preauth) fields['sshd.preauth'] = true;
    return fields;
  }
  const connection = /^Connection from (\S+) port (\d+)(?: on (\S+) port (\d+))?/.exec(message);
  if (connection !== null) {
    const fields: ParsedFields = { 'event.kind': 'event', 'event.category': ['network'], 'event.type': ['connection', 'start'], 'event.action': 'ssh-connection' };
    setPeer(fields, 'source', connection[1]!, connection[2]);
    if (connection[3] !== undefined) setPeer(fields, 'destination', connection[3], connection[4]);
    return fields;
  }
  return undefined;
}

export function isSshd(program: string): boolean {
  return program === 'sshd' || program === 'sshd-session' || program === 'sshd-auth';
}

export const sshdMessages: SyslogMessageParser = {
  id: 'sshd',
  accepts: isSshd,
  parse(envelope) {
    const fields = parseSshdMessage(envelope.message);
    return fields === undefined ? undefined : { dataset: AUTH_DATASET, fields };
  },
};

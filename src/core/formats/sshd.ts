import { hasAt } from '../text/has-at';
import type { ParsedFields } from '../model/event';
import { AUTH_DATASET, AUTHENTICATION, authEvent, CONNECTION_START, DENIED, INFO, isPlainEnvelope, NETWORK, setPeer, START } from './auth-common';
import { tellPeer } from './sshd-sessions';
import type { SyslogEnvelope } from './syslog-envelope';
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

/** True when every char is printable ASCII: there `\s` is only the space, `.` matches all, trim cuts spaces. */
export function isPrintableAscii(text: string): boolean {
  // A regex scan: native code, where a charCodeAt loop re-reads a sliced line's representation per char.
  return !NOT_PRINTABLE_ASCII.test(text);
}
const NOT_PRINTABLE_ASCII = /[^ -~]/;

/** Where findFromPort found FROM_PORT: match start and end, host, port and the ssh1/ssh2 token. */
let fromIndex = 0;
let fromEnd = 0;
let fromHostStart = 0;
let fromHostEnd = 0;
let fromPortEnd = 0;
let fromProtocol: string | undefined;

/** FROM_PORT.exec(text.slice(from)) for printable ASCII text, by indexOf and char codes (indices in text); false for no match. */
function findFromPort(text: string, from = 0): boolean {
  const n = text.length;
  for (let i = text.indexOf(' from ', from); i >= 0; i = text.indexOf(' from ', i + 1)) {
    const hostStart = i + 6;
    let hostEnd = hostStart;
    while (hostEnd < n && text.charCodeAt(hostEnd) !== 32) hostEnd++;
    if (hostEnd === hostStart || !hasAt(text, ' port ', hostEnd)) continue;
    const portStart = hostEnd + 6;
    let portEnd = portStart;
    while (portEnd < n && text.charCodeAt(portEnd) >= 48 && text.charCodeAt(portEnd) <= 57) portEnd++;
    if (portEnd === portStart) continue;
    let end = portEnd;
    let protocol: string | undefined;
    const p = text.charCodeAt(portEnd + 4);
    if (hasAt(text, ' ssh', portEnd) && (p === 49 || p === 50) && endsSentence(text, portEnd + 5)) {
      end = portEnd + 5;
      protocol = p === 50 ? 'ssh2' : 'ssh1';
    } else if (!endsSentence(text, portEnd)) {
      continue;
    }
    fromIndex = i;
    fromEnd = end;
    fromHostStart = hostStart;
    fromHostEnd = hostEnd;
    fromPortEnd = portEnd;
    fromProtocol = protocol;
    return true;
  }
  return false;
}

/** FROM_PORT's lookahead: `$`, `: `, ` [preauth]` or ` on ` at `at`. */
function endsSentence(text: string, at: number): boolean {
  return at === text.length || hasAt(text, ': ', at) || hasAt(text, ' [preauth]', at) || hasAt(text, ' on ', at);
}

/** FROM_END.exec(text.slice(from)) for printable ASCII text: the index in text of its ` from `, or -1. */
function findFromEnd(text: string, from = 0): number {
  const i = text.lastIndexOf(' from ');
  return i >= from && i + 6 < text.length && text.indexOf(' ', i + 6) < 0 ? i : -1;
}

/** Number(text.slice(from, to)) for ASCII digits. */
function digitsValue(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (text.charCodeAt(i) - 48);
  return n;
}

/** `<who> from H [port P]` at the end of a sentence: [who, host, port]. */
function whoFrom(text: string, ascii: boolean): [string, string, string | undefined] | undefined {
  if (ascii) {
    if (findFromPort(text)) return [text.slice(0, fromIndex), text.slice(fromHostStart, fromHostEnd), text.slice(fromHostEnd + 6, fromPortEnd)];
    const i = findFromEnd(text);
    return i < 0 ? undefined : [text.slice(0, i), text.slice(i + 6), undefined];
  }
  FROM_PORT.lastIndex = 0;
  for (let m = FROM_PORT.exec(text); m !== null; m = FROM_PORT.exec(text)) {
    return [text.slice(0, m.index), m[1]!, m[2]];
  }
  const end = FROM_END.exec(text);
  return end === null ? undefined : [text.slice(0, end.index), end[1]!, undefined];
}

/** What readUser found: the name ('' for none) and whether sshd called it invalid. */
let userName = '';
let userInvalid = false;

/** `invalid user X` / `illegal user X` (in that order, both may prefix), `<invalid username>`. */
function readUser(who: string): void {
  let user = who;
  let invalid = false;
  if (hasAt(user, 'invalid user ', 0)) {
    user = user.slice(13);
    invalid = true;
  } else if (user === 'invalid user') {
    user = '';
    invalid = true;
  }
  if (hasAt(user, 'illegal user ', 0)) {
    user = user.slice(13);
    invalid = true;
  } else if (user === 'illegal user') {
    user = '';
    invalid = true;
  }
  if (user === '<invalid username>') {
    user = '';
    invalid = true;
  }
  userName = user;
  userInvalid = invalid;
}

function setUser(fields: ParsedFields, who: string): void {
  readUser(who);
  if (userName !== '') fields['user.name'] = userName;
  if (userInvalid) fields['sshd.invalid_user'] = true;
}

/** readUser(text.slice(from, to)) without slicing the prefixes off one by one. */
function readUserAt(text: string, from: number, to: number): void {
  let a = from;
  let invalid = false;
  if (to - a >= 13 && hasAt(text, 'invalid user ', a)) {
    a += 13;
    invalid = true;
  } else if (to - a === 12 && hasAt(text, 'invalid user', a)) {
    a = to;
    invalid = true;
  }
  if (to - a >= 13 && hasAt(text, 'illegal user ', a)) {
    a += 13;
    invalid = true;
  } else if (to - a === 12 && hasAt(text, 'illegal user', a)) {
    a = to;
    invalid = true;
  }
  if (to - a === 18 && hasAt(text, '<invalid username>', a)) {
    a = to;
    invalid = true;
  }
  userName = a < to ? text.slice(a, to) : '';
  userInvalid = invalid;
}

/** The event of a login line, its outcome from its kind, method and user. */
function loginEvent(kind: string, method: string): ParsedFields {
  // A publickey offer the server declines is a routine step for an existing account (clients
  // offer their keys in turn): its outcome is only known when the session ends (sshd-sessions).
  const fields = kind === 'Accepted'
    ? authEvent('ssh-login', 'success')
    : kind === 'Postponed'
      ? authEvent('ssh-login-postponed', 'unknown')
      : method === 'publickey' && !userInvalid
        ? authEvent('ssh-publickey-rejected', 'unknown')
        : authEvent('ssh-login', 'failure');
  if (userName !== '') fields['user.name'] = userName;
  if (userInvalid) fields['sshd.invalid_user'] = true;
  return fields;
}

function parseLogin(kind: string, method: string, rest: string): ParsedFields | undefined {
  // "for U from H port P ssh2[: KEY]"; the part after the peer is the key or the ssh1 ruser.
  let who: string;
  let host: string;
  let port: string | undefined;
  let tail = '';
  let protocol: string | undefined;
  FROM_PORT.lastIndex = 0;
  const m = FROM_PORT.exec(rest);
  if (m !== null) {
    who = rest.slice(0, m.index);
    host = m[1]!;
    port = m[2];
    tail = rest.slice(m.index + m[0].length);
    protocol = m[3];
  } else {
    const end = FROM_END.exec(rest);
    if (end === null) return undefined;
    who = rest.slice(0, end.index);
    host = end[1]!;
  }
  readUser(who);
  const fields = loginEvent(kind, method);
  setPeer(fields, 'source', host, port);
  fields['sshd.method'] = method;
  if (protocol !== undefined) fields['network.protocol'] = protocol;
  if (hasAt(tail, ': ', 0)) fields['sshd.auth_info'] = tail.slice(2);
  return fields;
}

/**
 * parseLoginAscii's commonest input: a user without spaces (so the first ` from ` after it is
 * the peer's, and readUserAt has no prefix to take off but `invalid user `), a dotted host.
 */
const FAILED_PASSWORD = /^Failed password for (invalid user )?([!-~]+) from ([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}) port ([0-9]{1,5}) ssh2$/;

/** `Invalid user U from H port P`, U without spaces (the first ` from ` after it is the peer's), a dotted H. */
const INVALID_USER = /^Invalid user ([!-~]+) from ([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}) port ([0-9]{1,5})$/;

/** A key accepted, the same way: the user without spaces, a dotted host, the key after `ssh2: `. */
const ACCEPTED_KEY = /^Accepted publickey for ([!-~]+) from ([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}) port ([0-9]{1,5}) ssh2: ([ -~]*)$/;

/**
 * CLOSED's first branch for users and hosts without spaces, ending in ` [preauth]`; a host that is
 * an IPv4 address (what setPeer takes as source.ip unchanged) in group 3, any other in group 4.
 */
const CLOSED_PREAUTH = /^(?:Connection closed by|Disconnected from) (invalid|authenticating) user ([!-~]+) (?:([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3})|([!-~]+)) port ([0-9]+) \[preauth\]$/;
/**
 * DISCONNECT for a host without spaces or colons (where its lazy host can only end at the host's
 * end) and no space before the code; an IPv4 host in group 1, any other in group 2.
 */
const RECEIVED = /^Received disconnect from (?:([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3})|([!-9;-~]+)) port ([0-9]+):([0-9]+): ([ -~]*?)(?: \[preauth\])?$/;

/**
 * Number(digits) for a string of ASCII digits: by char codes up to 5 of them (Number() of a new
 * string goes through a general conversion); longer ones (a port past 65535 unless zero-padded) by Number().
 */
function numberOfDigits(digits: string): number {
  const n = digits.length;
  if (n > 5) return Number(digits);
  let value = 0;
  for (let i = 0; i < n; i++) value = value * 10 + (digits.charCodeAt(i) - 48);
  return value;
}

/**
 * setPeer(fields, 'source', ip, port) for a dotted quad of 1-3 digit parts (always source.ip, as
 * it is) and a port of ASCII digits (kept up to 65535).
 */
function setIpv4Peer(fields: ParsedFields, ip: string, port: string): void {
  fields['source.ip'] = ip;
  const n = numberOfDigits(port);
  if (n <= 65535) fields['source.port'] = n;
  // Every caller's event is other than ssh-max-attempts.
  tellPeer(fields, ip, n <= 65535 ? n : -1);
}

const METHODS = ['password', 'publickey', 'none', 'keyboard-interactive', 'hostbased', 'gssapi-with-mic'];

/**
 * LOGIN and parseLogin for printable ASCII, on offsets into the message: undefined when LOGIN
 * does not match (`matched` false) or when it matches without a peer (`matched` true).
 */
let loginMatched = false;
function parseLoginAscii(message: string): ParsedFields | undefined {
  loginMatched = false;
  let kind: string;
  let method: string | undefined;
  let methodEnd: number;
  // Failed passwords are most of a log under attack: kind, method and ` for ` in one comparison.
  if (hasAt(message, 'Failed password for ', 0)) {
    kind = 'Failed';
    method = 'password';
    methodEnd = 15;
  } else {
    if (hasAt(message, 'Failed ', 0)) kind = 'Failed';
    else if (hasAt(message, 'Accepted ', 0)) kind = 'Accepted';
    else if (hasAt(message, 'Postponed ', 0)) kind = 'Postponed';
    else return undefined;
    const methodStart = kind.length + 1;
    methodEnd = message.indexOf(' ', methodStart);
    if (methodEnd <= methodStart || !hasAt(message, ' for ', methodEnd)) return undefined;
    for (const known of METHODS) {
      if (known.length === methodEnd - methodStart && hasAt(message, known, methodStart)) {
        method = known;
        break;
      }
    }
    method ??= message.slice(methodStart, methodEnd);
  }
  loginMatched = true;
  const rest = methodEnd + 5;
  let host: string;
  let port: number | undefined;
  let tailStart = message.length;
  let protocol: string | undefined;
  if (findFromPort(message, rest)) {
    readUserAt(message, rest, fromIndex);
    host = message.slice(fromHostStart, fromHostEnd);
    port = digitsValue(message, fromHostEnd + 6, fromPortEnd);
    tailStart = fromEnd;
    protocol = fromProtocol;
  } else {
    const i = findFromEnd(message, rest);
    if (i < 0) return undefined;
    readUserAt(message, rest, i);
    host = message.slice(i + 6);
  }
  const fields = loginEvent(kind, method);
  setPeer(fields, 'source', host, port);
  fields['sshd.method'] = method;
  if (protocol !== undefined) fields['network.protocol'] = protocol;
  if (hasAt(message, ': ', tailStart)) fields['sshd.auth_info'] = message.slice(tailStart + 2);
  return fields;
}

const DISCONNECT = /^Received disconnect from (\S+?)(?: port (\d+))?: ?(\d+): (.*?)(?: \[preauth\])?$/;
const CLOSED = /^(Connection closed|Connection reset|Disconnected|Disconnecting) (?:by |from )?(?:(authenticating|invalid) user (.*?) )?(\S+) port (\d+)(?::.*?)?( \[preauth\])?$|^(Connection closed|Connection reset|Disconnected) by (\S+)( \[preauth\])?$/;

/** The event of a `Received disconnect` line. */
function disconnectEvent(host: string, port: string | undefined, code: number, reason: string, preauth: boolean, ipv4 = false): ParsedFields {
  // SSH2_DISCONNECT_AUTH_CANCELLED_BY_USER(13)/NO_MORE_AUTH_METHODS_AVAILABLE(14), clients that say "Auth fail".
  const authFailure = code === 14 || code === 13 || /auth(?:entication)? fail/i.test(reason);
  const fields: ParsedFields = authFailure
    ? fail('ssh-disconnect')
    : { 'event.kind': 'event', 'event.category': NETWORK, 'event.action': 'ssh-disconnect', 'event.outcome': 'unknown' };
  if (ipv4) setIpv4Peer(fields, host, port!);
  else setPeer(fields, 'source', host, port);
  fields['sshd.disconnect_code'] = code;
  fields['event.reason'] = reason;
  if (preauth) fields['sshd.preauth'] = true;
  return fields;
}

/**
 * disconnectEvent(ip, port, ...) for an IPv4 peer, with the envelope's fields (a plain one), as one
 * literal; undefined for a port past 65535.
 */
function receivedEvent(env: SyslogEnvelope, ip: string, port: number, code: number, reason: string, preauth: boolean): ParsedFields | undefined {
  if (port > 65535) return undefined;
  const authFailure = code === 14 || code === 13 || /auth(?:entication)? fail/i.test(reason);
  const fields: ParsedFields = authFailure
    ? preauth
      ? {
          'event.kind': 'event', 'event.category': AUTHENTICATION, 'event.type': INFO, 'event.action': 'ssh-disconnect', 'event.outcome': 'failure',
          'source.ip': ip, 'source.port': port, 'sshd.disconnect_code': code, 'event.reason': reason, 'sshd.preauth': true,
          'host.name': env.host, 'process.name': env.program, 'process.pid': env.pid, message: env.message,
        }
      : {
          'event.kind': 'event', 'event.category': AUTHENTICATION, 'event.type': INFO, 'event.action': 'ssh-disconnect', 'event.outcome': 'failure',
          'source.ip': ip, 'source.port': port, 'sshd.disconnect_code': code, 'event.reason': reason,
          'host.name': env.host, 'process.name': env.program, 'process.pid': env.pid, message: env.message,
        }
    : preauth
      ? {
          'event.kind': 'event', 'event.category': NETWORK, 'event.action': 'ssh-disconnect', 'event.outcome': 'unknown',
          'source.ip': ip, 'source.port': port, 'sshd.disconnect_code': code, 'event.reason': reason, 'sshd.preauth': true,
          'host.name': env.host, 'process.name': env.program, 'process.pid': env.pid, message: env.message,
        }
      : {
          'event.kind': 'event', 'event.category': NETWORK, 'event.action': 'ssh-disconnect', 'event.outcome': 'unknown',
          'source.ip': ip, 'source.port': port, 'sshd.disconnect_code': code, 'event.reason': reason,
          'host.name': env.host, 'process.name': env.program, 'process.pid': env.pid, message: env.message,
        };
  tellPeer(fields, ip, port);
  return fields;
}

/** text.split(' ')[0] without the list. */
function firstWord(text: string): string {
  const space = text.indexOf(' ');
  return space < 0 ? text : text.slice(0, space);
}

/** The envelope of the line that sshdMessages is parsing. */
let lineEnvelope: SyslogEnvelope | undefined;

export function parseSshdMessage(text: string): ParsedFields | undefined {
  // A Solaris `[ID n facility.level]` tag, or a `kernel: [uptime]` prefix some forwarders leave in.
  // The first char decides before any call (most lines have none of these prefixes).
  let message = text;
  let c = message.charCodeAt(0);
  if (c === 91 && hasAt(message, '[ID ', 0)) message = message.replace(SOLARIS_PREFIX, '');
  if (message.charCodeAt(0) === 107 && hasAt(message, 'kernel:', 0)) message = message.replace(KERNEL_PREFIX, '');
  // JavaScript's white space is at most U+0020 or at least U+00A0: nothing else to trim.
  const last = message.charCodeAt(message.length - 1);
  if (last <= 32 || last >= 160) message = message.trimEnd();
  c = message.charCodeAt(0);
  if (c === 101 && hasAt(message, 'error: ', 0)) message = message.slice(7);
  else if (c === 102 && hasAt(message, 'fatal: ', 0)) message = message.slice(7);
  const preauth = message.charCodeAt(message.length - 1) === 93 && hasAt(message, ' [preauth]', message.length - 10);
  // Each pattern below is anchored on a literal: the first char rules most of them out unread.
  c = message.charCodeAt(0);

  // The commonest disconnects in their plainest forms, in one native match each (which also makes
  // them printable ASCII); no pattern before theirs reads these starts.
  if (c === 67 /* C */ || c === 68 /* D */ ? preauth : c === 82 /* R */) {
    if (c === 82) {
      const received = RECEIVED.exec(message);
      const env = lineEnvelope;
      if (received !== null && received[1] !== undefined && env !== undefined && env.pid !== undefined && isPlainEnvelope(env)) {
        const fields = receivedEvent(env, received[1], numberOfDigits(received[3]!), numberOfDigits(received[4]!), received[5]!, preauth);
        if (fields !== undefined) return fields;
      }
      if (received !== null) return disconnectEvent(received[1] ?? received[2]!, received[3], numberOfDigits(received[4]!), received[5]!, preauth, received[1] !== undefined);
    } else {
      const closed = CLOSED_PREAUTH.exec(message);
      const env = lineEnvelope;
      if (closed !== null && closed[3] !== undefined && env !== undefined && env.pid !== undefined && isPlainEnvelope(env)) {
        const ip = closed[3];
        const port = numberOfDigits(closed[5]!);
        if (port <= 65535) {
          const fields: ParsedFields = closed[1] === 'invalid'
            ? {
                'event.kind': 'event', 'event.category': AUTHENTICATION, 'event.type': INFO, 'event.action': 'ssh-disconnect', 'event.outcome': 'unknown',
                'sshd.invalid_user': true, 'user.name': closed[2]!, 'source.ip': ip, 'source.port': port, 'sshd.preauth': true,
                'host.name': env.host, 'process.name': env.program, 'process.pid': env.pid, message: env.message,
              }
            : {
                'event.kind': 'event', 'event.category': AUTHENTICATION, 'event.type': INFO, 'event.action': 'ssh-disconnect', 'event.outcome': 'unknown',
                'user.name': closed[2]!, 'source.ip': ip, 'source.port': port, 'sshd.preauth': true,
                'host.name': env.host, 'process.name': env.program, 'process.pid': env.pid, message: env.message,
              };
          tellPeer(fields, ip, port);
          return fields;
        }
      }
      if (closed !== null) {
        const fields = authEvent('ssh-disconnect', 'unknown');
        if (closed[1] === 'invalid') fields['sshd.invalid_user'] = true;
        fields['user.name'] = closed[2]!;
        if (closed[3] !== undefined) setIpv4Peer(fields, closed[3], closed[5]!);
        else setPeer(fields, 'source', closed[4]!, closed[5]);
        fields['sshd.preauth'] = true;
        return fields;
      }
    }
  }

  if (c === 65 /* A */ || c === 70 /* F */ || c === 80 /* P */) {
    // The commonest line of all in one native match, which also makes it printable ASCII.
    const failed = c === 70 ? FAILED_PASSWORD.exec(message) : null;
    const env = lineEnvelope;
    if (failed !== null && env !== undefined && env.pid !== undefined && isPlainEnvelope(env)) {
      // The whole event in one literal: syslogEventOf then finds its envelope fields in place.
      const ip = failed[3]!;
      const port = numberOfDigits(failed[4]!);
      if (port <= 65535) {
        const fields: ParsedFields = failed[1] === undefined
          ? {
              'event.kind': 'event', 'event.category': AUTHENTICATION, 'event.type': INFO, 'event.action': 'ssh-login', 'event.outcome': 'failure',
              'user.name': failed[2]!, 'source.ip': ip, 'source.port': port, 'sshd.method': 'password', 'network.protocol': 'ssh2',
              'host.name': env.host, 'process.name': env.program, 'process.pid': env.pid, message: env.message,
            }
          : {
              'event.kind': 'event', 'event.category': AUTHENTICATION, 'event.type': INFO, 'event.action': 'ssh-login', 'event.outcome': 'failure',
              'user.name': failed[2]!, 'sshd.invalid_user': true, 'source.ip': ip, 'source.port': port, 'sshd.method': 'password', 'network.protocol': 'ssh2',
              'host.name': env.host, 'process.name': env.program, 'process.pid': env.pid, message: env.message,
            };
        tellPeer(fields, ip, port);
        return fields;
      }
    }
    if (failed !== null) {
      userName = failed[2]!;
      userInvalid = failed[1] !== undefined;
      const fields = loginEvent('Failed', 'password');
      setIpv4Peer(fields, failed[3]!, failed[4]!);
      fields['sshd.method'] = 'password';
      fields['network.protocol'] = 'ssh2';
      return fields;
    }
    const accepted = c === 65 ? ACCEPTED_KEY.exec(message) : null;
    if (accepted !== null && env !== undefined && env.pid !== undefined && isPlainEnvelope(env)) {
      const ip = accepted[2]!;
      const port = numberOfDigits(accepted[3]!);
      if (port <= 65535) {
        const fields: ParsedFields = {
          'event.kind': 'event', 'event.category': AUTHENTICATION, 'event.type': START, 'event.action': 'ssh-login', 'event.outcome': 'success',
          'user.name': accepted[1]!, 'source.ip': ip, 'source.port': port, 'sshd.method': 'publickey', 'network.protocol': 'ssh2', 'sshd.auth_info': accepted[4]!,
          'host.name': env.host, 'process.name': env.program, 'process.pid': env.pid, message: env.message,
        };
        tellPeer(fields, ip, port);
        return fields;
      }
    }
    if (accepted !== null) {
      userName = accepted[1]!;
      userInvalid = false;
      const fields = loginEvent('Accepted', 'publickey');
      setIpv4Peer(fields, accepted[2]!, accepted[3]!);
      fields['sshd.method'] = 'publickey';
      fields['network.protocol'] = 'ssh2';
      fields['sshd.auth_info'] = accepted[4]!;
      return fields;
    }
    if (isPrintableAscii(message)) {
      const fields = parseLoginAscii(message);
      if (loginMatched) return fields;
    } else {
      const login = LOGIN.exec(message);
      if (login !== null) return parseLogin(login[1]!, login[2]!, login[3]!);
    }
  }

  if (c === 73 && (hasAt(message, 'Invalid user ', 0) || hasAt(message, 'Illegal user ', 0))) {
    const plain = c === 73 && message.charCodeAt(1) === 110 /* n */ ? INVALID_USER.exec(message) : null;
    const env = lineEnvelope;
    if (plain !== null && env !== undefined && env.pid !== undefined && isPlainEnvelope(env)) {
      const ip = plain[2]!;
      const port = numberOfDigits(plain[3]!);
      if (port <= 65535) {
        const fields: ParsedFields = {
          'event.kind': 'event', 'event.category': AUTHENTICATION, 'event.type': INFO, 'event.action': 'ssh-invalid-user', 'event.outcome': 'failure',
          'sshd.invalid_user': true, 'user.name': plain[1]!, 'source.ip': ip, 'source.port': port,
          'host.name': env.host, 'process.name': env.program, 'process.pid': env.pid, message: env.message,
        };
        tellPeer(fields, ip, port);
        return fields;
      }
    }
    if (plain !== null) {
      const fields = fail('ssh-invalid-user');
      fields['sshd.invalid_user'] = true;
      fields['user.name'] = plain[1]!;
      setIpv4Peer(fields, plain[2]!, plain[3]!);
      return fields;
    }
    const ascii = isPrintableAscii(message);
    if (ascii && findFromPort(message, 13)) {
      // whoFrom(message.slice(13), true) on offsets into the message.
      const fields = fail('ssh-invalid-user');
      fields['sshd.invalid_user'] = true;
      if (fromIndex > 13) fields['user.name'] = message.slice(13, fromIndex);
      setPeer(fields, 'source', message.slice(fromHostStart, fromHostEnd), digitsValue(message, fromHostEnd + 6, fromPortEnd));
      return fields;
    }
    const peer = whoFrom(message.slice(13), ascii);
    if (peer === undefined) return undefined;
    const fields = fail('ssh-invalid-user', { 'sshd.invalid_user': true });
    if (peer[0] !== '') fields['user.name'] = peer[0];
    setPeer(fields, 'source', peer[1], peer[2]);
    return fields;
  }
  if (hasAt(message, 'input_userauth_request: invalid user ', 0)) {
    const user = message.slice(37).replace(/ \[preauth\]$/, '');
    return fail('ssh-invalid-user', { 'sshd.invalid_user': true, ...(user !== '' ? { 'user.name': user } : {}) });
  }
  const pam = c === 80 || c === 112 ? /^PAM: (?:Authentication (?:failure|error)|User not known to the underlying authentication module) for (.*)$/i.exec(message) : null;
  if (pam !== null) {
    const body = pam[1]!.replace(/ via \S+$/, '');
    const peer = whoFrom(body, isPrintableAscii(body));
    if (peer === undefined) return undefined;
    const fields = fail('ssh-pam-failure');
    setUser(fields, peer[0]);
    setPeer(fields, 'source', peer[1], peer[2]);
    return fields;
  }
  const max = c === 109 /* m */ ? /^maximum authentication attempts exceeded for (.*?)(?: \[preauth\])?$/.exec(message) : null;
  if (max !== null) {
    const who = max[1]!.replace(/ ssh[12]$/, '');
    const peer = whoFrom(who, isPrintableAscii(who));
    const fields = fail('ssh-max-attempts', { 'sshd.max_attempts_exceeded': true });
    if (peer !== undefined) {
      setUser(fields, peer[0]);
      setPeer(fields, 'source', peer[1], peer[2]);
    }
    return fields;
  }
  // (`Disconnected` shares the first 12 chars: its `e` rules it out without a search.)
  const disconnecting = c === 68 && message.charCodeAt(12) === 103 /* g */ && hasAt(message, 'Disconnecting', 0);
  const tooMany = disconnecting ? /^Disconnecting(?: (?:authenticating|invalid) user (\S*) (\S+) port (\d+))?: Too many authentication failures(?: for (?:invalid user )?(\S+))?/.exec(message) : null;
  if (tooMany !== null) {
    const fields = fail('ssh-max-attempts');
    const user = tooMany[1] ?? tooMany[4];
    if (user !== undefined && user !== '') fields['user.name'] = user;
    if (tooMany[2] !== undefined) setPeer(fields, 'source', tooMany[2], tooMany[3]);
    return fields;
  }
  const dropped = disconnecting ? /^Disconnecting (authenticating|invalid) user (\S*) (\S+) port (\d+): (.*?)(?: \[preauth\])?$/.exec(message) : null;
  if (dropped !== null) {
    // sshd cut an unauthenticated client off (protocol misuse such as a change of user name).
    const fields = authEvent('ssh-disconnect', dropped[1] === 'invalid' ? 'failure' : 'unknown', { 'event.reason': dropped[5]! });
    if (dropped[1] === 'invalid') fields['sshd.invalid_user'] = true;
    if (dropped[2] !== '') fields['user.name'] = dropped[2]!;
    setPeer(fields, 'source', dropped[3]!, dropped[4]);
    if (preauth) fields['sshd.preauth'] = true;
    return fields;
  }
  const root = c === 82 || c === 114 ? /^ROOT LOGIN REFUSED FROM (\S+?)(?: port (\d+))?(?: \[preauth\])?$/i.exec(message) : null;
  if (root !== null) {
    const fields = fail('ssh-root-refused', { 'user.name': 'root' });
    setPeer(fields, 'source', root[1]!, root[2]);
    return fields;
  }
  const notAllowed = c === 85 /* U */ ? /^User (\S*) from (\S+) not allowed because (.*)$/.exec(message) : null;
  if (notAllowed !== null) {
    const fields = fail('ssh-user-not-allowed', { 'user.name': notAllowed[1]!, 'event.reason': `not allowed because ${notAllowed[3]!}` });
    setPeer(fields, 'source', notAllowed[2]!);
    return fields;
  }
  const locked = c === 85 ? /^User (\S+) not allowed because (.*)$/.exec(message) : null;
  if (locked !== null) return fail('ssh-user-not-allowed', { 'user.name': locked[1]!, 'event.reason': `not allowed because ${locked[2]!}` });
  const refused = c === 114 /* r */ ? /^refused connect from (\S+) \((\S+)\)$/.exec(message) : null;
  if (refused !== null) {
    // tcp_wrappers (hosts.deny) turned the client away before any authentication.
    const fields: ParsedFields = { 'event.kind': 'event', 'event.category': NETWORK, 'event.type': DENIED, 'event.action': 'ssh-refused-connect', 'event.outcome': 'failure' };
    setPeer(fields, 'source', refused[2]!);
    return fields;
  }
  const noId = c === 68 /* D */ ? /^Did not receive identification string from (\S+?)(?: port (\d+))?$/.exec(message) : null;
  if (noId !== null) {
    const fields: ParsedFields = { 'event.kind': 'event', 'event.category': NETWORK, 'event.action': 'ssh-no-identification', 'event.outcome': 'failure' };
    setPeer(fields, 'source', noId[1]!, noId[2]);
    return fields;
  }
  const disconnect = c === 82 /* R */ ? DISCONNECT.exec(message) : null;
  if (disconnect !== null) return disconnectEvent(disconnect[1]!, disconnect[2], Number(disconnect[3]), disconnect[4]!, preauth);
  const closed = c === 67 /* C */ || c === 68 ? CLOSED.exec(message) : null;
  if (closed !== null) {
    // Closed by a client still authenticating: it gave up; whether it would have failed is unknown.
    const fields: ParsedFields =
      closed[2] !== undefined && preauth
        ? authEvent('ssh-disconnect', 'unknown', closed[2] === 'invalid' ? { 'sshd.invalid_user': true } : {})
        : { 'event.kind': 'event', 'event.category': NETWORK, 'event.action': 'ssh-disconnect', 'event.outcome': 'unknown' };
    if (closed[3] !== undefined && closed[3] !== '') fields['user.name'] = firstWord(closed[3]);
    if (closed[4] !== undefined) setPeer(fields, 'source', closed[4], closed[5]);
    else setPeer(fields, 'source', closed[8]!);
    if (preauth) fields['sshd.preauth'] = true;
    return fields;
  }
  const connection = c === 67 ? /^Connection from (\S+) port (\d+)(?: on (\S+) port (\d+))?/.exec(message) : null;
  if (connection !== null) {
    const fields: ParsedFields = { 'event.kind': 'event', 'event.category': NETWORK, 'event.type': CONNECTION_START, 'event.action': 'ssh-connection' };
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
    lineEnvelope = envelope;
    const fields = parseSshdMessage(envelope.message);
    lineEnvelope = undefined;
    return fields === undefined ? undefined : { dataset: AUTH_DATASET, fields };
  },
};

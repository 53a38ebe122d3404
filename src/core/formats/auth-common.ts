import type { ParsedFields } from '../model/event';
import type { SyslogEnvelope } from './syslog-envelope';
import { isIpv4 } from './web-access';

/** Shared by the authentication message parsers (sshd, dropbear, PAM, sudo, su) and web error logs. */

export const AUTH_DATASET = 'system.auth';

const IPV6 = /^[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*$/;

/** `::ffff:1.2.3.4` (an IPv4 peer on a dual-stack socket) -> `1.2.3.4`; other text unchanged. */
export function unmapIpv4(address: string): string {
  if (address.length < 7 || address.charCodeAt(0) !== 58 /* : */) return address;
  const lower = address.toLowerCase();
  if (lower.startsWith('::ffff:') && isIpv4(address.slice(7))) return address.slice(7);
  return address;
}

export function isIpAddress(text: string): boolean {
  if (isIpv4(text)) return true;
  if (!IPV6.test(text) || text.length < 2) return false;
  const zone = text.indexOf('%');
  return zone < 0 && text.split('::').length <= 2;
}

/**
 * Sets `<side>.ip` for an address, `<side>.address` (with `<side>.domain`) for a host name. A
 * trailing dot or surrounding brackets are removed. Returns false for an empty value.
 */
export function setPeer(fields: ParsedFields, side: 'source' | 'destination', host: string, port?: number | string): boolean {
  // JavaScript's white space is at most U+0020 or at least U+00A0: most hosts have nothing to trim.
  const first = host.charCodeAt(0);
  const last = host.charCodeAt(host.length - 1);
  let h = first <= 32 || first >= 160 || last <= 32 || last >= 160 ? host.trim() : host;
  if (h.charCodeAt(0) === 91 /* [ */ && h.charCodeAt(h.length - 1) === 93 /* ] */) h = h.slice(1, -1);
  if (h === '' || h === '-' || h === 'UNKNOWN' || h === 'unknown') return false;
  h = unmapIpv4(h);
  // Literal keys per side: stores under computed keys make V8 turn the event into a slow dictionary.
  const source = side === 'source';
  if (isIpAddress(h)) {
    if (source) fields['source.ip'] = h;
    else fields['destination.ip'] = h;
  } else {
    if (source) fields['source.address'] = h;
    else fields['destination.address'] = h;
    if (/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(h)) {
      const domain = h.replace(/\.$/, '');
      if (source) fields['source.domain'] = domain;
      else fields['destination.domain'] = domain;
    }
  }
  if (port !== undefined) {
    const n = typeof port === 'number' ? port : Number(port);
    if (Number.isInteger(n) && n >= 0 && n <= 65535) {
      if (source) fields['source.port'] = n;
      else fields['destination.port'] = n;
    }
  }
  return true;
}

/** Splits `host:port` (`1.2.3.4:5543`, `::ffff:1.2.3.4:60495`, `[2001:db8::1]:22`); port undefined when absent. */
export function splitHostPort(text: string): [string, string | undefined] {
  const t = text.trim();
  if (t.startsWith('[')) {
    const close = t.indexOf(']');
    if (close > 0) return [t.slice(1, close), t.charCodeAt(close + 1) === 58 ? t.slice(close + 2) : undefined];
  }
  const colon = t.lastIndexOf(':');
  if (colon < 0) return [t, undefined];
  const port = t.slice(colon + 1);
  const host = t.slice(0, colon);
  // A bare IPv6 address has colons too: only take a port when what is left is still an address.
  if (/^\d{1,5}$/.test(port) && (isIpv4(host) || isIpv4(unmapIpv4(host)) || !host.includes(':') || host.includes('::ffff:'))) return [host, port];
  return [t, undefined];
}

/**
 * Whether syslogEventOf adds nothing to a parser's event of this envelope but host.name,
 * process.name, process.pid (when it has a pid) and message, in that order: the commonest events
 * are then made whole, as one literal (no field added after it, so no change of shape after).
 */
export function isPlainEnvelope(envelope: SyslogEnvelope): boolean {
  return envelope.host !== '' && envelope.program !== '' && envelope.uptime === undefined && envelope.priority === undefined &&
    envelope.msgid === undefined && envelope.structuredData === undefined;
}

/** Shared, frozen: every authentication event carries the same few lists (the block encoder finds them by identity). */
export const AUTHENTICATION: readonly string[] = Object.freeze(['authentication']);
export const NETWORK: readonly string[] = Object.freeze(['network']);
export const DENIED: readonly string[] = Object.freeze(['denied']);
export const CONNECTION_START: readonly string[] = Object.freeze(['connection', 'start']);
const SESSION: readonly string[] = Object.freeze(['session']);
export const START: readonly string[] = Object.freeze(['start']);
const END: readonly string[] = Object.freeze(['end']);
export const INFO: readonly string[] = Object.freeze(['info']);

/**
 * The five leading fields of an authentication or session event. Made with `new` rather than as a
 * literal: V8 then sizes the objects of this constructor for the fields the parsers, the syslog
 * envelope and the ingestor add after these five (in-object slack tracking: the properties its
 * body assigns plus 8), where a five-key literal reallocates its property store three times on the
 * way. The assignments that never run below count too: with them an sshd event (17-20 fields)
 * fits in the object itself. The prototype is Object.prototype, so the object is a plain object
 * like a literal, with the same keys in the same order.
 */
const NEVER = '\u0000never';
const EventHead = function (this: Record<string, unknown>, category: readonly string[], type: readonly string[], action: string, outcome: string): void {
  this['event.kind'] = 'event';
  this['event.category'] = category;
  this['event.type'] = type;
  this['event.action'] = action;
  this['event.outcome'] = outcome;
  if (outcome !== NEVER) return;
  this.a = 0; this.b = 0; this.c = 0; this.d = 0; this.e = 0; this.f = 0; this.g = 0; this.h = 0;
} as unknown as new (category: readonly string[], type: readonly string[], action: string, outcome: string) => ParsedFields;
EventHead.prototype = Object.prototype;

export function authEvent(action: string, outcome: 'success' | 'failure' | 'unknown', extra?: ParsedFields): ParsedFields {
  const fields = new EventHead(AUTHENTICATION, outcome === 'success' ? START : INFO, action, outcome);
  return extra === undefined ? fields : Object.assign(fields, extra);
}

export function sessionEvent(action: 'session-opened' | 'session-closed', extra?: ParsedFields): ParsedFields {
  const fields = new EventHead(SESSION, action === 'session-opened' ? START : END, action, 'success');
  return extra === undefined ? fields : Object.assign(fields, extra);
}

// Frozen copy of src/core/formats/auth-common.ts as of 682e9e6, before its fast paths: the oracle of auth-fast-paths.test.ts.
import type { ParsedFields } from '../../../../../src/core/model/event';

/** Shared by the authentication message parsers (sshd, dropbear, PAM, sudo, su) and web error logs. */

export const AUTH_DATASET = 'system.auth';

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const IPV6 = /^[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*$/;

/** `::ffff:1.2.3.4` (an IPv4 peer on a dual-stack socket) -> `1.2.3.4`; other text unchanged. */
export function unmapIpv4(address: string): string {
  if (address.length < 7 || address.charCodeAt(0) !== 58 /* : */) return address;
  const lower = address.toLowerCase();
  if (lower.startsWith('::ffff:') && IPV4.test(address.slice(7))) return address.slice(7);
  return address;
}

export function isIpAddress(text: string): boolean {
  if (IPV4.test(text)) return true;
  if (!IPV6.test(text) || text.length < 2) return false;
  const zone = text.indexOf('%');
  return zone < 0 && text.split('::').length <= 2;
}

/**
 * Sets `<side>.ip` for an address, `<side>.address` (with `<side>.domain`) for a host name. A
 * trailing dot or surrounding brackets are removed. Returns false for an empty value.
 */
export function setPeer(fields: ParsedFields, side: 'source' | 'destination', host: string, port?: number | string): boolean {
  let h = host.trim();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
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
  if (/^\d{1,5}$/.test(port) && (IPV4.test(host) || IPV4.test(unmapIpv4(host)) || !host.includes(':') || host.includes('::ffff:'))) return [host, port];
  return [t, undefined];
}

/** Shared, frozen: every authentication event carries the same few lists (the block encoder finds them by identity). */
const AUTHENTICATION: readonly string[] = Object.freeze(['authentication']);
const SESSION: readonly string[] = Object.freeze(['session']);
const START: readonly string[] = Object.freeze(['start']);
const END: readonly string[] = Object.freeze(['end']);
const INFO: readonly string[] = Object.freeze(['info']);

export function authEvent(action: string, outcome: 'success' | 'failure' | 'unknown', extra?: ParsedFields): ParsedFields {
  const fields: ParsedFields = {
    'event.kind': 'event',
    'event.category': AUTHENTICATION,
    'event.type': outcome === 'success' ? START : INFO,
    'event.action': action,
    'event.outcome': outcome,
  };
  return extra === undefined ? fields : Object.assign(fields, extra);
}

export function sessionEvent(action: 'session-opened' | 'session-closed', extra?: ParsedFields): ParsedFields {
  const fields: ParsedFields = {
    'event.kind': 'event',
    'event.category': SESSION,
    'event.type': action === 'session-opened' ? START : END,
    'event.action': action,
    'event.outcome': 'success',
  };
  return extra === undefined ? fields : Object.assign(fields, extra);
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEvent, encodeBlock, summarizeBlock, type EventBlock, type PendingEvent } from '../../../../src/core/model/block';
import type { EventFields, LoupeEvent } from '../../../../src/core/model/event';
import { compileQuery, parseQuery, QuerySyntaxError, type QueryNode } from '../../../../src/core/query';
import { cidrContains, parseCidr } from '../../../../src/core/rules/modifiers';
import type { SigmaCidr } from '../../../../src/core/rules/values';

const T0 = Date.UTC(2026, 2, 12, 8);

function event(i: number, fields: EventFields, raw = `line ${i}`): PendingEvent {
  return { timestamp: T0 + i * 60_000, line: i + 1, lineCount: 1, offset: i * 10, raw, fields };
}

const BLOCK = encodeBlock(0, 1, [
  event(0, { 'event.dataset': 'ufw', 'host.name': 'region-01', 'source.ip': '203.0.113.66', 'destination.port': 22, 'event.action': 'block' }, 'kernel: [UFW BLOCK] SRC=203.0.113.66 DPT=22'),
  event(1, { 'event.dataset': 'apache.access', 'host.name': 'region-01', 'source.ip': '198.51.100.7', 'http.response.status_code': 404, 'url.path': '/MAAS/*x', message: 'GET /MAAS/*x' }, '198.51.100.7 - - "GET /MAAS/*x" 404'),
  event(2, { 'event.dataset': 'apache.access', 'host.name': 'Region-02', 'source.ip': '203.0.113.200', 'http.response.status_code': 200, 'user.name': 'admin' }, '203.0.113.200 - admin "GET /MAAS/api" 200'),
  event(3, { 'event.dataset': 'sshd', 'host.name': 'rack-01', 'source.ip': '2001:db8::5', 'event.category': ['authentication'], 'event.outcome': 'failure', message: 'Failed password for root' }, 'sshd[1]: Failed password for root from 2001:db8::5'),
]);

function matches(query: string, block: EventBlock = BLOCK): number[] {
  const mask = compileQuery(query).evaluate(block);
  return [...mask].flatMap((m, i) => (m === 1 ? [i] : []));
}

describe('compileQuery', () => {
  it('matches field values whole and case-insensitively, with wildcards', () => {
    expect(matches('')).toEqual([0, 1, 2, 3]);
    expect(matches('host.name:region-02')).toEqual([2]);
    expect(matches('host.name:region*')).toEqual([0, 1, 2]);
    expect(matches('host.name:r?ck-01')).toEqual([3]);
    expect(matches('host.name:region')).toEqual([]);
    expect(matches('url.path:/MAAS/\\*x')).toEqual([1]);
    expect(matches('event.category:authentication')).toEqual([3]);
    expect(matches('user.name:*')).toEqual([2]);
    expect(matches('NOT user.name:*')).toEqual([0, 1, 3]);
  });

  it('compares numbers, ranges and CIDR networks', () => {
    expect(matches('http.response.status_code:404')).toEqual([1]);
    expect(matches('http.response.status_code:>=300')).toEqual([1]);
    expect(matches('http.response.status_code:[200 TO 404}')).toEqual([2]);
    expect(matches('destination.port:<23')).toEqual([0]);
    expect(matches('source.ip:203.0.113.0/24')).toEqual([0, 2]);
    expect(matches('source.ip:2001:db8::/32')).toEqual([3]);
    expect(matches('@timestamp:[2026-03-12T08:01 TO 2026-03-12T08:02:00]')).toEqual([1, 2]);
    expect(matches(`@timestamp:>${T0 + 120_000}`)).toEqual([3]);
  });

  it('searches free text in the raw line and the message, and prose fields by containment', () => {
    expect(matches('failed')).toEqual([3]);
    expect(matches('"UFW BLOCK"')).toEqual([0]);
    expect(matches('maas/api')).toEqual([2]);
    expect(matches('GET*404')).toEqual([1]);
    // A hit may not run from one raw line into the next.
    expect(matches('"DPT=22198"')).toEqual([]);
    expect(matches('message:password')).toEqual([3]);
    expect(matches('(failed OR admin) AND NOT host.name:rack*')).toEqual([2]);
  });

  it('rejects a time it cannot read, with the clause span', () => {
    expect(() => compileQuery('a @timestamp:>yesterday')).toThrow(QuerySyntaxError);
    try {
      compileQuery('a @timestamp:>yesterday');
    } catch (error) {
      expect((error as QuerySyntaxError).span).toEqual({ start: 2, end: 23 });
    }
  });

  it('skips blocks by their summary only when no event can match', () => {
    const summary = summarizeBlock(BLOCK);
    expect(compileQuery('host.name:rack-01').mayMatch(summary)).toBe(true);
    expect(compileQuery('host.name:web-9').mayMatch(summary)).toBe(false);
    expect(compileQuery('event.dataset:nginx* OR host.name:REGION-01').mayMatch(summary)).toBe(true);
    expect(compileQuery('event.dataset:nginx* AND failed').mayMatch(summary)).toBe(false);
    expect(compileQuery('NOT host.name:web-9').mayMatch(summary)).toBe(true);
    expect(compileQuery('@timestamp:<2026-03-12T07:00').mayMatch(summary)).toBe(false);
    expect(compileQuery('@timestamp:[2026-03-12T08:00:30 TO 2026-03-12T08:00:40]').mayMatch(summary)).toBe(true);
    expect(compileQuery('@timestamp:>2026-03-12T09:00').mayMatch(summary)).toBe(false);
  });

  it('reads only the columns it needs', () => {
    expect(compileQuery('source.ip:1.2.3.0/24 AND @timestamp:>0 OR NOT host.name:x').fields).toEqual(['source.ip', 'host.name']);
    expect(compileQuery('failed').fields).toEqual(['message']);
    expect(compileQuery('failed').needsRaw).toBe(true);
  });
});

/** A direct, event-by-event reading of the same semantics: the oracle for the columnar evaluation. */
function oracle(node: QueryNode, e: LoupeEvent): boolean {
  const values = (field: string): string[] => {
    const v = e.fields[field];
    if (v === undefined) return [];
    return Array.isArray(v) ? [...(v as string[])] : [String(v)];
  };
  const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\/-]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]')}$`, 'i');
  switch (node.kind) {
    case 'all': return true;
    case 'and': return node.children.every((c) => oracle(c, e));
    case 'or': return node.children.some((c) => oracle(c, e));
    case 'not': return !oracle(node.child, e);
    case 'exists': return values(node.field).length > 0;
    case 'cidr': return values(node.field).some((v) => cidrContains(parseCidr(node.network) as SigmaCidr, v));
    case 'compare': {
      const n = Number(node.value);
      return values(node.field).some((v) => {
        const x = Number(v);
        return v !== '' && Number.isFinite(x) && (node.op === '>' ? x > n : node.op === '>=' ? x >= n : node.op === '<' ? x < n : x <= n);
      });
    }
    case 'range': throw new Error('not generated');
    case 'term': {
      const v = node.value;
      if (node.field === undefined) return e.raw.toLowerCase().includes(v.text.toLowerCase()) || values('message').some((m) => m.toLowerCase().includes(v.text.toLowerCase()));
      return values(node.field).some((x) => (v.wildcard ? glob(v.text).test(x) : x.toLowerCase() === v.text.toLowerCase()));
    }
  }
}

describe('property: the columnar evaluation agrees with a reading event by event', () => {
  const hosts = fc.constantFrom('web-1', 'Web-2', 'db-1', 'rack');
  const ips = fc.constantFrom('10.0.0.1', '10.0.1.9', '192.168.0.4', '203.0.113.5', 'fe80::1');
  const pending = fc.record({
    host: fc.option(hosts, { nil: undefined }),
    ip: fc.option(ips, { nil: undefined }),
    port: fc.option(fc.integer({ min: 0, max: 70000 }), { nil: undefined }),
    tags: fc.option(fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 2 }), { nil: undefined }),
    message: fc.option(fc.constantFrom('Failed password', 'accepted key', 'scan of port'), { nil: undefined }),
  });
  const clauseText = fc.oneof(
    hosts.map((h) => `host.name:${h.toUpperCase()}`),
    fc.constantFrom('host.name:w*', 'host.name:?b-1', 'source.ip:10.0.0.0/16', 'source.ip:fe80::/16', 'source.ip:*', 'tags:a', 'destination.port:>1000', 'destination.port:<=22', 'failed', 'PORT', 'message:*'),
  );
  const queryText = fc.letrec<{ q: string }>((tie) => ({
    q: fc.oneof({ depthSize: 'small' }, clauseText, fc.tuple(tie('q'), fc.constantFrom('AND', 'OR'), tie('q')).map(([a, op, b]) => `(${a} ${op} ${b})`), tie('q').map((a) => `NOT ${a}`)),
  })).q;

  it('on random events and queries', () => {
    fc.assert(
      fc.property(fc.array(pending, { minLength: 1, maxLength: 40 }), queryText, (events, query) => {
        const block = encodeBlock(3, 1, events.map((p, i) => {
          const fields: EventFields = { 'event.dataset': 'x' };
          if (p.host !== undefined) fields['host.name'] = p.host;
          if (p.ip !== undefined) fields['source.ip'] = p.ip;
          if (p.port !== undefined) fields['destination.port'] = p.port;
          if (p.tags !== undefined) fields['tags'] = p.tags;
          if (p.message !== undefined) fields['message'] = p.message;
          return event(i, fields, `raw ${i} ${p.message ?? ''}`);
        }));
        const compiled = compileQuery(query);
        const got = [...compiled.evaluate(block)];
        const node = parseQuery(query);
        const want = Array.from({ length: block.count }, (_, i) => (oracle(node, decodeEvent(block, i)) ? 1 : 0));
        expect(got).toEqual(want);
        if (want.includes(1)) expect(compiled.mayMatch(summarizeBlock(block))).toBe(true);
      }),
      { numRuns: 600 },
    );
  });
});

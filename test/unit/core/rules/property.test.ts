/** Properties: evaluation never throws on random events; loading never throws in collect mode. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldValue, LoupeEvent } from '../../../../src/core/model/event';
import { SigmaError, compileRules, loadRules, parseCondition } from '../../../../src/core/rules';

const RULES = `title: Web keywords
logsource: {category: webserver}
detection:
  sel: {cs-method: GET, sc-status|gte: 200}
  kw: ['union select', '../..', '%2e']
  filter: {c-ip|cidr: [10.0.0.0/8, 'fe80::/10']}
  condition: sel and kw and not filter
---
title: Everything
logsource: {}
detection:
  a: {f|re|i: '^x.*y$', g|base64offset|contains: http, h|windash|contains: ' -e '}
  b: {f|exists: true, n|lt: 5, 'f|fieldref|contains': g}
  c: {f: null, g: '', h: 404, '@timestamp|hour': 3}
  d: ['a*b?c', 'ß']
  condition: 1 of them or all of them
---
title: Scan
correlation: {type: value_count, rules: [denied], group-by: [src_ip], timespan: 1m, condition: {field: dst_port, gte: 2}}
---
title: Burst
correlation: {type: event_count, rules: [denied], group-by: [src_ip], timespan: 1m, condition: {gte: 2}, generate: true}
---
title: Ordered
correlation: {type: temporal_ordered, rules: [denied, Burst], group-by: [src_ip], timespan: 5m}
---
title: Denied
name: denied
logsource: {category: firewall}
detection: {sel: {action: denied}, condition: sel}
`;

const fieldNames = fc.constantFrom(
  'event.dataset',
  'f',
  'g',
  'h',
  'n',
  'source.ip',
  'destination.port',
  'event.action',
  'http.request.method',
  'http.response.status_code',
  'url.original',
  '@timestamp',
);
const fieldValue: fc.Arbitrary<FieldValue> = fc.oneof(
  fc.string(),
  fc.constantFrom('apache.access', 'ufw', 'block', 'GET', '10.1.2.3', 'fe80::1', '::', '1.2.3', 'union select', ''),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.string(), { maxLength: 3 }),
);
const event: fc.Arbitrary<LoupeEvent> = fc.record({
  id: fc.nat(),
  timestamp: fc.oneof(fc.integer({ min: -1e13, max: 1e13 }), fc.constant(Number.NaN)),
  fileId: fc.nat(),
  line: fc.nat(),
  lineCount: fc.nat(),
  offset: fc.nat(),
  raw: fc.string(),
  fields: fc.dictionary(fieldNames, fieldValue),
});

describe('properties', () => {
  const set = compileRules(loadRules(RULES).documents, { throwOnError: true });

  it('evaluate never throws on random events (sorted or not)', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        const matches = set.evaluate(events);
        for (const m of matches) expect(m.count).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('a streamed evaluation never throws either', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        const run = set.start();
        for (const e of events) run.push(e);
        run.finish();
      }),
      { numRuns: 200 },
    );
  });

  it('parseCondition either parses or throws a SigmaError', () => {
    const token = fc.constantFrom('a', 'b', 'and', 'or', 'not', '(', ')', '1 of', 'all of', 'them', 'x*', '|', 'AND', ' ');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 12 }), (tokens) => {
        try {
          parseCondition(tokens.join(' '));
        } catch (e) {
          expect(e).toBeInstanceOf(SigmaError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('loadRules in collect mode never throws on random text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom(RULES).map((r) => r.slice(0, 200))), (text) => {
        const result = loadRules(text, { collectErrors: true });
        for (const e of result.errors) expect(typeof e.message).toBe('string');
      }),
      { numRuns: 300 },
    );
  });
});

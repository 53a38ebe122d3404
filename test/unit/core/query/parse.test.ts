import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clause, formatQuery, parseQuery, QuerySyntaxError, type QueryNode } from '../../../../src/core/query';

/** The tree without spans, to compare shapes. */
function shape(node: QueryNode): unknown {
  const rest: Record<string, unknown> = { ...node };
  delete rest['span'];
  if ('children' in rest) return { ...rest, children: (rest.children as QueryNode[]).map(shape) };
  if ('child' in rest) return { ...rest, child: shape(rest.child as QueryNode) };
  return rest;
}

function errorOf(text: string): { message: string; start: number; end: number } {
  try {
    parseQuery(text);
  } catch (error) {
    if (error instanceof QuerySyntaxError) return { message: error.message, start: error.span.start, end: error.span.end };
    throw error;
  }
  throw new Error(`"${text}" parsed`);
}

const term = (field: string | undefined, text: string, extra: { quoted?: boolean; wildcard?: boolean; pattern?: string } = {}) => ({
  kind: 'term', field, value: { text, quoted: extra.quoted ?? false, wildcard: extra.wildcard ?? false, ...(extra.pattern !== undefined ? { pattern: extra.pattern } : {}) },
});

describe('parseQuery', () => {
  it('reads field clauses, phrases, wildcards, ranges, comparisons, CIDR and the operators', () => {
    expect(shape(parseQuery(''))).toEqual({ kind: 'all' });
    expect(shape(parseQuery('source.ip:203.0.113.5 AND http.response.status_code:404'))).toEqual({
      kind: 'and', children: [term('source.ip', '203.0.113.5'), term('http.response.status_code', '404')],
    });
    expect(shape(parseQuery('message:"Failed password" scan*'))).toEqual({
      kind: 'and', children: [term('message', 'Failed password', { quoted: true }), term(undefined, 'scan*', { wildcard: true, pattern: 'scan*' })],
    });
    expect(shape(parseQuery('destination.port:[1000 TO *} OR source.port:>=1024'))).toEqual({
      kind: 'or',
      children: [
        { kind: 'range', field: 'destination.port', lower: '1000', upper: undefined, lowerInclusive: true, upperInclusive: false },
        { kind: 'compare', field: 'source.port', op: '>=', value: '1024' },
      ],
    });
    expect(shape(parseQuery('source.ip:203.0.113.0/24 -event.action:allow'))).toEqual({
      kind: 'and', children: [{ kind: 'cidr', field: 'source.ip', network: '203.0.113.0/24' }, { kind: 'not', child: term('event.action', 'allow') }],
    });
    expect(shape(parseQuery('a or b and not c'))).toEqual({
      kind: 'or', children: [term(undefined, 'a'), { kind: 'and', children: [term(undefined, 'b'), { kind: 'not', child: term(undefined, 'c') }] }],
    });
    expect(shape(parseQuery('host.name:(web-1 OR db?) user.name:*'))).toEqual({
      kind: 'and',
      children: [{ kind: 'or', children: [term('host.name', 'web-1'), term('host.name', 'db?', { wildcard: true, pattern: 'db?' })] }, { kind: 'exists', field: 'user.name' }],
    });
    // IPv6 values keep their colons; escapes make wildcards literal.
    expect(shape(parseQuery('source.ip:fe80::1 url.path:/a\\*b'))).toEqual({ kind: 'and', children: [term('source.ip', 'fe80::1'), term('url.path', '/a*b')] });
    expect(shape(parseQuery('source.ip:fe80::/10'))).toEqual({ kind: 'cidr', field: 'source.ip', network: 'fe80::/10' });
  });

  it('keeps the span of each clause', () => {
    const node = parseQuery('  host.name:web  AND (a OR b)');
    expect(node.span).toEqual({ start: 2, end: 29 });
    if (node.kind !== 'and') throw new Error(node.kind);
    expect(node.children.map((c) => c.span)).toEqual([{ start: 2, end: 15 }, { start: 21, end: 29 }]);
  });

  it('says where the query goes wrong', () => {
    expect(errorOf('message:"open')).toMatchObject({ start: 8, end: 13, message: 'the quoted text is never closed (at 9)' });
    expect(errorOf('(a OR b')).toMatchObject({ start: 0, end: 1, message: '"(" is never closed (at 1)' });
    expect(errorOf('a OR b)')).toMatchObject({ start: 6, end: 7 });
    expect(errorOf('a AND')).toMatchObject({ start: 2, end: 5, message: 'AND needs a clause after it (at 3)' });
    expect(errorOf('OR a')).toMatchObject({ start: 0, end: 2, message: 'OR needs a clause before it (at 1)' });
    expect(errorOf('x NOT')).toMatchObject({ start: 2, end: 5 });
    expect(errorOf('source.ip: x')).toMatchObject({ start: 0, end: 10, message: '"source.ip:" needs a value (at 1)' });
    expect(errorOf('port:[1 2]')).toMatchObject({ start: 8, end: 10, message: 'expected TO in the range (at 9)' });
    expect(errorOf('port:[1 TO 2')).toMatchObject({ start: 0, end: 12 });
    expect(errorOf('source.ip:300.1.1.1/8')).toMatchObject({ start: 10, end: 21, message: '"300.1.1.1/8" is not a valid IPv4 or IPv6 network (at 11)' });
    expect(errorOf('a ()')).toMatchObject({ start: 2, end: 4, message: 'empty parentheses (at 3)' });
    expect(errorOf('a\\')).toMatchObject({ start: 1, end: 2 });
  });

  it('property: any text either parses or fails with a span inside the text', () => {
    const alphabet = fc.constantFrom('a', 'b', ':', '"', '(', ')', '[', ']', '{', '}', ' ', '*', '?', '\\', '-', '>', '=', 'AND', 'OR', 'NOT', 'TO', '/', '1', '.');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 30 }).map((parts) => parts.join('')), (text) => {
        try {
          parseQuery(text);
        } catch (error) {
          expect(error).toBeInstanceOf(QuerySyntaxError);
          const { start, end } = (error as QuerySyntaxError).span;
          expect(0 <= start && start <= end && end <= text.length).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  const fields = fc.constantFrom('host.name', 'source.ip', 'http.response.status_code', 'url.path', '@timestamp', 'user.name');
  const words = fc.string({ minLength: 1, maxLength: 8, unit: fc.constantFrom('a', 'Z', '1', ' ', '"', '\\', ':', '(', ')', '*', '-', '/', '.', 'é', ']') });
  const leaf: fc.Arbitrary<QueryNode> = fc.oneof(
    fc.record({ field: fc.option(fields, { nil: undefined }), text: words }).map(({ field, text }) => parseQuery(field === undefined ? clause('x', text).slice(2) : clause(field, text))),
    fields.map((field) => parseQuery(`${field}:*`)),
    fc.tuple(fields, fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 999 })).map(([f, a, b]) => parseQuery(`${f}:{${a} TO ${b}]`)),
    fc.tuple(fields, fc.constantFrom('>', '>=', '<', '<='), fc.integer()).map(([f, op, n]) => parseQuery(`${f}:${op}${n}`)),
    fc.tuple(fields, fc.integer({ min: 0, max: 32 })).map(([f, p]) => parseQuery(`${f}:10.0.0.0/${p}`)),
  );
  const tree = fc.letrec<{ node: QueryNode }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      leaf,
      fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((children) => ({ kind: 'and', children, span: { start: 0, end: 0 } }) as QueryNode),
      fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((children) => ({ kind: 'or', children, span: { start: 0, end: 0 } }) as QueryNode),
      tie('node').map((child) => ({ kind: 'not', child, span: { start: 0, end: 0 } }) as QueryNode),
    ),
  })).node;

  /** Nested ANDs in ANDs (and ORs in ORs) flatten when printed; compare the flattened trees. */
  function flat(node: QueryNode): unknown {
    const s = shape(node) as { kind: string; children?: unknown[]; child?: unknown };
    if (node.kind === 'and' || node.kind === 'or') {
      const children = node.children.flatMap((c) => (c.kind === node.kind ? ((flat(c) as { children: unknown[] }).children) : [flat(c)]));
      return { kind: node.kind, children };
    }
    if (node.kind === 'not') return { kind: 'not', child: flat(node.child) };
    return s;
  }

  it('property: formatting a tree and parsing it back gives the same tree', () => {
    fc.assert(
      fc.property(tree, (node) => {
        expect(flat(parseQuery(formatQuery(node)))).toEqual(flat(node));
      }),
      { numRuns: 1500 },
    );
  });

  it('property: clause() quotes any value so it reads back as exact text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (value) => {
        const node = parseQuery(clause('user.name', value));
        expect(node.kind).toBe('term');
        if (node.kind !== 'term') return;
        expect(node.value).toMatchObject({ text: value, wildcard: false });
      }),
      { numRuns: 2000 },
    );
  });
});

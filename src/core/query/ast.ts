/**
 * The filter language of the timeline (Lucene/KQL style, what analysts already type into Kibana
 * or Timesketch): `field:value`, quoted phrases, `*`/`?` wildcards, `field:[a TO b]`, `field:>=n`,
 * `field:10.0.0.0/8`, AND/OR/NOT with parentheses, and bare words searched in the message and raw line.
 */

/** Half-open character span [start, end) in the query text, for error marks and highlighting. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A value as written: text, and whether it was quoted (quoted text has no wildcards). */
export interface QueryValue {
  readonly text: string;
  readonly quoted: boolean;
  /** True when the unquoted text holds an unescaped `*` or `?`. */
  readonly wildcard: boolean;
  /** With `wildcard`: the text as written (escapes kept), to build the pattern from. */
  readonly pattern?: string;
}

export type CompareOp = '>' | '>=' | '<' | '<=';

export type QueryNode =
  /** The empty query: every event. */
  | { readonly kind: 'all'; readonly span: Span }
  | { readonly kind: 'and'; readonly children: readonly QueryNode[]; readonly span: Span }
  | { readonly kind: 'or'; readonly children: readonly QueryNode[]; readonly span: Span }
  | { readonly kind: 'not'; readonly child: QueryNode; readonly span: Span }
  /** `field:value`; without a field, free text over the message and the raw line. */
  | { readonly kind: 'term'; readonly field: string | undefined; readonly value: QueryValue; readonly span: Span }
  /** `field:*`: the field is present. */
  | { readonly kind: 'exists'; readonly field: string; readonly span: Span }
  /** `field:[a TO b]` (inclusive) or `{a TO b}` (exclusive); `*` leaves a side open. */
  | {
      readonly kind: 'range';
      readonly field: string;
      readonly lower: string | undefined;
      readonly upper: string | undefined;
      readonly lowerInclusive: boolean;
      readonly upperInclusive: boolean;
      readonly span: Span;
    }
  | { readonly kind: 'compare'; readonly field: string; readonly op: CompareOp; readonly value: string; readonly span: Span }
  /** `field:203.0.113.0/24`: the field holds an address in the network. */
  | { readonly kind: 'cidr'; readonly field: string; readonly network: string; readonly span: Span };

/** A query that cannot be parsed, with where it goes wrong. */
export class QuerySyntaxError extends Error {
  constructor(
    message: string,
    readonly span: Span,
  ) {
    super(`${message} (at ${span.start + 1})`);
    this.name = 'QuerySyntaxError';
  }
}

/** Every field a query names (what columns its evaluation must read). */
export function queryFields(node: QueryNode, out = new Set<string>()): Set<string> {
  switch (node.kind) {
    case 'all':
      break;
    case 'and':
    case 'or':
      for (const child of node.children) queryFields(child, out);
      break;
    case 'not':
      queryFields(node.child, out);
      break;
    case 'term':
      if (node.field !== undefined) out.add(node.field);
      break;
    default:
      out.add(node.field);
  }
  return out;
}

/** Whether the query has free text (needs the raw lines). */
export function hasFreeText(node: QueryNode): boolean {
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.children.some(hasFreeText);
    case 'not':
      return hasFreeText(node.child);
    case 'term':
      return node.field === undefined;
    default:
      return false;
  }
}

const RESERVED = /[\s():"\\[\]{}*?<>=]/;

/** A value written so the parser reads it back as exact text (quoted when it needs to be). */
export function quoteValue(text: string): string {
  if (text !== '' && !RESERVED.test(text) && !/^(and|or|not|to)$/i.test(text) && !text.startsWith('-') && !/^[0-9A-Fa-f:.]+\/\d+$/.test(text) && !/^(&&|\|\|)/.test(text)) return text;
  return `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** The query clause `field:value` matching exactly this value. */
export function clause(field: string, value: string): string {
  return `${field}:${quoteValue(value)}`;
}

/** The query as text that parses back to the same tree (spans aside). */
export function formatQuery(node: QueryNode): string {
  const value = (v: QueryValue) => (v.quoted ? `"${v.text.replace(/["\\]/g, (c) => `\\${c}`)}"` : v.wildcard && v.pattern !== undefined ? v.pattern : quoteValue(v.text));
  const bound = (text: string | undefined) => (text === undefined ? '*' : quoteValue(text));
  const inner = (child: QueryNode) => (child.kind === 'and' || child.kind === 'or' ? `(${formatQuery(child)})` : formatQuery(child));
  switch (node.kind) {
    case 'all':
      return '';
    case 'and':
      return node.children.map(inner).join(' AND ');
    case 'or':
      return node.children.map((c) => (c.kind === 'or' ? `(${formatQuery(c)})` : formatQuery(c))).join(' OR ');
    case 'not':
      return `NOT ${inner(node.child)}`;
    case 'term':
      return node.field === undefined ? value(node.value) : `${node.field}:${value(node.value)}`;
    case 'exists':
      return `${node.field}:*`;
    case 'range':
      return `${node.field}:${node.lowerInclusive ? '[' : '{'}${bound(node.lower)} TO ${bound(node.upper)}${node.upperInclusive ? ']' : '}'}`;
    case 'compare':
      return `${node.field}:${node.op}${quoteValue(node.value)}`;
    case 'cidr':
      return `${node.field}:${node.network}`;
  }
}

/**
 * The Sigma condition language (sigma.md A5): a tokenizer and a precedence-climbing parser to an
 * AST, then resolution of `x of pattern` against the detection's search identifiers.
 *
 *   condition := or ;  or := and ("or" and)* ;  and := not ("and" not)* ;
 *   not := "not" not | primary ;  primary := "(" or ")" | ("1"|"any"|"all") "of" (PATTERN|"them") | IDENT
 *
 * Precedence, loosest to tightest: or, and, not, `x of`, parentheses; and/or are left-associative.
 * Keywords are lower-case only (pySigma parity); word boundaries are respected, so `notice` is an
 * identifier (pySigma reads it as `not ice`).
 */
import { SigmaError, type SigmaLocation } from './errors';

export type ConditionNode =
  | { readonly t: 'and'; readonly args: readonly ConditionNode[] }
  | { readonly t: 'or'; readonly args: readonly ConditionNode[] }
  | { readonly t: 'not'; readonly arg: ConditionNode }
  | { readonly t: 'id'; readonly name: string; readonly pos: number }
  | { readonly t: 'of'; readonly quantifier: 'any' | 'all'; readonly pattern: string; readonly pos: number };

/** After resolution: every `x of` lists the identifiers it stands for. */
export type ResolvedCondition =
  | { readonly t: 'and'; readonly args: readonly ResolvedCondition[] }
  | { readonly t: 'or'; readonly args: readonly ResolvedCondition[] }
  | { readonly t: 'not'; readonly arg: ResolvedCondition }
  | { readonly t: 'id'; readonly name: string };

type TokenKind = 'lparen' | 'rparen' | 'and' | 'or' | 'not' | 'of' | 'quantifier' | 'word' | 'end';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** 0-based offset in the condition string. */
  readonly pos: number;
}

const KEYWORDS: Readonly<Record<string, TokenKind>> = {
  and: 'and',
  or: 'or',
  not: 'not',
  of: 'of',
  all: 'quantifier',
  any: 'quantifier',
};

function isWordChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || // 0-9
    (c >= 65 && c <= 90) || // A-Z
    (c >= 97 && c <= 122) || // a-z
    c === 95 || // _
    c === 45 || // -
    c === 42 // *
  );
}

/** Where a condition string sits in its file, to turn offsets into line/column. */
export interface ConditionSource {
  readonly loc?: SigmaLocation;
}

function errorAt(code: 'condition' | 'identifier' | 'legacy', message: string, source: ConditionSource, pos: number): SigmaError {
  const loc = source.loc;
  const location: SigmaLocation =
    loc === undefined
      ? {}
      : {
          ...(loc.file !== undefined ? { file: loc.file } : {}),
          ...(loc.line !== undefined ? { line: loc.line } : {}),
          ...(loc.column !== undefined ? { column: loc.column + pos } : {}),
        };
  return new SigmaError(code, message, location);
}

export function tokenize(text: string, source: ConditionSource = {}): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
    } else if (c === 40) {
      tokens.push({ kind: 'lparen', text: '(', pos: i++ });
    } else if (c === 41) {
      tokens.push({ kind: 'rparen', text: ')', pos: i++ });
    } else if (c === 124) {
      throw errorAt(
        'legacy',
        'the pipe aggregation syntax (`condition | count() by x > n`) was removed in Sigma v2; rewrite it as a correlation rule (event_count / value_count)',
        source,
        i,
      );
    } else if (isWordChar(c)) {
      const start = i;
      while (i < text.length && isWordChar(text.charCodeAt(i))) i++;
      const word = text.slice(start, i);
      const kind = KEYWORDS[word] ?? (word === '1' ? 'quantifier' : 'word');
      tokens.push({ kind, text: word, pos: start });
    } else {
      throw errorAt('condition', `unexpected character '${text[i]}' in condition`, source, i);
    }
  }
  tokens.push({ kind: 'end', text: '', pos: text.length });
  return tokens;
}

const UPPER_KEYWORDS = new Set(['AND', 'OR', 'NOT', 'OF', 'ALL', 'ANY', 'THEM']);

/** Parses one condition string to its AST. Throws SigmaError('condition') with the column. */
export function parseCondition(text: string, source: ConditionSource = {}): ConditionNode {
  const tokens = tokenize(text, source);
  let p = 0;
  const peek = (): Token => tokens[p]!;
  const next = (): Token => tokens[p++]!;

  const describe = (t: Token): string => (t.kind === 'end' ? 'end of condition' : `'${t.text}'`);

  function expected(what: string, t: Token): SigmaError {
    if (t.kind === 'word' && UPPER_KEYWORDS.has(t.text)) {
      return errorAt('condition', `condition keywords are lower-case: write '${t.text.toLowerCase()}' instead of '${t.text}'`, source, t.pos);
    }
    return errorAt('condition', `expected ${what} but found ${describe(t)}`, source, t.pos);
  }

  function parsePrimary(): ConditionNode {
    const t = next();
    switch (t.kind) {
      case 'lparen': {
        const inner = parseOr();
        const close = next();
        if (close.kind !== 'rparen') throw expected("')'", close);
        return inner;
      }
      case 'quantifier': {
        const of = next();
        if (of.kind !== 'of') {
          if (t.text === '1') {
            // A search identifier may be called `1`.
            p--;
            return { t: 'id', name: t.text, pos: t.pos };
          }
          throw expected(`'of' after '${t.text}'`, of);
        }
        const target = next();
        if (target.kind !== 'word') throw expected("a search identifier pattern or 'them'", target);
        if (target.text !== 'them' && target.text.includes('-')) {
          throw errorAt('condition', `'${target.text}': patterns after 'of' may not contain '-'`, source, target.pos);
        }
        return { t: 'of', quantifier: t.text === 'all' ? 'all' : 'any', pattern: target.text, pos: target.pos };
      }
      case 'word': {
        if (t.text === 'them') throw errorAt('condition', "'them' is only valid after '1 of' / 'all of'", source, t.pos);
        if (UPPER_KEYWORDS.has(t.text)) throw expected('a search identifier', t);
        if (t.text.includes('*')) {
          throw errorAt('condition', `'${t.text}': a wildcard pattern needs '1 of' or 'all of' before it`, source, t.pos);
        }
        return { t: 'id', name: t.text, pos: t.pos };
      }
      default:
        throw expected("a search identifier, 'not', '(' or 'x of'", t);
    }
  }

  function parseNot(): ConditionNode {
    if (peek().kind === 'not') {
      next();
      return { t: 'not', arg: parseNot() };
    }
    return parsePrimary();
  }

  function parseBinary(kind: 'and' | 'or', operand: () => ConditionNode): ConditionNode {
    const first = operand();
    if (peek().kind !== kind) return first;
    const args: ConditionNode[] = [first];
    while (peek().kind === kind) {
      next();
      args.push(operand());
    }
    return { t: kind, args };
  }

  function parseAnd(): ConditionNode {
    return parseBinary('and', parseNot);
  }

  function parseOr(): ConditionNode {
    return parseBinary('or', parseAnd);
  }

  if (peek().kind === 'end') throw errorAt('condition', 'the condition is empty', source, 0);
  const node = parseOr();
  const rest = peek();
  if (rest.kind !== 'end') throw expected("'and', 'or' or end of condition", rest);
  return node;
}

/** Full-string match of an `x of` pattern (`*` = any run) against an identifier. */
export function patternMatches(pattern: string, name: string): boolean {
  if (pattern === 'them') return !name.startsWith('_');
  if (name.startsWith('_') && !pattern.startsWith('_')) return false;
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === name;
  const head = parts[0]!;
  const tail = parts[parts.length - 1]!;
  if (!name.startsWith(head) || name.length < head.length + tail.length || !name.endsWith(tail)) return false;
  let at = head.length;
  const end = name.length - tail.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i]!;
    const found = name.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

/**
 * Checks identifiers exist and expands `x of` to the identifiers it covers (document order).
 * A pattern that matches nothing is an error (pySigma leaves a hole that backends trip over).
 */
export function resolveCondition(node: ConditionNode, identifiers: readonly string[], source: ConditionSource = {}): ResolvedCondition {
  const known = new Set(identifiers);
  const visit = (n: ConditionNode): ResolvedCondition => {
    switch (n.t) {
      case 'and':
      case 'or':
        return { t: n.t, args: n.args.map(visit) };
      case 'not':
        return { t: 'not', arg: visit(n.arg) };
      case 'id':
        if (!known.has(n.name)) {
          throw errorAt('identifier', `the condition references '${n.name}', which the detection does not define`, source, n.pos);
        }
        return { t: 'id', name: n.name };
      case 'of': {
        const names = identifiers.filter((name) => patternMatches(n.pattern, name));
        if (names.length === 0) {
          throw errorAt(
            'identifier',
            n.pattern === 'them' ? "'them' matches no search identifier" : `the pattern '${n.pattern}' matches no search identifier`,
            source,
            n.pos,
          );
        }
        if (names.length === 1) return { t: 'id', name: names[0]! };
        return { t: n.quantifier === 'all' ? 'and' : 'or', args: names.map((name) => ({ t: 'id', name })) };
      }
    }
  };
  return visit(node);
}

/** A compact text form of a condition tree (tests, debugging): `or(a, and(b, not(c)))`. */
export function conditionToString(node: ConditionNode | ResolvedCondition): string {
  switch (node.t) {
    case 'and':
    case 'or':
      return `${node.t}(${node.args.map(conditionToString).join(', ')})`;
    case 'not':
      return `not(${conditionToString(node.arg)})`;
    case 'id':
      return node.name;
    case 'of':
      return `${node.quantifier === 'all' ? 'all' : '1'} of ${node.pattern}`;
  }
}

import { parseCidr } from '../rules/modifiers';
import { QuerySyntaxError, type CompareOp, type QueryNode, type QueryValue, type Span } from './ast';

/**
 * Parses the filter language (see ast.ts). Grammar, loosest first:
 *   query := or;  or := and (OR and)*;  and := unary ((AND)? unary)*   (adjacent clauses are ANDed)
 *   unary := (NOT | '-') unary | primary;  primary := '(' or ')' | field ':' fieldValue | value
 *   fieldValue := '(' or-of-values ')' | '[' v TO v ']' | '{' v TO v '}' | (> >= < <=) v | v
 * Operators are case-insensitive (KQL). Errors carry the exact span where the query goes wrong.
 */
export function parseQuery(text: string): QueryNode {
  return new Parser(text).parse();
}

const FIELD_NAME = /^[A-Za-z0-9_@][A-Za-z0-9_.@-]*$/;
const CIDR_LIKE = /^[0-9A-Fa-f:.]+\/\d+$/;

interface Word {
  /** Text with escapes resolved. */
  readonly text: string;
  /** The text as written (escapes kept), for wildcard patterns. */
  readonly source: string;
  readonly quoted: boolean;
  readonly span: Span;
}

class Parser {
  private at = 0;

  constructor(private readonly text: string) {}

  parse(): QueryNode {
    this.skipSpace();
    if (this.at >= this.text.length) return { kind: 'all', span: { start: 0, end: 0 } };
    const node = this.parseOr(undefined);
    this.skipSpace();
    if (this.at < this.text.length) {
      const c = this.text[this.at]!;
      throw new QuerySyntaxError(c === ')' ? 'unexpected ")" with no "(" to close' : `unexpected "${c}"`, { start: this.at, end: this.at + 1 });
    }
    return node;
  }

  private skipSpace(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at]!)) this.at++;
  }

  /** The operator keyword at the cursor (AND, OR, NOT), if it stands alone as a word. */
  private keyword(): 'and' | 'or' | 'not' | undefined {
    const m = /^(and|or|not)(?=[\s()"]|$)/i.exec(this.text.slice(this.at, this.at + 4));
    if (m !== null) return m[1]!.toLowerCase() as 'and' | 'or' | 'not';
    const two = this.text.slice(this.at, this.at + 2);
    if (two === '&&') return 'and';
    if (two === '||') return 'or';
    return undefined;
  }

  private consumeKeyword(): Span {
    const start = this.at;
    const two = this.text.slice(this.at, this.at + 2);
    this.at += two === '&&' || two === '||' ? 2 : /^not/i.test(this.text.slice(this.at)) ? 3 : /^and/i.test(this.text.slice(this.at)) ? 3 : 2;
    return { start, end: this.at };
  }

  private atClauseEnd(): boolean {
    this.skipSpace();
    return this.at >= this.text.length || this.text[this.at] === ')';
  }

  private parseOr(field: string | undefined): QueryNode {
    const children = [this.parseAnd(field)];
    for (;;) {
      this.skipSpace();
      if (this.keyword() !== 'or') break;
      const op = this.consumeKeyword();
      if (this.atClauseEnd()) throw new QuerySyntaxError('OR needs a clause after it', op);
      children.push(this.parseAnd(field));
    }
    return children.length === 1 ? children[0]! : { kind: 'or', children, span: spanOf(children) };
  }

  private parseAnd(field: string | undefined): QueryNode {
    const children = [this.parseUnary(field)];
    for (;;) {
      if (this.atClauseEnd()) break;
      const keyword = this.keyword();
      if (keyword === 'or') break;
      if (keyword === 'and') {
        const op = this.consumeKeyword();
        if (this.atClauseEnd()) throw new QuerySyntaxError('AND needs a clause after it', op);
      }
      children.push(this.parseUnary(field));
    }
    return children.length === 1 ? children[0]! : { kind: 'and', children, span: spanOf(children) };
  }

  private parseUnary(field: string | undefined): QueryNode {
    this.skipSpace();
    const start = this.at;
    const keyword = this.keyword();
    if (keyword === 'not' || (this.text[this.at] === '-' && this.at + 1 < this.text.length && !/[\s)]/.test(this.text[this.at + 1]!))) {
      const op = keyword === 'not' ? this.consumeKeyword() : { start, end: ++this.at };
      if (this.atClauseEnd()) throw new QuerySyntaxError('NOT needs a clause after it', op);
      const child = this.parseUnary(field);
      return { kind: 'not', child, span: { start, end: child.span.end } };
    }
    if (keyword === 'and' || keyword === 'or') {
      throw new QuerySyntaxError(`${keyword.toUpperCase()} needs a clause before it`, { start, end: start + (this.text.startsWith('&&', start) || this.text.startsWith('||', start) ? 2 : keyword.length) });
    }
    return this.parsePrimary(field);
  }

  private parseGroup(field: string | undefined): QueryNode {
    const open = this.at++;
    if (this.atClauseEnd() && this.text[this.at] === ')') throw new QuerySyntaxError('empty parentheses', { start: open, end: this.at + 1 });
    if (this.at >= this.text.length) throw new QuerySyntaxError('"(" is never closed', { start: open, end: open + 1 });
    const inner = this.parseOr(field);
    this.skipSpace();
    if (this.text[this.at] !== ')') throw new QuerySyntaxError('"(" is never closed', { start: open, end: open + 1 });
    this.at++;
    return widen(inner, { start: open, end: this.at });
  }

  private parsePrimary(field: string | undefined): QueryNode {
    this.skipSpace();
    const c = this.text[this.at];
    if (c === '(') return this.parseGroup(field);
    if (c === ')') throw new QuerySyntaxError('unexpected ")"', { start: this.at, end: this.at + 1 });
    const start = this.at;
    if (c === '"') return this.valueNode(field, this.readQuoted(), start);
    const word = this.readWord(field === undefined);
    if (word.fieldName !== undefined) {
      if (field !== undefined) throw new QuerySyntaxError(`"${word.fieldName}:" inside a group of values for ${field}`, word.span);
      return this.parseFieldValue(word.fieldName, start);
    }
    return this.valueNode(field, word, start);
  }

  private parseFieldValue(field: string, start: number): QueryNode {
    const c = this.text[this.at];
    if (c === undefined || /[\s)]/.test(c)) throw new QuerySyntaxError(`"${field}:" needs a value`, { start, end: this.at });
    if (c === '(') return widen(this.parseGroup(field), { start, end: this.at });
    if (c === '[' || c === '{') return this.parseRange(field, start);
    const op = /^(>=|<=|>|<)/.exec(this.text.slice(this.at))?.[1] as CompareOp | undefined;
    if (op !== undefined) {
      this.at += op.length;
      const value = this.text[this.at] === '"' ? this.readQuoted() : this.readWord(false);
      if (value.text === '') throw new QuerySyntaxError(`"${field}:${op}" needs a value`, { start, end: this.at });
      return { kind: 'compare', field, op, value: value.text, span: { start, end: this.at } };
    }
    const value = c === '"' ? this.readQuoted() : this.readWord(false);
    return this.valueNode(field, value, start);
  }

  private parseRange(field: string, start: number): QueryNode {
    const open = this.text[this.at]!;
    this.at++;
    const bound = (): string | undefined => {
      this.skipSpace();
      const w = this.text[this.at] === '"' ? this.readQuoted() : this.readWord(false, true);
      if (w.text === '') throw new QuerySyntaxError('a range needs a value on each side of TO (use * for open)', { start: this.at, end: Math.min(this.text.length, this.at + 1) });
      return !w.quoted && w.text === '*' ? undefined : w.text;
    };
    const lower = bound();
    this.skipSpace();
    if (!/^TO(?=\s)/i.test(this.text.slice(this.at))) throw new QuerySyntaxError('expected TO in the range', { start: this.at, end: Math.min(this.text.length, this.at + 2) });
    this.at += 2;
    const upper = bound();
    this.skipSpace();
    const close = this.text[this.at];
    if (close !== ']' && close !== '}') throw new QuerySyntaxError(`the range opened with "${open}" is never closed`, { start, end: this.at });
    this.at++;
    return { kind: 'range', field, lower, upper, lowerInclusive: open === '[', upperInclusive: close === ']', span: { start, end: this.at } };
  }

  private valueNode(field: string | undefined, word: Word, start: number): QueryNode {
    const span = { start, end: this.at };
    if (field !== undefined && !word.quoted && word.source === '*') return { kind: 'exists', field, span };
    if (field !== undefined && !word.quoted && CIDR_LIKE.test(word.text)) {
      if (parseCidr(word.text) === undefined) throw new QuerySyntaxError(`"${word.text}" is not a valid IPv4 or IPv6 network`, word.span);
      return { kind: 'cidr', field, network: word.text, span };
    }
    return { kind: 'term', field, value: toValue(word), span };
  }

  private readQuoted(): Word {
    const start = this.at;
    let text = '';
    let source = '';
    this.at++;
    while (this.at < this.text.length && this.text[this.at] !== '"') {
      if (this.text[this.at] === '\\' && this.at + 1 < this.text.length) {
        source += this.text.slice(this.at, this.at + 2);
        this.at++;
      } else source += this.text[this.at]!;
      text += this.text[this.at]!;
      this.at++;
    }
    if (this.at >= this.text.length) throw new QuerySyntaxError('the quoted text is never closed', { start, end: this.text.length });
    this.at++;
    return { text, source, quoted: true, span: { start, end: this.at } };
  }

  /**
   * A bare word, up to whitespace or a parenthesis (or a range bracket inside a range). When
   * `allowField`, a leading `name:` is split off as the field (the rest may hold more colons: IPv6).
   */
  private readWord(allowField: boolean, inRange = false): Word & { readonly fieldName?: string } {
    const start = this.at;
    let text = '';
    let source = '';
    while (this.at < this.text.length) {
      const c = this.text[this.at]!;
      if (/\s/.test(c) || c === '(' || c === ')' || c === '"' || (inRange && (c === ']' || c === '}'))) break;
      if (c === '\\') {
        if (this.at + 1 >= this.text.length) throw new QuerySyntaxError('a backslash at the end escapes nothing', { start: this.at, end: this.at + 1 });
        source += this.text.slice(this.at, this.at + 2);
        text += this.text[this.at + 1]!;
        this.at += 2;
        continue;
      }
      if (c === ':' && allowField && source === text && FIELD_NAME.test(text)) {
        this.at++;
        return { text: '', source: '', quoted: false, span: { start, end: this.at }, fieldName: text };
      }
      source += c;
      text += c;
      this.at++;
    }
    if (allowField && source.endsWith(':') && source.length > 1) {
      throw new QuerySyntaxError(`"${source}" needs a value`, { start, end: this.at });
    }
    return { text, source, quoted: false, span: { start, end: this.at } };
  }
}

function toValue(word: Word): QueryValue {
  const wildcard = !word.quoted && /(^|[^\\])(\\\\)*[*?]/.test(word.source);
  return { text: word.text, quoted: word.quoted, wildcard, ...(wildcard ? { pattern: word.source } : {}) };
}

function spanOf(children: readonly QueryNode[]): Span {
  return { start: children[0]!.span.start, end: children[children.length - 1]!.span.end };
}

/** The same node with its span widened to the parentheses around it. */
function widen(node: QueryNode, span: Span): QueryNode {
  return { ...node, span };
}

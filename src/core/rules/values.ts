/**
 * Sigma values as modifiers transform them (pySigma `sigma/types.py`, in our own terms): strings
 * with wildcards and placeholders, regular expressions, numbers, CIDR networks, comparisons,
 * field references, and expansions (several values OR-ed).
 */

export const STAR: unique symbol = Symbol('*');
export const ONE: unique symbol = Symbol('?');
export interface Placeholder {
  readonly placeholder: string;
}
export type StrPart = string | typeof STAR | typeof ONE | Placeholder;

export interface SigmaStr {
  readonly t: 'str';
  readonly parts: readonly StrPart[];
  /** Match case-sensitively (`cased`). */
  readonly cased: boolean;
  /** Characters are bytes (char codes 0-255) after a utf16 modifier; base64 encodes them as-is. */
  readonly binary: boolean;
}
export interface SigmaRe {
  readonly t: 're';
  readonly source: string;
  /** Sub-modifier flags: i, m, s. */
  readonly flags: string;
}
export interface SigmaNum {
  readonly t: 'num';
  readonly v: number;
}
export interface SigmaBool {
  readonly t: 'bool';
  readonly v: boolean;
}
export interface SigmaNull {
  readonly t: 'null';
}
export interface SigmaCidr {
  readonly t: 'cidr';
  readonly text: string;
  readonly v6: boolean;
  /** v4: one 32-bit word; v6: eight 16-bit groups. */
  readonly words: readonly number[];
  readonly prefix: number;
}
export type CompareOp = 'lt' | 'lte' | 'gt' | 'gte';
export interface SigmaCmp {
  readonly t: 'cmp';
  readonly op: CompareOp;
  readonly v: number;
}
export interface SigmaExists {
  readonly t: 'exists';
  readonly v: boolean;
}
export interface SigmaRef {
  readonly t: 'ref';
  readonly field: string;
  readonly mode: 'eq' | 'contains' | 'startswith' | 'endswith';
  readonly cased: boolean;
}
export interface SigmaExpansion {
  readonly t: 'exp';
  readonly values: readonly SigmaValue[];
}

export type SigmaValue =
  | SigmaStr
  | SigmaRe
  | SigmaNum
  | SigmaBool
  | SigmaNull
  | SigmaCidr
  | SigmaCmp
  | SigmaExists
  | SigmaRef
  | SigmaExpansion;

export function str(parts: readonly StrPart[], cased = false, binary = false): SigmaStr {
  return { t: 'str', parts: mergeParts(parts), cased, binary };
}

/** Joins adjacent literal parts and drops empty ones. */
export function mergeParts(parts: readonly StrPart[]): StrPart[] {
  const out: StrPart[] = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      if (part === '') continue;
      const last = out[out.length - 1];
      if (typeof last === 'string') out[out.length - 1] = last + part;
      else out.push(part);
    } else {
      out.push(part);
    }
  }
  return out;
}

/**
 * Parses a plain Sigma string (sigma.md A3): `*` any run, `?` one character; `\*`, `\?`, `\\` are
 * literals; a backslash before any other character, or at the end, is kept as is.
 */
export function parseSigmaString(text: string): SigmaStr {
  const parts: StrPart[] = [];
  let literal = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const n = text[i + 1];
      if (n === '*' || n === '?' || n === '\\') {
        literal += n;
        i++;
      } else {
        literal += '\\';
      }
    } else if (c === '*' || c === '?') {
      if (literal !== '') parts.push(literal);
      literal = '';
      parts.push(c === '*' ? STAR : ONE);
    } else {
      literal += c;
    }
  }
  if (literal !== '') parts.push(literal);
  return { t: 'str', parts, cased: false, binary: false };
}

export function hasWildcards(s: SigmaStr): boolean {
  return s.parts.some((p) => p === STAR || p === ONE);
}

export function hasPlaceholders(s: SigmaStr): boolean {
  return s.parts.some((p) => typeof p === 'object');
}

/** The literal text of a string without wildcards or placeholders. */
export function plainText(s: SigmaStr): string | undefined {
  let out = '';
  for (const p of s.parts) {
    if (typeof p !== 'string') return undefined;
    out += p;
  }
  return out;
}

/** Back to Sigma notation (escaping literal `*`, `?`, `\` where needed) — for display and tests. */
export function sigmaStringText(s: SigmaStr): string {
  let out = '';
  for (const p of s.parts) {
    if (p === STAR) out += '*';
    else if (p === ONE) out += '?';
    else if (typeof p === 'object') out += `%${p.placeholder}%`;
    else out += p.replace(/\\(?=[*?\\]|$)/g, '\\\\').replace(/[*?]/g, (m) => `\\${m}`);
  }
  return out;
}

/** A canonical text of any value, for tests and diagnostics. */
export function valueToString(v: SigmaValue): string {
  switch (v.t) {
    case 'str':
      return `${v.cased ? 'cased:' : ''}${sigmaStringText(v)}`;
    case 're':
      return `/${v.source}/${v.flags}`;
    case 'num':
      return String(v.v);
    case 'bool':
      return String(v.v);
    case 'null':
      return 'null';
    case 'cidr':
      return `cidr:${v.text}`;
    case 'cmp':
      return `${v.op}:${v.v}`;
    case 'exists':
      return `exists:${v.v}`;
    case 'ref':
      return `ref(${v.mode}):${v.field}`;
    case 'exp':
      return `[${v.values.map(valueToString).join(' | ')}]`;
  }
}

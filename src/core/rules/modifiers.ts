/**
 * Sigma value modifiers (spec appendix v2.1.0; pySigma `sigma/modifiers.py`), one small function
 * each, and a registry keyed by the YAML name. `applyModifiers` checks the order rules and value
 * types and turns one detection item into typed values ready for match.ts.
 */
import { SigmaError, type SigmaLocation } from './errors';
import type { DetectionItem, DetectionValue, YamlScalar } from './rule';
import {
  ONE,
  STAR,
  hasPlaceholders,
  hasWildcards,
  mergeParts,
  parseSigmaString,
  plainText,
  str,
  type CompareOp,
  type SigmaCidr,
  type SigmaExpansion,
  type SigmaRe,
  type SigmaStr,
  type SigmaValue,
  type StrPart,
} from './values';

/** What modifiers may need from outside the rule: values for `expand` placeholders. */
export interface ModifierContext {
  /** Placeholder name (without %) -> values; a pipeline's lists (e.g. Servers). */
  readonly placeholders?: Readonly<Record<string, readonly string[]>>;
}

export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

/** A detection item after its modifiers: what match.ts compiles. */
export interface ModifiedItem {
  /** null: keyword search over the whole record. */
  readonly field: string | null;
  /** OR of the values (AND with `all`); an expansion inside is always OR. */
  readonly values: readonly SigmaValue[];
  readonly all: boolean;
  /** `neq`: the whole item negated. */
  readonly negate: boolean;
  /** minute/hour/...: compare that part (UTC) of a timestamp field. */
  readonly timePart?: TimePart;
  /** `cased` was given (keyword search honours it too). */
  readonly loc?: SigmaLocation;
}

function fail(code: 'modifier' | 'value' | 'regex' | 'placeholder' | 'unsupported', message: string, loc?: SigmaLocation): never {
  throw new SigmaError(code, message, loc ?? {});
}

// ---------------------------------------------------------------------------------------------
// String modifiers

/** Numbers and booleans given where a string is needed become their text (lenient; pySigma errs). */
export function toStr(v: SigmaValue, modifier: string, loc?: SigmaLocation): SigmaStr {
  if (v.t === 'str') return v;
  if (v.t === 'num' || v.t === 'bool') return str([String(v.v)]);
  return fail('modifier', `'${modifier}' applies to strings, not to a ${describeType(v)}`, loc);
}

function describeType(v: SigmaValue): string {
  switch (v.t) {
    case 'str':
      return 'string';
    case 're':
      return 'regular expression';
    case 'num':
      return 'number';
    case 'bool':
      return 'boolean';
    case 'null':
      return 'null';
    case 'cidr':
      return 'CIDR network';
    case 'cmp':
      return 'numeric comparison';
    case 'exists':
      return 'exists test';
    case 'ref':
      return 'field reference';
    case 'exp':
      return 'expansion';
  }
}

export function contains(v: SigmaValue, loc?: SigmaLocation): SigmaValue {
  if (v.t === 're') {
    let source = v.source;
    if (!source.startsWith('^') && !source.startsWith('.*')) source = `.*${source}`;
    if (!source.endsWith('$') && !source.endsWith('.*')) source = `${source}.*`;
    return { ...v, source };
  }
  if (v.t === 'ref') return { ...v, mode: 'contains' };
  const s = toStr(v, 'contains', loc);
  const parts = [...s.parts];
  if (parts[0] !== STAR) parts.unshift(STAR);
  if (parts[parts.length - 1] !== STAR) parts.push(STAR);
  return { ...s, parts };
}

export function startswith(v: SigmaValue, loc?: SigmaLocation): SigmaValue {
  if (v.t === 're') {
    const source = v.source.endsWith('$') || v.source.endsWith('.*') ? v.source : `${v.source}.*`;
    return { ...v, source };
  }
  if (v.t === 'ref') return { ...v, mode: 'startswith' };
  const s = toStr(v, 'startswith', loc);
  return s.parts[s.parts.length - 1] === STAR ? s : { ...s, parts: [...s.parts, STAR] };
}

export function endswith(v: SigmaValue, loc?: SigmaLocation): SigmaValue {
  if (v.t === 're') {
    const source = v.source.startsWith('^') || v.source.startsWith('.*') ? v.source : `.*${v.source}`;
    return { ...v, source };
  }
  if (v.t === 'ref') return { ...v, mode: 'endswith' };
  const s = toStr(v, 'endswith', loc);
  return s.parts[0] === STAR ? s : { ...s, parts: [STAR, ...s.parts] };
}

export function cased(v: SigmaValue, loc?: SigmaLocation): SigmaValue {
  if (v.t === 'ref') return { ...v, cased: true };
  if (v.t !== 'str') return fail('modifier', `'cased' applies to strings, not to a ${describeType(v)}`, loc);
  return { ...v, cased: true };
}

// ---------------------------------------------------------------------------------------------
// Encodings

function utf8Bytes(s: SigmaStr, modifier: string, loc?: SigmaLocation): Uint8Array {
  if (hasWildcards(s)) fail('value', `'${modifier}' cannot encode a value with wildcards (* or ?); escape them as \\* \\?`, loc);
  const text = plainText(s);
  if (text === undefined) return fail('value', `'${modifier}' cannot encode a placeholder`, loc);
  if (s.binary) {
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
    return bytes;
  }
  return new TextEncoder().encode(text);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function base64Encode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += `${B64[(n >> 18) & 63]!}${B64[(n >> 12) & 63]!}==`;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += `${B64[(n >> 18) & 63]!}${B64[(n >> 12) & 63]!}${B64[(n >> 6) & 63]!}=`;
  }
  return out;
}

export function base64(v: SigmaValue, loc?: SigmaLocation): SigmaValue {
  return str([base64Encode(utf8Bytes(toStr(v, 'base64', loc), 'base64', loc))]);
}

/**
 * The three Base64 forms of a value sitting at byte offset 0, 1 or 2 of a larger encoded blob:
 * encode (i spaces + value), drop the first (0, 2, 3)[i] characters and, depending on
 * (length + i) mod 3, the last (0, 3, 2) characters.
 */
export function base64offsetVariants(bytes: Uint8Array): string[] {
  const startCut = [0, 2, 3];
  const endCut = [0, 3, 2];
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const padded = new Uint8Array(bytes.length + i);
    padded.fill(0x20, 0, i);
    padded.set(bytes, i);
    const encoded = base64Encode(padded);
    out.push(encoded.slice(startCut[i]!, encoded.length - endCut[(bytes.length + i) % 3]!));
  }
  return out;
}

export function base64offset(v: SigmaValue, loc?: SigmaLocation): SigmaValue {
  const bytes = utf8Bytes(toStr(v, 'base64offset', loc), 'base64offset', loc);
  return { t: 'exp', values: base64offsetVariants(bytes).map((s) => str([s])) };
}

function utf16(v: SigmaValue, modifier: string, bigEndian: boolean, bom: string, loc?: SigmaLocation): SigmaValue {
  const s = toStr(v, modifier, loc);
  const parts: StrPart[] = bom === '' ? [] : [bom];
  for (const part of s.parts) {
    if (typeof part !== 'string') {
      parts.push(part);
      continue;
    }
    let bytes = '';
    for (let i = 0; i < part.length; i++) {
      const code = part.charCodeAt(i);
      const hi = String.fromCharCode(code >> 8);
      const lo = String.fromCharCode(code & 0xff);
      bytes += bigEndian ? hi + lo : lo + hi;
    }
    parts.push(bytes);
  }
  return str(parts, s.cased, true);
}

export const utf16le = (v: SigmaValue, loc?: SigmaLocation): SigmaValue => utf16(v, 'utf16le', false, '', loc);
export const utf16be = (v: SigmaValue, loc?: SigmaLocation): SigmaValue => utf16(v, 'utf16be', true, '', loc);
/** BOM + UTF-16LE. The spec's BOM is FF FE (pySigma writes EF BB BF; we follow the spec). */
export const utf16withBom = (v: SigmaValue, loc?: SigmaLocation): SigmaValue => utf16(v, 'utf16', false, '\xff\xfe', loc);

// ---------------------------------------------------------------------------------------------
// windash

export const WINDASH_CHARS = ['-', '/', '\u2013', '\u2014', '\u2015'] as const;

/** Every `-` or `/` at a non-word -> word boundary becomes each of the five dashes, all combinations OR-ed. */
export function windash(v: SigmaValue, loc?: SigmaLocation): SigmaValue {
  const s = toStr(v, 'windash', loc);
  // Split each literal part at the dash positions (per part, as pySigma does).
  type Piece = StrPart | { readonly dash: true };
  const pieces: Piece[] = [];
  let dashes = 0;
  for (const part of s.parts) {
    if (typeof part !== 'string') {
      pieces.push(part);
      continue;
    }
    const re = /\B[-/]\b/g;
    let last = 0;
    for (let m = re.exec(part); m !== null; m = re.exec(part)) {
      pieces.push(part.slice(last, m.index));
      pieces.push({ dash: true });
      dashes++;
      last = m.index + 1;
    }
    pieces.push(part.slice(last));
  }
  if (dashes === 0) return s;
  if (dashes > 6) fail('value', `'windash' would expand ${WINDASH_CHARS.length}^${dashes} variants; split the value`, loc);
  const variants: SigmaStr[] = [];
  const total = WINDASH_CHARS.length ** dashes;
  for (let n = 0; n < total; n++) {
    let k = n;
    const parts: StrPart[] = [];
    for (const piece of pieces) {
      if (typeof piece === 'object' && 'dash' in piece) {
        parts.push(WINDASH_CHARS[k % WINDASH_CHARS.length]!);
        k = Math.floor(k / WINDASH_CHARS.length);
      } else {
        parts.push(piece);
      }
    }
    variants.push(str(parts, s.cased, s.binary));
  }
  return { t: 'exp', values: variants };
}

// ---------------------------------------------------------------------------------------------
// expand (placeholders)

/** `%name%` becomes a placeholder; `\%` is a literal `%`. */
export function insertPlaceholders(s: SigmaStr): SigmaStr {
  const parts: StrPart[] = [];
  for (const part of s.parts) {
    if (typeof part !== 'string') {
      parts.push(part);
      continue;
    }
    const re = /\\%|%([A-Za-z0-9_.-]+)%/g;
    let last = 0;
    for (let m = re.exec(part); m !== null; m = re.exec(part)) {
      parts.push(part.slice(last, m.index));
      parts.push(m[1] === undefined ? '%' : { placeholder: m[1] });
      last = m.index + m[0].length;
    }
    parts.push(part.slice(last));
  }
  return { ...s, parts: mergeParts(parts) };
}

export function expand(v: SigmaValue, loc: SigmaLocation | undefined, ctx: ModifierContext): SigmaValue {
  const s = insertPlaceholders(toStr(v, 'expand', loc));
  if (!hasPlaceholders(s)) return s;
  let variants: StrPart[][] = [[]];
  for (const part of s.parts) {
    if (typeof part === 'object' && 'placeholder' in part) {
      const values = ctx.placeholders?.[part.placeholder];
      if (values === undefined) {
        fail(
          'placeholder',
          `placeholder %${part.placeholder}% has no values: define the list '${part.placeholder}' (the spec requires rejecting rules with unresolved placeholders)`,
          loc,
        );
      }
      const next: StrPart[][] = [];
      for (const prefix of variants) for (const value of values) next.push([...prefix, ...parseSigmaString(value).parts]);
      variants = next;
    } else {
      for (const prefix of variants) prefix.push(part);
    }
  }
  const values = variants.map((parts) => str(parts, s.cased, s.binary));
  return values.length === 1 ? values[0]! : { t: 'exp', values };
}

// ---------------------------------------------------------------------------------------------
// Regular expressions

const INLINE_FLAGS = /^\(\?([imsx]+)\)/;

/**
 * Translates a PCRE-style pattern to a JavaScript RegExp source and flags (sigma.md A4): leading
 * `(?i)`-style groups become flags, `\A` -> `^`, `\Z`/`\z` -> `$`, `(?P<n>` -> `(?<n>`,
 * `(?P=n)` -> `\k<n>`. Possessive quantifiers, atomic groups and inline flags elsewhere are refused.
 */
export function translateRegex(pattern: string, flags: string, loc?: SigmaLocation): { source: string; flags: string } {
  let source = pattern;
  const flagSet = new Set(flags.split('').filter((f) => f !== ''));
  for (let m = INLINE_FLAGS.exec(source); m !== null; m = INLINE_FLAGS.exec(source)) {
    for (const f of m[1]!) {
      if (f === 'x') fail('unsupported', "regex: the extended-mode flag (?x) is not supported by JavaScript", loc);
      flagSet.add(f);
    }
    source = source.slice(m[0].length);
  }
  let out = '';
  let inClass = false;
  let lastWasQuantifier = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const n = source[i + 1];
      if (n === undefined) fail('regex', 'regex: the pattern ends with a lone backslash', loc);
      if (!inClass && n === 'A') {
        if (flagSet.has('m')) fail('unsupported', 'regex: \\A with the multiline flag has no JavaScript equivalent', loc);
        out += '^';
      } else if (!inClass && (n === 'Z' || n === 'z')) {
        if (flagSet.has('m')) fail('unsupported', `regex: \\${n} with the multiline flag has no JavaScript equivalent`, loc);
        out += '$';
      } else {
        out += c + n;
      }
      i++;
      lastWasQuantifier = false;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A ']' right after '[' or '[^' is a literal.
      if (source[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (source[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      lastWasQuantifier = false;
      continue;
    }
    if (c === '(' && source[i + 1] === '?') {
      const rest = source.slice(i + 2);
      if (rest.startsWith('>')) fail('unsupported', 'regex: atomic groups (?>...) are not supported by JavaScript', loc);
      if (rest.startsWith('P<')) {
        out += '(?<';
        i += 3;
        lastWasQuantifier = false;
        continue;
      }
      const named = /^P=([A-Za-z_][A-Za-z0-9_]*)\)/.exec(rest);
      if (named !== null) {
        out += `\\k<${named[1]!}>`;
        i += 2 + named[0].length - 1;
        lastWasQuantifier = false;
        continue;
      }
      if (/^[imsx-]+[):]/.test(rest)) fail('unsupported', 'regex: inline flags are only supported at the start of the pattern', loc);
      if (rest.startsWith('#')) fail('unsupported', 'regex: (?#...) comments are not supported by JavaScript', loc);
    }
    if (c === '+' && lastWasQuantifier) fail('unsupported', 'regex: possessive quantifiers (*+, ++, ?+, {n}+) are not supported by JavaScript', loc);
    const quantifierEnd = c === '*' || c === '+' || c === '?' || c === '}';
    // `??`, `*?` are lazy quantifiers, not a second quantifier.
    lastWasQuantifier = quantifierEnd && !(c === '?' && lastWasQuantifier);
    out += c;
  }
  const jsFlags = [...flagSet].filter((f) => f === 'i' || f === 'm' || f === 's').sort().join('');
  try {
    new RegExp(out, jsFlags);
  } catch (e) {
    fail('regex', `invalid regular expression /${pattern}/: ${(e as Error).message}`, loc);
  }
  return { source: out, flags: jsFlags };
}

function re(raw: YamlScalar, loc?: SigmaLocation): SigmaRe {
  if (typeof raw !== 'string') {
    if (typeof raw === 'number') return { t: 're', source: String(raw), flags: '' };
    return fail('value', `'re' needs a string pattern, not ${raw === null ? 'null' : typeof raw}`, loc);
  }
  translateRegex(raw, '', loc); // validate early
  return { t: 're', source: raw, flags: '' };
}

function reFlag(flag: 'i' | 'm' | 's') {
  return (v: SigmaValue, loc?: SigmaLocation): SigmaValue => {
    if (v.t !== 're') return fail('modifier', `'${flag}' is a flag of 're' and must follow it`, loc);
    return v.flags.includes(flag) ? v : { ...v, flags: v.flags + flag };
  };
}

// ---------------------------------------------------------------------------------------------
// Networks

/** Parses an IPv4 address to a 32-bit unsigned number, or undefined. */
export function parseIPv4(text: string): number | undefined {
  let value = 0;
  let octets = 0;
  let current = -1;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (current < 0 || current > 255 || octets === 4) return undefined;
      value = value * 256 + current;
      octets++;
      current = -1;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 3) return undefined;
      current = current < 0 ? c - 48 : current * 10 + (c - 48);
      digits++;
    } else {
      return undefined;
    }
  }
  return octets === 4 ? value : undefined;
}

/** Parses an IPv6 address (with `::`, an embedded IPv4 tail, an optional `%zone`) into eight groups. */
export function parseIPv6(input: string): number[] | undefined {
  const zone = input.indexOf('%');
  const text = zone >= 0 ? input.slice(0, zone) : input;
  if (text.length < 2 || !text.includes(':')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseHalf = (half: string): number[] | undefined => {
    if (half === '') return [];
    const groups: number[] = [];
    const pieces = half.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIPv4(piece);
        if (v4 === undefined) return undefined;
        groups.push(Math.floor(v4 / 65536), v4 % 65536);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined;
        groups.push(parseInt(piece, 16));
      }
    }
    return groups;
  };
  const head = parseHalf(halves[0]!);
  if (head === undefined) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const tail = parseHalf(halves[1]!);
  if (tail === undefined || head.length + tail.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

export function parseCidr(text: string): SigmaCidr | undefined {
  const slash = text.indexOf('/');
  const address = (slash >= 0 ? text.slice(0, slash) : text).trim();
  const prefixText = slash >= 0 ? text.slice(slash + 1).trim() : undefined;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const v4 = parseIPv4(address);
  if (v4 !== undefined) {
    const prefix = prefixText === undefined ? 32 : Number(prefixText);
    if (prefix > 32) return undefined;
    return { t: 'cidr', text, v6: false, words: [v4], prefix };
  }
  const v6 = parseIPv6(address);
  if (v6 !== undefined) {
    const prefix = prefixText === undefined ? 128 : Number(prefixText);
    if (prefix > 128) return undefined;
    return { t: 'cidr', text, v6: true, words: v6, prefix };
  }
  return undefined;
}

function cidr(raw: YamlScalar, loc?: SigmaLocation): SigmaCidr {
  if (typeof raw !== 'string') return fail('value', "'cidr' needs a network such as 10.0.0.0/8 or fe80::/10", loc);
  const network = parseCidr(raw);
  if (network === undefined) return fail('value', `'${raw}' is not a valid IPv4 or IPv6 network`, loc);
  return network;
}

/** Whether an address (text) lies in the network. */
export function cidrContains(network: SigmaCidr, address: string): boolean {
  if (!network.v6) {
    const v4 = parseIPv4(address);
    if (v4 === undefined) return false;
    if (network.prefix === 0) return true;
    const shift = 32 - network.prefix;
    return Math.floor(v4 / 2 ** shift) === Math.floor(network.words[0]! / 2 ** shift);
  }
  const v6 = parseIPv6(address);
  if (v6 === undefined) return false;
  let bits = network.prefix;
  for (let g = 0; g < 8 && bits > 0; g++) {
    const take = Math.min(16, bits);
    const shift = 16 - take;
    if (v6[g]! >> shift !== network.words[g]! >> shift) return false;
    bits -= take;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Comparisons, exists, fieldref

function compare(op: CompareOp) {
  return (raw: YamlScalar, loc?: SigmaLocation): SigmaValue => {
    if (typeof raw !== 'number') {
      return fail('value', `'${op}' compares with a number; '${String(raw)}' is a ${raw === null ? 'null' : typeof raw} (write it unquoted)`, loc);
    }
    return { t: 'cmp', op, v: raw };
  };
}

function exists(raw: YamlScalar, loc?: SigmaLocation): SigmaValue {
  if (typeof raw !== 'boolean') return fail('value', `'exists' takes true or false, not '${String(raw)}'`, loc);
  return { t: 'exists', v: raw };
}

function fieldref(raw: YamlScalar, loc?: SigmaLocation): SigmaValue {
  if (typeof raw !== 'string' || raw === '') return fail('value', "'fieldref' takes the name of another field", loc);
  if (/[*?]/.test(raw)) fail('value', "'fieldref' takes a field name; wildcards are not allowed", loc);
  return { t: 'ref', field: raw, mode: 'eq', cased: false };
}

// ---------------------------------------------------------------------------------------------
// The registry

type ValueModifier = (v: SigmaValue, loc: SigmaLocation | undefined, ctx: ModifierContext) => SigmaValue;
type SourceModifier = (raw: YamlScalar, loc: SigmaLocation | undefined) => SigmaValue;

export type ModifierDef =
  /** Transforms each value (after the ones before it). */
  | { readonly kind: 'value'; readonly apply: ValueModifier }
  /** Reads the raw YAML value; must come first (re, cidr, exists, lt...). */
  | { readonly kind: 'source'; readonly apply: SourceModifier; readonly needsField?: boolean }
  /** Changes how the list is combined (all, neq). */
  | { readonly kind: 'list' }
  /** Compares a part of a timestamp (must come first; value is an integer). */
  | { readonly kind: 'time'; readonly part: TimePart }
  /** A flag of `re` (must follow it). */
  | { readonly kind: 'reflag'; readonly apply: ValueModifier };

export const MODIFIERS: Readonly<Record<string, ModifierDef>> = {
  contains: { kind: 'value', apply: (v, loc) => contains(v, loc) },
  startswith: { kind: 'value', apply: (v, loc) => startswith(v, loc) },
  endswith: { kind: 'value', apply: (v, loc) => endswith(v, loc) },
  all: { kind: 'list' },
  neq: { kind: 'list' },
  cased: { kind: 'value', apply: (v, loc) => cased(v, loc) },
  base64: { kind: 'value', apply: (v, loc) => base64(v, loc) },
  base64offset: { kind: 'value', apply: (v, loc) => base64offset(v, loc) },
  utf16le: { kind: 'value', apply: (v, loc) => utf16le(v, loc) },
  wide: { kind: 'value', apply: (v, loc) => utf16le(v, loc) },
  utf16be: { kind: 'value', apply: (v, loc) => utf16be(v, loc) },
  utf16: { kind: 'value', apply: (v, loc) => utf16withBom(v, loc) },
  windash: { kind: 'value', apply: (v, loc) => windash(v, loc) },
  expand: { kind: 'value', apply: (v, loc, ctx) => expand(v, loc, ctx) },
  re: { kind: 'source', apply: re },
  i: { kind: 'reflag', apply: reFlag('i') },
  ignorecase: { kind: 'reflag', apply: reFlag('i') },
  m: { kind: 'reflag', apply: reFlag('m') },
  multiline: { kind: 'reflag', apply: reFlag('m') },
  s: { kind: 'reflag', apply: reFlag('s') },
  dotall: { kind: 'reflag', apply: reFlag('s') },
  cidr: { kind: 'source', apply: cidr },
  lt: { kind: 'source', apply: compare('lt') },
  lte: { kind: 'source', apply: compare('lte') },
  gt: { kind: 'source', apply: compare('gt') },
  gte: { kind: 'source', apply: compare('gte') },
  exists: { kind: 'source', apply: exists, needsField: true },
  fieldref: { kind: 'source', apply: fieldref, needsField: true },
  minute: { kind: 'time', part: 'minute' },
  hour: { kind: 'time', part: 'hour' },
  day: { kind: 'time', part: 'day' },
  week: { kind: 'time', part: 'week' },
  month: { kind: 'time', part: 'month' },
  year: { kind: 'time', part: 'year' },
};

/** Initial typed value of a YAML scalar with no source modifier. */
export function scalarValue(raw: YamlScalar): SigmaValue {
  if (raw === null) return { t: 'null' };
  if (typeof raw === 'number') return { t: 'num', v: raw };
  if (typeof raw === 'boolean') return { t: 'bool', v: raw };
  return parseSigmaString(raw);
}

function applyToExpansion(v: SigmaValue, f: (v: SigmaValue) => SigmaValue): SigmaValue {
  if (v.t !== 'exp') return f(v);
  const values: SigmaValue[] = [];
  for (const member of v.values) {
    const out = applyToExpansion(member, f);
    if (out.t === 'exp') values.push(...out.values);
    else values.push(out);
  }
  return { t: 'exp', values } satisfies SigmaExpansion;
}

/**
 * Applies an item's modifiers to its values, checking order and types (pySigma parity:
 * `re`, `cidr`, `exists`, the comparisons come first; re flags follow `re`).
 */
export function applyModifiers(item: DetectionItem, ctx: ModifierContext = {}): ModifiedItem {
  const loc = item.loc;
  let all = false;
  let negate = false;
  let timePart: TimePart | undefined;
  let source: { name: string; def: Extract<ModifierDef, { kind: 'source' }> } | undefined;
  const transforms: { name: string; def: Extract<ModifierDef, { kind: 'value' | 'reflag' }> }[] = [];
  let previous: string | undefined;
  item.modifiers.forEach((name, index) => {
    const def = MODIFIERS[name];
    if (def === undefined) {
      throw new SigmaError('unknown-modifier', `unknown modifier '${name}'`, loc ?? {});
    }
    switch (def.kind) {
      case 'list':
        if (name === 'all') all = true;
        else negate = true;
        break;
      case 'time':
        if (index !== 0) fail('modifier', `'${name}' must be the first modifier`, loc);
        if (item.field === null) fail('modifier', `'${name}' needs a field`, loc);
        timePart = def.part;
        break;
      case 'source': {
        const first = index === 0 || (timePart !== undefined && index === 1 && /^(lt|lte|gt|gte)$/.test(name));
        if (!first) fail('modifier', `'${name}' must be the first modifier (it only applies to unmodified values); it follows '${previous ?? ''}'`, loc);
        if (def.needsField && item.field === null) fail('modifier', `'${name}' needs a field name`, loc);
        source = { name, def };
        break;
      }
      case 'reflag':
        if (previous === undefined || !(previous === 're' || MODIFIERS[previous]?.kind === 'reflag')) {
          fail('modifier', `'${name}' is a flag of 're' and must follow it`, loc);
        }
        transforms.push({ name, def });
        break;
      case 'value':
        if (source !== undefined && source.name !== 're' && source.name !== 'fieldref') {
          fail('modifier', `'${name}' cannot follow '${source.name}'`, loc);
        }
        if (source?.name === 'fieldref' && !/^(contains|startswith|endswith|cased)$/.test(name)) {
          fail('modifier', `'${name}' cannot follow 'fieldref'`, loc);
        }
        if (source?.name === 're' && !/^(contains|startswith|endswith)$/.test(name)) {
          fail('modifier', `'${name}' cannot follow 're'`, loc);
        }
        transforms.push({ name, def });
        break;
    }
    previous = name;
  });
  if (all && negate) fail('unsupported', "'all' and 'neq' together are not supported", loc);

  const convert = (dv: DetectionValue): SigmaValue => {
    const vloc = dv.loc ?? loc;
    if (timePart !== undefined && source === undefined) {
      if (typeof dv.value !== 'number' || !Number.isInteger(dv.value)) {
        fail('value', `'${timePart}' compares with an integer, not '${String(dv.value)}'`, vloc);
      }
      return { t: 'num', v: dv.value };
    }
    if (source !== undefined) {
      if (source.name === 'exists' && dv.value === null) fail('value', "'exists' takes true or false, not null", vloc);
      let v = source.def.apply(dv.value, vloc);
      for (const t of transforms) v = applyToExpansion(v, (x) => t.def.apply(x, vloc, ctx));
      return v;
    }
    if (dv.value === null) {
      if (transforms.length > 0) fail('value', `modifier '${transforms[0]!.name}' cannot apply to null`, vloc);
      return { t: 'null' };
    }
    let v = scalarValue(dv.value);
    for (const t of transforms) v = applyToExpansion(v, (x) => t.def.apply(x, vloc, ctx));
    return v;
  };

  // `[]` is a null test, like `null` (pySigma).
  const values: SigmaValue[] = item.values.length === 0 ? [{ t: 'null' }] : item.values.map(convert);
  if (source?.name === 'exists' && item.values.length !== 1) fail('value', "'exists' takes a single true or false", loc);
  if (item.field === null) {
    for (const v of values) {
      const leaves = v.t === 'exp' ? v.values : [v];
      for (const leaf of leaves) {
        if (leaf.t !== 'str' && leaf.t !== 're' && leaf.t !== 'num' && leaf.t !== 'bool') {
          fail('modifier', `keyword searches take strings (or regular expressions), not a ${describeType(leaf)}`, loc);
        }
      }
    }
  }
  return {
    field: item.field,
    values,
    all,
    negate,
    ...(timePart !== undefined ? { timePart } : {}),
    ...(loc !== undefined ? { loc } : {}),
  };
}

/** Keyword values are searched anywhere in the text: implicit `*` on both ends. */
export function asKeyword(v: SigmaValue): SigmaValue {
  if (v.t === 'num' || v.t === 'bool') return contains(str([String(v.v)]));
  if (v.t === 'str') {
    const parts = [...v.parts];
    if (parts[0] !== STAR) parts.unshift(STAR);
    if (parts[parts.length - 1] !== STAR) parts.push(STAR);
    return { ...v, parts };
  }
  return v;
}

export { ONE, STAR };

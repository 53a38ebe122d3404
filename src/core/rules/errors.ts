/**
 * Errors of the Sigma engine. Every error names what went wrong (a `code` the editor can act on)
 * and, where known, where: the rule file, 1-based line and column (pySigma's SigmaRuleLocation).
 */

export type SigmaErrorCode =
  /** The text is not valid YAML. */
  | 'yaml'
  /** A document is YAML but not a Sigma rule (missing or mistyped attribute). */
  | 'structure'
  /** A modifier name no Sigma version defines. */
  | 'unknown-modifier'
  /** A known modifier used where it cannot apply (order, value type, no field). */
  | 'modifier'
  /** A value a modifier cannot take (wildcards in base64, a string for gt, an invalid CIDR). */
  | 'value'
  /** An invalid regular expression, or a construct JavaScript cannot run. */
  | 'regex'
  /** The condition does not parse. */
  | 'condition'
  /** The condition names a search identifier the detection does not define, or a pattern matches none. */
  | 'identifier'
  /** A correlation rule is malformed (type, rules, group-by, timespan, condition, aliases). */
  | 'correlation'
  /** A placeholder (`expand`) with no values supplied. */
  | 'placeholder'
  /** A Sigma feature Loupe does not evaluate (named in the message). */
  | 'unsupported'
  /** The pre-v2 aggregation syntax (`| count() by x > n`, `timeframe`). */
  | 'legacy';

export interface SigmaLocation {
  /** The rule file (path or name), when known. */
  readonly file?: string;
  /** 1-based line. */
  readonly line?: number;
  /** 1-based column. */
  readonly column?: number;
}

/** A problem found while loading, validating or compiling a rule, as plain data. */
export interface SigmaDiagnostic extends SigmaLocation {
  readonly code: SigmaErrorCode;
  readonly message: string;
  readonly severity: 'error' | 'warning';
  /** Title or id of the rule, when the document got that far. */
  readonly rule?: string;
}

export class SigmaError extends Error {
  readonly code: SigmaErrorCode;
  readonly location: SigmaLocation;

  constructor(code: SigmaErrorCode, message: string, location: SigmaLocation = {}) {
    super(message);
    this.name = 'SigmaError';
    this.code = code;
    this.location = location;
  }

  /** "file:line:column: message", the form compilers print. */
  override toString(): string {
    return `${formatLocation(this.location)}${this.message}`;
  }

  toDiagnostic(rule?: string): SigmaDiagnostic {
    return {
      code: this.code,
      message: this.message,
      severity: 'error',
      ...this.location,
      ...(rule !== undefined ? { rule } : {}),
    };
  }
}

export function formatLocation(location: SigmaLocation): string {
  const parts: string[] = [];
  if (location.file !== undefined) parts.push(location.file);
  if (location.line !== undefined) parts.push(String(location.line));
  if (location.line !== undefined && location.column !== undefined) parts.push(String(location.column));
  return parts.length > 0 ? `${parts.join(':')}: ` : '';
}

export function formatDiagnostic(d: SigmaDiagnostic): string {
  return `${formatLocation(d)}${d.severity}: ${d.message} [${d.code}]`;
}

/**
 * text.startsWith(part, at). Lines are slices of a decoded region, and on such strings V8's
 * startsWith takes a slow path (several times the cost of an indexOf); indexOf, behind a check of
 * the first char so that a mismatch does not search the rest of the line, does not.
 */
export function hasAt(text: string, part: string, at: number): boolean {
  if (part.length === 0) return at <= text.length;
  return text.charCodeAt(at) === part.charCodeAt(0) && text.indexOf(part, at) === at;
}

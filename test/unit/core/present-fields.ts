import type { EventFields, ParsedFields } from '../../../src/core/model/event';

/** The names of the fields a parser set, sorted: undefined is an absent field (ParsedFields). */
export function presentKeys(fields: Readonly<ParsedFields>): string[] {
  return Object.keys(fields).filter((key) => fields[key] !== undefined).sort();
}

/** The fields a parser set, as they are stored: without the undefined ones, in name order. */
export function presentFields(fields: Readonly<ParsedFields>): EventFields {
  const out: EventFields = {};
  for (const key of presentKeys(fields)) out[key] = fields[key]!;
  return out;
}

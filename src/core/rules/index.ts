/** The Sigma engine's public surface (DESIGN.md "Detection"; sigma.md). */
export { SigmaError, formatDiagnostic, formatLocation, type SigmaDiagnostic, type SigmaErrorCode, type SigmaLocation } from './errors';
export * from './rule';
export { loadRules, parseTimespan, type LoadOptions, type LoadResult } from './load';
export { validateDocument, validateDetection, validateCorrelation, type ValidateOptions } from './validate';
export { parseCondition, resolveCondition, conditionToString, patternMatches, type ConditionNode, type ResolvedCondition } from './condition';
export { MODIFIERS, applyModifiers, translateRegex, parseCidr, cidrContains, base64offsetVariants, type ModifierContext, type ModifiedItem, type ModifierDef } from './modifiers';
export { compileDetection, type EventPredicate, type MatchOptions } from './match';
export {
  DATASET_SOURCES,
  FIELD_TABLES,
  datasetsFor,
  subnetOf,
  fieldAccessor,
  fieldTableFor,
  logsourceCovers,
  mappedFieldNames,
  type DatasetSource,
  type FieldSpec,
  type FieldTable,
} from './fields';
export { CorrelationEvaluator, type CorrelationInput, type CorrelationMatch } from './correlation';
export { compileRules, type CompileOptions, type CompiledRuleInfo, type CompiledRuleSet, type Evaluation, type Match, type MatchListener } from './engine';
export { parseSigmaString, valueToString, type SigmaValue } from './values';
export { fieldsRead, type FieldsRead, type FieldsReadOptions } from './fields-read';
export type { BlockColumns } from './preselect';
export { draftRule, logsourceOf, type DraftOptions } from './draft';
export { peekLogsource } from './peek';

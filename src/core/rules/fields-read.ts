/**
 * Which stored fields a set of rules reads, so a scan over the case decodes only those columns
 * (the rule lab's live test reads 1,000,000 events per keystroke). Keywords search the raw line
 * and every string field, so a rule with keywords reads everything.
 */
import { DATASET_SOURCES, FIELD_TABLES, fieldTableFor, mappedFieldNames, type DatasetSource, type FieldTable } from './fields';
import type { Detection, DetectionNode, LogSource, SigmaDocument } from './rule';

export interface FieldsRead {
  /** Every field is needed (keyword searches); `fields` is then not exhaustive. */
  readonly all: boolean;
  /** The raw line is needed (keywords, `event.original`). */
  readonly raw: boolean;
  /** ECS field names, sorted. */
  readonly fields: readonly string[];
}

export interface FieldsReadOptions {
  /** Fields every match records (engine.ts CompileOptions.entityFields). */
  readonly entityFields?: readonly string[];
  readonly fieldTables?: readonly FieldTable[];
  readonly datasetSources?: readonly DatasetSource[];
}

const DEFAULT_ENTITIES = ['host.name', 'source.ip', 'user.name'];

export function fieldsRead(documents: readonly SigmaDocument[], options: FieldsReadOptions = {}): FieldsRead {
  const tables = options.fieldTables ?? FIELD_TABLES;
  const fields = new Set<string>(['event.dataset', ...(options.entityFields ?? DEFAULT_ENTITIES)]);
  // Dataset guards (`process.name` for sshd lines of system.auth, ...) are read before the rule.
  for (const source of options.datasetSources ?? DATASET_SOURCES) if (source.when !== undefined) fields.add(source.when.field);
  let all = false;
  let raw = false;
  const add = (name: string, table: FieldTable | undefined): void => {
    for (const ecs of mappedFieldNames(name, table)) {
      if (ecs === 'event.original') raw = true;
      if (ecs !== '@timestamp') fields.add(ecs);
    }
  };
  const visit = (node: DetectionNode, table: FieldTable | undefined): void => {
    if (node.kind !== 'item') {
      for (const n of node.nodes) visit(n, table);
      return;
    }
    if (node.item.field === null) {
      all = true;
      raw = true;
      return;
    }
    add(node.item.field, table);
    // `field|fieldref: other` compares with a second field, named by the value.
    if (node.item.modifiers.includes('fieldref')) for (const v of node.item.values) if (typeof v.value === 'string') add(v.value, table);
  };
  const detection = (d: Detection, logsource: LogSource): void => {
    const table = fieldTableFor(logsource, tables);
    for (const id of d.identifiers) visit(id.node, table);
  };
  const byRef = new Map<string, SigmaDocument>();
  for (const doc of documents) {
    for (const key of [doc.id, doc.name, doc.id === undefined && doc.name === undefined ? doc.title : undefined]) if (key !== undefined) byRef.set(key, doc);
  }
  for (const doc of documents) {
    if (doc.kind === 'rule') detection(doc.detection, doc.logsource);
    else if (doc.kind === 'filter') detection(doc.filter.detection, doc.logsource);
    else {
      const c = doc.correlation;
      for (const ref of c.rules) {
        const target = byRef.get(ref);
        const table = target !== undefined && target.kind !== 'correlation' ? fieldTableFor(target.logsource, tables) : undefined;
        for (const g of c.groupBy) add(c.aliases[g]?.[ref] ?? g, table);
        for (const f of c.condition?.field ?? []) add(f, table);
      }
    }
  }
  return { all, raw, fields: [...fields].sort() };
}

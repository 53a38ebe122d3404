/**
 * Runs a compiled rule set over a case's events in time order and turns the engine's matches into
 * findings: rule, level, authors, time span, hosts, entities (IP, subnet, user) and event ids.
 */
import { BLOCK_CAPACITY, blockEvent, columnValue, eventId, rawText, type Column, type EventBlock } from '../model/block';
import type { EventFields, FieldValue, LoupeEvent, RuleEvent } from '../model/event';
import { compareFindings, type Finding } from '../model/finding';
import { fieldTableFor, mappedFieldNames, subnetOf, type CompiledRuleSet, type Evaluation, type Match, type MatchListener, type SigmaDocument } from '../rules';

/**
 * Keeps the host of every event pushed, compactly: a block's one host as a code, or, once a block
 * mixes hosts (a syslog collector's file, generated cases), a code per event of that block. A map
 * entry per event of a mixed block cost detection a sixth of its time and grew with the case.
 * An event pushed without a host reads as its block's first host, as before.
 */
export class HostIndex {
  private readonly names: string[] = [];
  private readonly codes = new Map<string, number>();
  /** Per block: the code of its only host so far, or codes + 1 per event (0: the block's first host). */
  private readonly blocks = new Map<number, number | Uint16Array>();
  /** A mixed block's first host, for its events pushed before it mixed or without a host. */
  private readonly first = new Map<number, number>();
  private lastBlock = -1;
  private lastEntry: number | Uint16Array = 0;

  add(id: number, host: string | undefined): void {
    if (host === undefined) return;
    let code = this.codes.get(host);
    if (code === undefined) {
      code = this.names.length;
      this.names.push(host);
      this.codes.set(host, code);
    }
    const block = Math.floor(id / BLOCK_CAPACITY);
    let entry = this.lastEntry;
    if (block !== this.lastBlock) {
      entry = this.blocks.get(block) ?? code;
      if (entry === code) this.blocks.set(block, code);
      this.lastBlock = block;
      this.lastEntry = entry;
    }
    if (typeof entry !== 'number') {
      if (code < 0xffff) entry[id % BLOCK_CAPACITY] = code + 1;
    } else if (entry !== code && code < 0xffff) {
      // The block mixes hosts from here on (past 65,535 hosts one keeps its first host).
      const perEvent = new Uint16Array(BLOCK_CAPACITY);
      perEvent[id % BLOCK_CAPACITY] = code + 1;
      this.first.set(block, entry);
      this.blocks.set(block, perEvent);
      this.lastEntry = perEvent;
    }
  }

  hostOf(id: number): string | undefined {
    const block = Math.floor(id / BLOCK_CAPACITY);
    const entry = this.blocks.get(block);
    if (entry === undefined) return undefined;
    if (typeof entry === 'number') return this.names[entry];
    const code = entry[id % BLOCK_CAPACITY]!;
    return this.names[code === 0 ? this.first.get(block)! : code - 1];
  }
}

/**
 * Decodes events of one block as decodeEventFields does (same fields, same order, same values),
 * for detection only: the columns are looked up once per block, and a list column's entries are
 * parsed once and shared between events (the engine never changes an event, nor keeps one).
 */
export class BlockReader {
  private readonly names: string[] = [];
  private readonly columns: Column[] = [];
  /** Per list column, its entries as parsed so far (null for other kinds). */
  private readonly lists: ((string[] | undefined)[] | null)[] = [];
  private index = 0;
  private rawLine: string | undefined;
  private readonly raw = (): string => (this.rawLine ??= rawText(this.block, this.index));

  constructor(private readonly block: EventBlock, fields: readonly string[] | null) {
    for (const name of fields ?? Object.keys(block.columns)) {
      const column = block.columns[name];
      if (column === undefined) continue;
      this.names.push(name);
      this.columns.push(column);
      this.lists.push(column.t === 'list' ? new Array<string[] | undefined>(column.dict.length) : null);
    }
  }

  event(index: number, withRaw: boolean): LoupeEvent {
    const block = this.block;
    this.index = index;
    this.rawLine = undefined;
    const out: EventFields = {};
    for (let f = 0; f < this.columns.length; f++) {
      const column = this.columns[f]!;
      let value: FieldValue | undefined;
      if (column.t === 'list') {
        const code = column.codes[index]!;
        if (code === 0) continue;
        const parsed = this.lists[f]!;
        value = parsed[code - 1] ??= JSON.parse(column.dict[code - 1]!) as string[];
      } else {
        value = columnValue(column, index, this.raw);
      }
      if (value !== undefined) out[this.names[f]!] = value;
    }
    return blockEvent(block, index, withRaw ? this.raw() : '', out);
  }
}

/** What pushFrom keeps per block: its pre-selection and its reader. */
interface BlockState {
  readonly selected: Uint8Array | null;
  readonly reader: BlockReader;
}

export class DetectionRun {
  private readonly evaluation: Evaluation;
  private readonly hosts = new HostIndex();
  private readonly documents = new Map<string, SigmaDocument>();
  private pushed = 0;
  private lastTime = -Infinity;
  private outOfOrder = 0;
  /** pushFrom's state of the block last read from, and of the others seen (blocks come and go in caches). */
  private lastBlock: EventBlock | undefined;
  private last: BlockState | undefined;
  private states = new WeakMap<EventBlock, BlockState>();
  private decodedFields: readonly string[] | null = null;
  private decodedSet: ReadonlySet<string> | null = null;

  constructor(private readonly ruleSet: CompiledRuleSet, onMatch?: MatchListener) {
    this.evaluation = ruleSet.start(onMatch);
    for (const info of ruleSet.rules) this.documents.set(info.key, info.document);
  }

  /**
   * Events should come in time order; the count of those that did not is reported. True when a
   * rule's detection matched the event: events that match none change no finding, so a caller
   * may push only those again when just the correlations changed (the rule lab does).
   */
  push(event: RuleEvent): boolean {
    this.pushed++;
    if (event.timestamp < this.lastTime) this.outOfOrder++;
    else this.lastTime = event.timestamp;
    const host = event.fields['host.name'];
    this.hosts.add(event.id, typeof host === 'string' ? host : undefined);
    return this.evaluation.push(event);
  }

  /**
   * Event `index` of a stored block, decoded with these fields (as decodeEventFields does) and pushed when
   * a rule can match it (CompiledRuleSet.candidates); the others are only counted, their time and
   * host kept as push keeps them, so the findings and every count are those of pushing them all.
   */
  pushFrom(block: EventBlock, index: number, fields: readonly string[] | null, withRaw: boolean): boolean {
    if (fields !== this.decodedFields) {
      this.decodedFields = fields;
      this.decodedSet = fields === null ? null : new Set(fields);
      // A selection and a reader hold for the fields they were made with.
      this.states = new WeakMap();
      this.lastBlock = undefined;
    }
    let state = this.last;
    if (block !== this.lastBlock || state === undefined) {
      state = this.states.get(block);
      if (state === undefined) {
        state = { selected: this.ruleSet.candidates(block, this.decodedSet), reader: new BlockReader(block, fields) };
        this.states.set(block, state);
      }
      this.lastBlock = block;
      this.last = state;
    }
    const selected = state.selected;
    if (selected === null || selected[index] === 1) return this.push(state.reader.event(index, withRaw));
    const hosts = block.columns['host.name'];
    const host = hosts !== undefined && (this.decodedSet === null || this.decodedSet.has('host.name'))
      ? columnValue(hosts, index, () => rawText(block, index))
      : undefined;
    this.passOver(eventId(block.blockId, index), block.timestamps[index]!, typeof host === 'string' ? host : undefined);
    return false;
  }

  /**
   * An event that no detection can match (CompiledRuleSet.candidates said 0), in its place in the
   * time order: counted, its time and host kept as push keeps them, without decoding it.
   */
  passOver(id: number, timestamp: number, host: string | undefined): void {
    this.pushed++;
    if (timestamp < this.lastTime) this.outOfOrder++;
    else this.lastTime = timestamp;
    this.hosts.add(id, host);
  }

  /**
   * pushFrom for events order[from..to) (event ids, e.g. timeOrder's), each read from its block;
   * ids whose block is missing (removed since the order was made) or shorter are passed over.
   * Consecutive ids mostly share a block: it is looked up once per run of them.
   */
  pushEvents(order: ArrayLike<number>, from: number, to: number, blockOf: (blockId: number) => EventBlock | undefined, fields: readonly string[] | null, withRaw: boolean): void {
    let blockId = -1;
    let block: EventBlock | undefined;
    for (let i = from; i < to; i++) {
      const id = order[i]!;
      const b = Math.floor(id / BLOCK_CAPACITY);
      if (b !== blockId) {
        blockId = b;
        block = blockOf(b);
      }
      const index = id - b * BLOCK_CAPACITY;
      if (block !== undefined && index < block.count) this.pushFrom(block, index, fields, withRaw);
    }
  }

  get events(): number {
    return this.pushed;
  }

  get eventsOutOfOrder(): number {
    return this.outOfOrder;
  }

  finish(): Finding[] {
    return this.evaluation.finish().map((m) => this.toFinding(m)).sort(compareFindings);
  }

  private toFinding(m: Match): Finding {
    const hosts = new Set<string>();
    for (const id of m.eventIds) {
      const h = this.hosts.hostOf(id);
      if (h !== undefined) hosts.add(h);
    }
    const doc = this.documents.get(m.ruleId);
    const entities = m.kind === 'correlation' ? this.ecsEntities(doc, m.entities) : { ...m.entities };
    const hostEntity = entities['host.name'];
    if (hostEntity !== undefined) {
      hosts.add(hostEntity);
      delete entities['host.name'];
    }
    const ip = entities['source.ip'];
    if (ip !== undefined && entities['source.subnet'] === undefined) {
      const subnet = subnetOf(ip);
      if (subnet !== undefined) entities['source.subnet'] = subnet;
    }
    const description = doc?.description?.replace(/\s+/g, ' ').trim();
    return {
      ruleId: m.ruleId,
      title: m.title,
      level: m.level ?? 'informational',
      kind: m.kind,
      authors: m.authors,
      ...(description !== undefined ? { description } : {}),
      first: m.first,
      last: m.last,
      count: m.count,
      ...(m.value !== undefined ? { value: m.value } : {}),
      hosts: [...hosts].sort(),
      entities,
      eventIds: [...m.eventIds].sort((a, b) => a - b),
    };
  }

  /** Group-by names as the rule wrote them (src_ip, c-ip) shown as the ECS fields they read. */
  private ecsEntities(doc: SigmaDocument | undefined, groups: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = {};
    const base = doc?.kind === 'correlation' ? this.baseRule(doc.correlation.rules) : undefined;
    const table = base?.kind === 'rule' ? fieldTableFor(base.logsource) : undefined;
    for (const [name, value] of Object.entries(groups)) out[mappedFieldNames(name, table)[0] ?? name] = value;
    return out;
  }

  private baseRule(refs: readonly string[]): SigmaDocument | undefined {
    for (const ref of refs) {
      for (const d of this.documents.values()) if (d.id === ref || d.name === ref) return d;
    }
    return undefined;
  }
}

/** Runs the rules over events (sorted here when they are not in time order). */
export function detect(ruleSet: CompiledRuleSet, events: readonly LoupeEvent[]): Finding[] {
  let ordered = events;
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.timestamp < events[i - 1]!.timestamp) {
      ordered = [...events].sort((a, b) => a.timestamp - b.timestamp || a.id - b.id);
      break;
    }
  }
  const run = new DetectionRun(ruleSet);
  for (const e of ordered) run.push(e);
  return run.finish();
}

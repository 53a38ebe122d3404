/**
 * Runs a compiled rule set over a case's events in time order and turns the engine's matches into
 * findings: rule, level, authors, time span, hosts, entities (IP, subnet, user) and event ids.
 */
import { BLOCK_CAPACITY } from '../model/block';
import type { LoupeEvent } from '../model/event';
import { compareFindings, type Finding } from '../model/finding';
import { fieldTableFor, mappedFieldNames, subnetOf, type CompiledRuleSet, type Evaluation, type Match, type MatchListener, type SigmaDocument } from '../rules';

/** Keeps the host of every event pushed, compactly: one per block unless a block mixes hosts. */
class HostIndex {
  private readonly byBlock = new Map<number, string>();
  private readonly exceptions = new Map<number, string>();

  add(id: number, host: string | undefined): void {
    if (host === undefined) return;
    const block = Math.floor(id / BLOCK_CAPACITY);
    const first = this.byBlock.get(block);
    if (first === undefined) this.byBlock.set(block, host);
    else if (first !== host) this.exceptions.set(id, host);
  }

  hostOf(id: number): string | undefined {
    return this.exceptions.get(id) ?? this.byBlock.get(Math.floor(id / BLOCK_CAPACITY));
  }
}

export class DetectionRun {
  private readonly evaluation: Evaluation;
  private readonly hosts = new HostIndex();
  private readonly documents = new Map<string, SigmaDocument>();
  private pushed = 0;
  private lastTime = -Infinity;
  private outOfOrder = 0;

  constructor(private readonly ruleSet: CompiledRuleSet, onMatch?: MatchListener) {
    this.evaluation = ruleSet.start(onMatch);
    for (const info of ruleSet.rules) this.documents.set(info.key, info.document);
  }

  /** Events should come in time order; the count of those that did not is reported. */
  push(event: LoupeEvent): void {
    this.pushed++;
    if (event.timestamp < this.lastTime) this.outOfOrder++;
    else this.lastTime = event.timestamp;
    const host = event.fields['host.name'];
    this.hosts.add(event.id, typeof host === 'string' ? host : undefined);
    this.evaluation.push(event);
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

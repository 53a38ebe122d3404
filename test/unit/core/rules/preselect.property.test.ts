/**
 * The column pre-selection (preselect.ts) against pushing every event: random events from small
 * value pools (so dictionaries repeat), encoded into blocks, run through the built-in pack and
 * hand-written rules covering every modifier; the findings, counts and the events each push
 * matched must be the same with and without it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DetectionRun, loadPack, timeOrder, type Finding } from '../../../../src/core/detect';
import { BlockReader } from '../../../../src/core/detect/runner';
import { BLOCK_CAPACITY, decodeEventFields, encodeBlock, splitEventId, type EventBlock, type PendingEvent } from '../../../../src/core/model/block';
import type { EventFields, FieldValue } from '../../../../src/core/model/event';
import { compileRules, fieldsRead, loadRules, type CompiledRuleSet } from '../../../../src/core/rules';
import { HashedDuplicateIndex, ingestEvidence } from '../../../../src/core/index';
import { buildDemoFiles } from '../../../../src/node/demo/demo-files';
import { readBuiltinPack } from '../../../../src/node/rules/pack';

/** A small seeded generator (mulberry32): one fast-check integer drives a whole case. */
function random(seed: number): { int(n: number): number; pick<T>(xs: readonly T[]): T; chance(p: number): boolean } {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (n) => Math.floor(next() * n),
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
    chance: (p) => next() < p,
  };
}

const DATASETS = ['system.auth', 'syslog', 'ufw', 'iptables', 'apache.access', 'nginx.access', 'maas.regiond', 'maas.audit', 'apache.error', 'router.firewall', 'auditd', 'other'];
/** Pools per field; a field is left out of an event at random. Mixed kinds on purpose (a block then stores strings). */
const POOLS: Readonly<Record<string, readonly FieldValue[]>> = {
  'process.name': ['sshd', 'sshd-session', 'dropbear', 'sudo', 'cron', 'SSHD', 'vsftpd', ''],
  'event.category': [['authentication'], ['network'], [], ['authentication', 'session'], ['web']],
  'event.outcome': ['failure', 'success', 'Failure', 'unknown'],
  'event.action': ['ssh-login-failed', 'ssh-invalid-user', 'ssh-refused-connect', 'pam-auth-failure', 'block', 'BLOCK', 'allow', 'deny', 'limit-block', 'maas-ui-login', 'create', 'denied'],
  'event.reason': ['no active connection', 'NO ACTIVE CONNECTION here', 'ok', ''],
  'source.ip': ['10.0.0.5', '10.0.0.6', '192.168.1.20', '203.0.113.7', 'fe80::1', '2001:db8::5', '1.2.3', '', 'not an ip'],
  'source.address': ['host.example', '10.0.0.5', 'evil.example'],
  'destination.ip': ['10.1.1.1', '8.8.8.8', '192.168.1.1', 'fe80::2'],
  'destination.port': [22, 23, 80, 443, 4444, 31337, 3389, '22', 6667, 1.5],
  'source.port': [1024, 40000, 65535, -1],
  'network.direction': ['outbound', 'inbound', 'OUTBOUND'],
  'network.transport': ['tcp', 'udp', 'icmp'],
  'netfilter.tcp_flags': [['SYN'], ['FIN', 'ACK'], ['ACK', 'FIN', 'PSH'], ['RST'], []],
  'http.request.method': ['GET', 'POST', 'get', 'HEAD'],
  'http.response.status_code': [200, 404, 401, 403, 500, '404', 302],
  'user.name': ['root', 'admin', 'Admin', 'oracle', 'bob', ''],
  'user.target.name': ['root', 'postgres'],
  'auditd.data.syscall': ['execve', 'connect'],
  'flag.bool': [true, false],
  'num.float': [0.5, 2.25, -3, 1e21, 7],
  'host.name': ['web-1', 'db-1', 'maas-1'],
  'source.subnet': ['10.0.0.0/24'],
  'f': ['abc', 'ABC', 'a*b', 'x-y', 'x/y', 'dGVzdA==', 'c2VjcmV0', 'secret', '%65', 'T00:00'],
  'g': ['abc', 'secret', 'B', 'zzz'],
};
/** Long, rarely repeating values: stored as text columns, or as references into the raw line. */
const URL_PARTS = ['/index.php', '/wp-login.php', '/admin', '/api/2.0/account/?op=create_authorisation_token', '/shell.php?cmd=id', '/search?q=1%27%20union%20select', '/../../etc/passwd', '/static/app.js'];

function randomFields(r: ReturnType<typeof random>, dataset: string | undefined, mixedHosts: boolean): EventFields {
  const fields: EventFields = {};
  if (dataset !== undefined) fields['event.dataset'] = dataset;
  for (const [name, pool] of Object.entries(POOLS)) {
    if (name === 'host.name' && !mixedHosts) continue;
    if (r.chance(0.55)) fields[name] = r.pick(pool);
  }
  if (r.chance(0.6)) {
    // Mostly unique (a text or raw-reference column), sometimes a repeated value.
    const path = `${r.pick(URL_PARTS)}${r.chance(0.95) ? `&id=${r.int(100000)}-${r.int(100000)}-padding-for-length` : ''}`;
    fields['url.original'] = path;
    fields['url.path'] = path.split('?')[0]!;
    const query = path.split('?')[1];
    if (query !== undefined) fields['url.query'] = query;
  }
  if (r.chance(0.3)) fields['message'] = `session ${r.int(1e6)} opened for user ${String(fields['user.name'] ?? 'nobody')} by (uid=${r.int(1000)}) and a long tail`;
  return fields;
}

/** Blocks of random events: some of one dataset (a file), some mixed; raw lines hold most values (ref columns) or not (text). */
function randomBlocks(seed: number): EventBlock[] {
  const r = random(seed);
  const blocks: EventBlock[] = [];
  const blockCount = 1 + r.int(4);
  for (let b = 0; b < blockCount; b++) {
    const size = r.chance(0.3) ? 1 + r.int(20) : 200 + r.int(400);
    const fileDataset = r.chance(0.6) ? r.pick(DATASETS) : undefined;
    const mixedHosts = r.chance(0.5);
    const rawHoldsFields = r.chance(0.7);
    // Some blocks are bursts (a second or two apart), so correlation windows fill and fire.
    const step = r.chance(0.4) ? 2_000 : 30_000;
    const events: PendingEvent[] = [];
    let t = Date.UTC(2026, 2, 12) + r.int(3600_000);
    for (let i = 0; i < size; i++) {
      const dataset = r.chance(0.05) ? undefined : fileDataset ?? (r.chance(0.1) ? undefined : r.pick(DATASETS));
      const fields = randomFields(r, dataset, mixedHosts);
      const tail = r.pick(['', ' Failed password for root', ' union select', ' ../.. ', ' secret']);
      const raw = rawHoldsFields ? `${Object.entries(fields).map(([k, v]) => `${k}=${String(v)}`).join(' ')}${tail}` : `line ${i}${tail}`;
      // Mostly forward in time, sometimes back (out-of-order counts must stay the same).
      t += r.chance(0.1) ? -r.int(2 * step) : r.int(step);
      events.push({ timestamp: t, line: i + 1, lineCount: 1, offset: i * 100, raw, fields });
    }
    blocks.push(encodeBlock(b, 1 + r.int(2), events));
  }
  return blocks;
}

/** Every modifier kind, not/or/1 of/all of, keywords, meta-filters, table mappings, guards, correlations. */
const HAND_RULES = `title: Strings and lists
name: strings
logsource: {product: linux, service: auth}
detection:
  sel: {process.name: [sshd, dropbear], event.category: authentication}
  outcome: {event.outcome|cased: failure}
  wild: {user.name: ['adm*', 'r??t']}
  condition: sel and (outcome or wild)
---
title: Contains, starts, ends, all, neq
logsource: {}
detection:
  a: {event.reason|contains: active}
  b: {event.action|startswith: ssh-, user.name|endswith: [min, ot]}
  c: {netfilter.tcp_flags|contains|all: [FIN, ACK]}
  d: {event.action|neq: block}
  e: {process.name|neq: [sshd, cron]}
  condition: (a and not d) or (b and e) or c
---
title: Encodings
logsource: {}
detection:
  a: {f|base64: test}
  b: {f|base64offset|contains: secret}
  c: {f|wide|contains: ab}
  d: {f|utf16be: ab}
  e: {f|utf16: ab}
  g: {f|windash|contains: x-y}
  condition: 1 of them
---
title: Regular expressions
logsource: {}
detection:
  a: {f|re: '^[a-c]+$'}
  b: {f|re|i: '^ABC$'}
  c: {g|re|s|m: '^s.c'}
  d: {url.path|re|i: 'php$'}
  condition: a or (b and not c) or d
---
title: Numbers, comparisons, booleans, nulls
logsource: {}
detection:
  port: {destination.port: [22, 4444]}
  cmp: {source.port|gte: 40000, destination.port|lt: 100}
  status: {http.response.status_code: 404}
  flag: {flag.bool: true}
  float: {num.float|gt: 1}
  none: {user.name: null}
  empty: {event.category: []}
  blank: {user.name: ''}
  noport: {source.port: null}
  notssh: {destination.port|neq: 22}
  condition: port or cmp or status or (flag and float) or (none and not empty) or blank
---
title: Numbers when absent
logsource: {product: linux}
detection:
  noport: {source.port: null}
  notssh: {destination.port|neq: 22}
  low: {num.float|lt: 1}
  sel: {process.name: sudo}
  condition: sel and (noport or notssh) and not low
---
title: Networks, exists, fieldref, time parts, keywords
logsource: {}
detection:
  net: {source.ip|cidr: [10.0.0.0/8, 'fe80::/10']}
  has: {source.address|exists: true}
  lacks: {user.name|exists: false}
  ref: {f|fieldref: g}
  hour: {'@timestamp|hour': 3}
  minute: {f|minute: 0}
  kw: ['union select', '*../..*']
  original: {event.original|contains: Failed}
  subnet: {source.subnet: 10.0.0.0/24}
  condition: (net and has) or (lacks and ref) or hour or minute or kw or original or subnet
---
title: Negated keywords
logsource: {product: linux}
detection:
  sel: {event.outcome: failure}
  kw: ['Failed password']
  condition: sel and not kw
---
title: Negated fieldref
logsource: {product: linux}
detection:
  sel: {event.action|startswith: ssh}
  ref: {f|fieldref: g}
  condition: sel and not ref
---
title: Text
logsource: {product: linux}
detection:
  msg: {message|contains: 'user root'}
  url: {url.original|contains: union}
  condition: msg or url
---
title: Negated text
logsource: {product: linux}
detection:
  sel: {user.name: root}
  url: {url.path|contains: php}
  msg: {message|contains: root}
  condition: sel and not (url and msg)
---
title: Firewall by the taxonomy
name: denied
logsource: {category: firewall}
detection:
  sel: {action: denied, dst_port|expand: '%ports%'}
  src: {src_ip|cidr: 10.0.0.0/8}
  condition: sel and not src
---
title: Web by the taxonomy
name: web
logsource: {category: webserver}
detection:
  sel: {c-ip|startswith: '10.', sc-status: [404, 403]}
  uri: {cs-uri-query|contains: [union, passwd]}
  method: {cs-method: POST}
  condition: sel or uri or method
---
title: sshd only (a dataset guard)
name: sshd
logsource: {product: linux, service: sshd}
detection: {sel: {event.outcome: failure}, condition: sel}
---
title: auditd prefixes
logsource: {product: linux, service: auditd}
detection: {sel: {syscall: execve}, condition: sel}
---
title: Quiet scanner
logsource: {product: linux, service: sshd}
filter:
  rules: [sshd]
  scanner: {source.ip: 10.0.0.5}
  condition: scanner
---
title: Failures per address
correlation: {type: event_count, rules: [sshd], group-by: [source.ip], timespan: 10m, condition: {gte: 3}}
---
title: Ports per address
correlation: {type: value_count, rules: [denied], group-by: [src_ip], timespan: 5m, condition: {field: dst_port, gte: 2}}
---
title: Denied then web
correlation: {type: temporal, rules: [denied, web], group-by: [source.ip], timespan: 5m}
`;

/** Only column-decidable tests: here the pre-selection is exact, not a superset. */
const EXACT_RULES = `title: Exact
logsource: {product: linux}
detection:
  sel: {process.name: [sshd, dropbear], event.category: authentication}
  peer: {source.ip|exists: true}
  port: {destination.port|gte: 1000}
  filter: {event.action: pam-auth-failure}
  condition: (sel and peer and not filter) or (port and not sel)
`;

const packFiles = readBuiltinPack();
const pack = loadPack(packFiles.rules, packFiles.data);
const placeholders = { ...pack.placeholders, ports: ['22', '4444', '31337'] };
const hand = loadRules(HAND_RULES, { placeholders }).documents;
/** Rule sets, with the share of random events the pre-selection must leave out at least. */
const RULE_SETS: Readonly<Record<string, { readonly ruleSet: CompiledRuleSet; readonly skips: number }>> = {
  pack: { ruleSet: compileRules(pack.documents, { placeholders: pack.placeholders, throwOnError: true }), skips: 0.2 },
  // A rule of every event with keywords: nothing can be left out.
  hand: { ruleSet: compileRules(hand, { placeholders, throwOnError: true }), skips: 0 },
  'hand (raw-only keywords)': { ruleSet: compileRules(hand, { placeholders, throwOnError: true, keywordScope: 'raw' }), skips: 0 },
  // Without it: the undecided tests of the other rules decide (for the events those rules read).
  'hand without the rule of every event': { ruleSet: compileRules(hand.filter((d) => !d.title.startsWith('Networks')), { placeholders, throwOnError: true }), skips: 0.05 },
  exact: { ruleSet: compileRules(loadRules(EXACT_RULES).documents, { throwOnError: true }), skips: 0.2 },
};

interface Outcome {
  readonly findings: Finding[];
  readonly events: number;
  readonly outOfOrder: number;
  /** Ids of the events whose push matched a detection. */
  readonly matched: number[];
}

function runOver(ruleSet: CompiledRuleSet, blocks: readonly EventBlock[], order: Iterable<number>, fields: readonly string[] | null, withRaw: boolean, preselect: boolean): Outcome {
  const byId = new Map(blocks.map((b) => [b.blockId, b]));
  const run = new DetectionRun(ruleSet);
  const matched: number[] = [];
  for (const id of order) {
    const [blockId, index] = splitEventId(id);
    const block = byId.get(blockId)!;
    const hit = preselect ? run.pushFrom(block, index, fields, withRaw) : run.push(decodeEventFields(block, index, fields, withRaw));
    if (hit) matched.push(id);
  }
  return { findings: run.finish(), events: run.events, outOfOrder: run.eventsOutOfOrder, matched };
}

/** Events in file order, block after block (the time order interleaves blocks instead). */
function fileOrder(blocks: readonly EventBlock[]): number[] {
  return blocks.flatMap((b) => Array.from({ length: b.count }, (_, i) => b.blockId * BLOCK_CAPACITY + i));
}

describe('column pre-selection', () => {
  const skipped: Record<string, number> = {};
  const total: Record<string, number> = {};
  const matched: Record<string, number> = {};
  const correlated: Record<string, number> = {};

  it('draws blocks with every kind of column', () => {
    const kinds = new Set<string>();
    for (let seed = 0; seed < 20; seed++) for (const b of randomBlocks(seed)) for (const c of Object.values(b.columns)) kinds.add(c.t);
    expect([...kinds].sort()).toEqual(['bool', 'int', 'list', 'num', 'ref', 'str', 'text']);
  });

  for (const [name, { ruleSet, skips }] of Object.entries(RULE_SETS)) {
    it(`gives the findings, counts and matched events of pushing every event: ${name}`, () => {
      const needs = fieldsRead(ruleSet.rules.map((r) => r.document));
      fc.assert(
        fc.property(fc.integer(), fc.boolean(), (seed, allFields) => {
          const blocks = randomBlocks(seed);
          const fields = allFields || needs.all ? null : needs.fields;
          for (const order of [Array.from(timeOrder(blocks)), fileOrder(blocks)]) {
            const plain = runOver(ruleSet, blocks, order, fields, needs.raw, false);
            const selected = runOver(ruleSet, blocks, order, fields, needs.raw, true);
            expect(selected).toEqual(plain);
            // pushEvents: the callers' loop (matches are not returned there).
            const run = new DetectionRun(ruleSet);
            run.pushEvents(order, 0, order.length, (id) => blocks.find((b) => b.blockId === id), fields, needs.raw);
            expect({ findings: run.finish(), events: run.events, outOfOrder: run.eventsOutOfOrder }).toEqual({ findings: plain.findings, events: plain.events, outOfOrder: plain.outOfOrder });
            matched[name] = (matched[name] ?? 0) + plain.matched.length;
            correlated[name] = (correlated[name] ?? 0) + plain.findings.filter((f) => f.kind === 'correlation').length;
          }
          for (const block of blocks) {
            const s = ruleSet.candidates(block, fields === null ? null : new Set(fields));
            total[name] = (total[name] ?? 0) + block.count;
            skipped[name] = (skipped[name] ?? 0) + (s === null ? 0 : s.length - s.reduce((n, x) => n + x, 0));
          }
        }),
        { numRuns: 40 },
      );
      // Not a pass-through: many random events match none of these rules.
      // And not vacuous: events matched, correlations fired.
      expect(matched[name]!).toBeGreaterThan(0);
      // (The pack's thresholds are for attacks, not random events: its correlations fire on the demo bundle below.)
      if (name !== 'pack' && ruleSet.rules.some((r) => r.kind === 'correlation')) expect(correlated[name]!).toBeGreaterThan(0);
      if (skips > 0) expect(skipped[name]!).toBeGreaterThan(total[name]! * skips);
      else expect(skipped[name]).toBe(0);
    });
  }

  it('gives the matched events of pushing every event for each hand-written rule alone (no other rule hides a miss)', () => {
    const filters = hand.filter((d) => d.kind === 'filter');
    const alone = hand.filter((d) => d.kind === 'rule').map((d) => compileRules([d, ...filters], { placeholders, throwOnError: true }));
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const blocks = randomBlocks(seed);
        const order = Array.from(timeOrder(blocks));
        for (const ruleSet of alone) {
          const needs = fieldsRead(ruleSet.rules.map((r) => r.document));
          const fields = needs.all ? null : needs.fields;
          expect(runOver(ruleSet, blocks, order, fields, needs.raw, true).matched).toEqual(runOver(ruleSet, blocks, order, fields, needs.raw, false).matched);
        }
      }),
      { numRuns: 25 },
    );
  });

  it("reads events as decodeEventFields does (the runner's reader for pushed events)", () => {
    const { ruleSet } = RULE_SETS['pack']!;
    const needs = fieldsRead(ruleSet.rules.map((r) => r.document));
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        for (const block of randomBlocks(seed)) {
          for (const fields of [null, needs.fields, ['url.original', 'event.category', 'nope', 'message']]) {
            const reader = new BlockReader(block, fields);
            for (let i = 0; i < block.count; i += 7) {
              for (const withRaw of [true, false]) expect(reader.event(i, withRaw)).toStrictEqual(decodeEventFields(block, i, fields, withRaw));
            }
          }
        }
      }),
      { numRuns: 20 },
    );
  });

  it('is exact when every test is decided by the columns', () => {
    const ruleSet = RULE_SETS['exact']!.ruleSet;
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        for (const block of randomBlocks(seed)) {
          const selection = ruleSet.candidates(block, null);
          const run = ruleSet.start();
          const hits = Array.from({ length: block.count }, (_, i) => (run.push(decodeEventFields(block, i, null, true)) ? 1 : 0));
          // null: every event can match.
          expect(selection === null ? hits.map(() => 1) : Array.from(selection)).toEqual(hits);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('gives the same findings on the demo bundle (real log lines, the built-in pack) and leaves events out', async () => {
    const blocks: EventBlock[] = [];
    const duplicates = new HashedDuplicateIndex();
    for (const [i, f] of buildDemoFiles().entries()) {
      if (!f.relativePath.includes('/var/log/') && !f.relativePath.includes('/var/snap/')) continue;
      async function* chunks(): AsyncGenerator<Uint8Array> {
        yield new TextEncoder().encode(f.content);
      }
      await ingestEvidence(chunks(), { fileId: i + 1, path: f.relativePath.split('/').slice(1).join('/'), host: 'maas-region-01', referenceTime: f.mtime, duplicates }, { nextBlockId: () => blocks.length, writeBlock: (b) => { blocks.push(b); } });
    }
    const { ruleSet } = RULE_SETS['pack']!;
    const needs = fieldsRead(ruleSet.rules.map((r) => r.document));
    const order = Array.from(timeOrder(blocks));
    for (const fields of [needs.all ? null : needs.fields, null]) {
      const plain = runOver(ruleSet, blocks, order, fields, needs.raw, false);
      expect(plain.findings.length).toBeGreaterThan(10);
      expect(plain.findings.filter((f) => f.kind === 'correlation').length).toBeGreaterThan(5);
      expect(runOver(ruleSet, blocks, order, fields, needs.raw, true)).toEqual(plain);
    }
    const left = blocks.reduce((n, b) => n + Array.from(ruleSet.candidates(b, null) ?? []).filter((x) => x === 0).length, 0);
    // An attack day: most lines match; of the others (syslog noise, MAAS logs, UFW allows) a third of all are left out.
    expect(left).toBeGreaterThan(order.length / 4);
  });
});

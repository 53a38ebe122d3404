/**
 * Runs on the app's own origin (scripts/bench.mjs --only=investigate copies it beside the built
 * renderer), so what it stores is the case the app opens next.
 *   ?mode=seed&events=1000000&seed=42   writes a case of generated events into the app's database
 *   ?mode=peer&kind=filter|pivot&ip=…   the peer: the same query answered row at a time (every
 *                                        event of every block decoded to an object, then tested)
 * The outcome is left on window.__benchResults, then window.__benchDone is set.
 */
import { BLOCK_CAPACITY, decodeEvent, encodeBlock, type PendingEvent } from '../../src/core/model/block';
import type { LoupeEvent } from '../../src/core/model/event';
import { addEvidence, createCase, database, loadBlockSummaries, loadBlocks, writeBlocks } from '../../src/store';
import { EventGenerator } from '../generate';

const BLOCKS_PER_TRANSACTION = 8;

async function seed(events: number, seedValue: number): Promise<{ events: number; ms: number; caseId: string }> {
  const t0 = performance.now();
  const db = database();
  const kase = await createCase(db, 'Investigation benchmark');
  const fileId = await addEvidence(db, {
    caseId: kase.id, path: 'bench/var/log/generated.log', bytes: 0, sha256: '0'.repeat(64), format: 'syslog', host: 'many',
    lines: events, parsed: events, continued: 0, unparsed: 0, tsMin: 0, tsMax: 0, datasets: {}, errors: [], status: 'done', addedAt: Date.now(),
  });
  const generator = new EventGenerator(seedValue, events);
  let batch = [];
  let blockId = 0;
  for (let first = 0; first < events; first += BLOCK_CAPACITY) {
    const n = Math.min(BLOCK_CAPACITY, events - first);
    const pending: PendingEvent[] = new Array<PendingEvent>(n);
    for (let k = 0; k < n; k++) pending[k] = generator.event(first + k);
    batch.push(encodeBlock(blockId++, fileId, pending));
    if (batch.length === BLOCKS_PER_TRANSACTION) {
      await writeBlocks(db, kase.id, batch);
      batch = [];
    }
  }
  await writeBlocks(db, kase.id, batch);
  return { events, ms: performance.now() - t0, caseId: kase.id };
}

/** The bench queries, as a row-at-a-time reader tests them. */
const PEER_TESTS: Record<string, (e: LoupeEvent, ip: string) => boolean> = {
  filter: (e) => e.fields['event.dataset'] === 'apache.access' && String(e.fields['http.response.status_code']) === '404',
  pivot: (e, ip) => e.fields['source.ip'] === ip || e.fields['destination.ip'] === ip,
};

async function peer(kind: string, ip: string): Promise<{ kind: string; ms: number; matched: number }> {
  const test = PEER_TESTS[kind];
  if (test === undefined) throw new Error(`unknown peer query ${kind}`);
  const db = database();
  const kase = await db.cases.orderBy('createdAt').last();
  if (kase === undefined) throw new Error('no case stored');
  const t0 = performance.now();
  const ids = (await loadBlockSummaries(db, kase.id)).map((s) => s.blockId);
  let matched = 0;
  for (let i = 0; i < ids.length; i += 16) {
    for (const block of await loadBlocks(db, kase.id, ids.slice(i, i + 16))) {
      if (block === undefined) continue;
      for (let k = 0; k < block.count; k++) if (test(decodeEvent(block, k), ip)) matched++;
    }
  }
  return { kind, ms: performance.now() - t0, matched };
}

const params = new URLSearchParams(location.search);
const run = params.get('mode') === 'seed'
  ? seed(Number(params.get('events')), Number(params.get('seed')))
  : peer(params.get('kind') ?? '', params.get('ip') ?? '');
run
  .catch((error: unknown) => ({ kind: 'error', message: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) }))
  .then((outcome) => {
    // The same handshake as bench/browser/store.bench.page.ts (whose global types declare these).
    const page = window as unknown as Record<string, unknown>;
    page['__benchResults'] = outcome;
    page['__benchDone'] = true;
  });

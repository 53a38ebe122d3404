import { describe, expect, it } from 'vitest';
import { HashedDuplicateIndex } from '../../../src/core/ingest/duplicates';
import { ingestEvidence, type EvidenceIngestOptions } from '../../../src/core/ingest/evidence-ingest';
import { decodeEvent, type EventBlock, type PendingEvent } from '../../../src/core/model/block';

const ufw = (second: number, port: number) => `Mar 12 10:00:${String(second).padStart(2, '0')} region kernel: [UFW BLOCK] IN=eth0 OUT= MAC= SRC=203.0.113.9 DST=10.0.0.2 LEN=40 TOS=0x00 PREC=0x00 TTL=50 ID=1 PROTO=TCP SPT=5000 DPT=${port} WINDOW=1024 RES=0x00 SYN URGP=0 `;
const kern = Array.from({ length: 8 }, (_, i) => ufw(i, 20 + i)).join('\n') + '\n';
// syslog repeats lines 2..5 of kern.log and adds its own.
const syslog = [ufw(2, 22), 'Mar 12 10:00:03 region sshd[7]: Connection closed by 192.0.2.1 port 22', ufw(3, 23), ufw(4, 24), ufw(5, 25), ufw(9, 99)].join('\n') + '\n';

async function* chunksOf(text: string): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += 97) yield bytes.subarray(i, i + 97);
}

const options = (fileId: number, path: string, duplicates: HashedDuplicateIndex): EvidenceIngestOptions => ({ fileId, path, referenceTime: Date.UTC(2026, 2, 13), blockSize: 3, duplicates });

describe('ingestEvidence into an EventSink', () => {
  it('gives each event with the id it has in its block, and leaves out the same repeats', async () => {
    // Blocks: both files stored, the second's repeats of the first found.
    const storedIndex = new HashedDuplicateIndex();
    let storedNext = 0;
    const blocks: EventBlock[] = [];
    const stored = [];
    for (const [fileId, path, text] of [[1, 'var/log/kern.log', kern], [2, 'var/log/syslog', syslog]] as const) {
      stored.push(await ingestEvidence(chunksOf(text), options(fileId, path, storedIndex), { nextBlockId: () => storedNext++, writeBlock: (b) => { blocks.push(b); } }));
    }
    const fromBlocks = blocks.flatMap((b) => Array.from({ length: b.count }, (_, i) => decodeEvent(b, i)));

    // Events: the same, straight from the parser.
    const streamIndex = new HashedDuplicateIndex();
    let streamNext = 0;
    const seen: { id: number; fileId: number; event: PendingEvent }[] = [];
    const streamed = [];
    for (const [fileId, path, text] of [[1, 'var/log/kern.log', kern], [2, 'var/log/syslog', syslog]] as const) {
      streamed.push(await ingestEvidence(chunksOf(text), options(fileId, path, streamIndex), { nextBlockId: () => streamNext++, event: (event, id) => { seen.push({ id, fileId, event }); } }));
    }
    expect(streamed).toEqual(stored);
    expect(stored[1]!.duplicates).toBe(4);
    expect(streamNext).toBe(storedNext);
    expect(seen.map((s) => s.id)).toEqual(fromBlocks.map((e) => e.id));
    expect(seen.map((s) => [s.fileId, s.event.line, s.event.raw, s.event.timestamp, s.event.fields])).toEqual(fromBlocks.map((e) => [e.fileId, e.line, e.raw, e.timestamp, e.fields]));
  });
});

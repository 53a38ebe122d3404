/**
 * A generated sos report of a MAAS region controller for the archive benchmark of issue 3: the
 * layout of a real one (one top folder, version.txt, etc/hostname, etc/timezone,
 * sos_commands/date/date, the snap's regiond.log, Apache, kern.log, auth.log and the journal
 * output under sos_commands/logs), filled with the seeded family generators of bench/families.ts
 * to a target size. kern.log and auth.log are rotated (`.1` holds the older half), as logrotate
 * leaves them. Same seed, same bytes.
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { FAMILIES, FAMILY_PATHS, generateFamilyText, type Family, type FamilyTextStats } from '../families';

export const SOS_TOP_DIR = 'sosreport-maas-region-01-2026-03-12-benchxz';
export const SOS_HOST = 'maas-region-01';

export interface SosTreeStats {
  readonly bytes: number;
  readonly lines: number;
  /** Lines that start an event: what a parser should store. */
  readonly events: number;
}

/** Families whose file is split into `<name>.1` (older half) and `<name>` (newer half). */
const ROTATED: ReadonlySet<Family> = new Set(['firewall', 'auth']);

async function writeChunks(path: string, chunks: Iterable<string>): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  for (const chunk of chunks) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** Splits a family's text at the line nearest half its bytes: the rotation point. */
function* half(chunks: Iterable<string>, wantFirst: boolean, splitAt: number): Generator<string> {
  let seen = 0;
  for (const chunk of chunks) {
    const start = seen;
    seen += chunk.length;
    if (seen <= splitAt) {
      if (wantFirst) yield chunk;
      continue;
    }
    if (start >= splitAt) {
      if (!wantFirst) yield chunk;
      continue;
    }
    // The chunk holds the split point: cut after the end of the line that crosses it.
    const newline = chunk.indexOf('\n', splitAt - start);
    const cut = newline < 0 ? chunk.length : newline + 1;
    yield wantFirst ? chunk.slice(0, cut) : chunk.slice(cut);
  }
}

export async function writeSosTree(dir: string, targetBytes: number, seed = 11): Promise<SosTreeStats> {
  const top = join(dir, SOS_TOP_DIR);
  const facts: Record<string, string> = {
    'version.txt': 'sosreport: 4.9.0\n',
    'etc/hostname': `${SOS_HOST}\n`,
    'etc/timezone': 'Etc/UTC\n',
    'sos_commands/date/date': 'Fri 13 Mar 2026 00:05:11 UTC\n',
    'sos_commands/snap/snap_list_--all': 'Name  Version            Rev    Tracking     Publisher   Notes\nmaas  3.4.2-14353-g.5a5221d5d  32469  3.4/stable   canonical** -\n',
  };
  for (const [path, text] of Object.entries(facts)) {
    mkdirSync(dirname(join(top, path)), { recursive: true });
    writeFileSync(join(top, path), text);
  }
  const per = Math.floor(targetBytes / FAMILIES.length);
  let bytes = 0;
  let lines = 0;
  let events = 0;
  for (const [i, family] of FAMILIES.entries()) {
    const stats: FamilyTextStats = { bytes: 0, lines: 0, events: 0 };
    const path = FAMILY_PATHS[family];
    if (ROTATED.has(family)) {
      // Generated twice with the same seed: the first pass writes the older half, the second the newer.
      const split = Math.floor(per / 2);
      const older: FamilyTextStats = { bytes: 0, lines: 0, events: 0 };
      await writeChunks(join(top, `${path}.1`), half(generateFamilyText(family, seed + i, per, older), true, split));
      await writeChunks(join(top, path), half(generateFamilyText(family, seed + i, per, stats), false, split));
    } else {
      await writeChunks(join(top, path), generateFamilyText(family, seed + i, per, stats));
    }
    bytes += stats.bytes;
    lines += stats.lines;
    events += stats.events;
  }
  return { bytes, lines, events };
}

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { bytesToStream, type WalkEntry } from '../../../../src/core/archive';

export const enc = new TextEncoder();

/** A scratch folder under os.tmpdir(); remove() deletes it. */
export function scratch(prefix: string): { dir: string; path: (...p: string[]) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `loupe-${prefix}-`));
  return { dir, path: (...p) => join(dir, ...p), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a command (no shell) in `cwd`; returns stdout. */
export function sh(cwd: string, command: string, ...args: string[]): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function write(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}

/** Deterministic pseudo-random text (seeded LCG, Math.imul so it does not collapse). */
export function lcgText(bytes: number, seed = 7): Uint8Array {
  let s = seed >>> 0;
  const out = new Uint8Array(bytes);
  const alphabet = enc.encode('abcdefghijklmnopqrstuvwxyz0123456789 :=./-\n');
  for (let i = 0; i < bytes; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = alphabet[(s >>> 24) % alphabet.length]!;
  }
  return out;
}

/** Splits bytes into chunks of `size` (a small odd size makes headers and bodies straddle chunks). */
export function chunked(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  return bytesToStream(bytes, size);
}

export async function collect(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const c of stream) {
    parts.push(c.slice());
    total += c.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export type Walked =
  | { kind: 'file'; path: string; size: number; mtime: number; archive: readonly string[]; data?: Uint8Array; error?: string }
  | { kind: 'problem'; path: string; problem: string; archive: readonly string[] };

/** Reads a walk to the end, reading every body (errors of a body are kept on its entry). */
export async function walkAll(walk: AsyncIterable<WalkEntry>): Promise<Walked[]> {
  const out: Walked[] = [];
  for await (const entry of walk) {
    if (entry.kind === 'problem') {
      out.push({ ...entry });
      continue;
    }
    const { body, ...rest } = entry;
    try {
      out.push({ ...rest, data: await collect(body) });
    } catch (error) {
      out.push({ ...rest, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return out;
}

export function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  if (a === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../../src/cli/main';

/** Captures what main() writes; small highWaterMark so NDJSON to stdout exercises 'drain'. */
export function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer | string, _encoding, callback) {
      text += chunk.toString();
      // Async completion, as a pipe would: write() returns false and 'drain' follows.
      setImmediate(callback);
    },
  });
  return { stream, text: () => text };
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function run(...argv: string[]): Promise<RunResult> {
  const stdout = capture();
  const stderr = capture();
  const code = await main(argv, { stdout: stdout.stream, stderr: stderr.stream });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** The `--json` document, parsed; fails the test if stdout is not exactly one JSON document. */
export interface JsonEvidence {
  path: string;
  sha256: string | null;
  bytes: number;
  format: string;
  host: string | null;
  lines: number;
  parsed: number;
  continued: number;
  unparsed: number;
  errors: string[];
}
export interface JsonDocument {
  evidence: JsonEvidence[];
  hosts: string[];
  events: number;
  datasets: Record<string, number>;
  findings: unknown[];
}

export function parseDocument(stdout: string): JsonDocument {
  return JSON.parse(stdout) as JsonDocument;
}

export class TempDir {
  readonly root = mkdtempSync(join(tmpdir(), 'loupe-cli-'));

  /** Writes a file (creating folders), with a fixed mtime so year inference is repeatable. */
  file(relative: string, content: string | Uint8Array, mtime = new Date('2026-03-12T18:00:00Z')): string {
    const path = join(this.root, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    utimesSync(path, mtime, mtime);
    return path;
  }

  path(relative: string): string {
    return join(this.root, relative);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export const UFW_LINE = 'Mar 12 08:00:01 region kernel: [ 12.5] [UFW BLOCK] IN=eth0 OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 SRC=203.0.113.66 DST=10.20.0.2 LEN=44 TOS=0x00 PREC=0x00 TTL=50 ID=1 PROTO=TCP SPT=40000 DPT=22 WINDOW=1024 RES=0x00 SYN URGP=0 ';
export const KERN_TEXT = `${UFW_LINE}\nMar 12 08:00:02 region kernel: [ 13.0] eth0: link up\ngarbage line\n`;
export const ACCESS_TEXT = '203.0.113.66 - - [12/Mar/2026:08:01:02 +0000] "GET /wp-login.php HTTP/1.1" 404 196 "-" "Nikto/2.5.0"\n';

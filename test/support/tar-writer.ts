/**
 * Writes ustar archives byte by byte, for tests that need members a well-behaved `tar` will not
 * write: `../` paths, absolute paths, links pointing outside, damaged bodies.
 */

export interface TarMember {
  readonly path: string;
  readonly data?: Uint8Array | string;
  /** '0' file (default), '2' symlink, '1' hard link, '5' directory. */
  readonly type?: '0' | '1' | '2' | '5';
  readonly linkpath?: string;
  /** Seconds since the epoch. */
  readonly mtime?: number;
}

const encoder = new TextEncoder();

function putString(header: Uint8Array, at: number, length: number, text: string): void {
  const bytes = encoder.encode(text);
  if (bytes.length > length) throw new Error(`tar field too long: ${text}`);
  header.set(bytes, at);
}

function putOctal(header: Uint8Array, at: number, length: number, value: number): void {
  putString(header, at, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

export function tarBytes(members: readonly TarMember[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const m of members) {
    const data = typeof m.data === 'string' ? encoder.encode(m.data) : (m.data ?? new Uint8Array(0));
    const type = m.type ?? '0';
    const size = type === '0' ? data.length : 0;
    const header = new Uint8Array(512);
    putString(header, 0, 100, m.path);
    putOctal(header, 100, 8, type === '5' ? 0o755 : 0o644);
    putOctal(header, 108, 8, 0);
    putOctal(header, 116, 8, 0);
    putOctal(header, 124, 12, size);
    putOctal(header, 136, 12, m.mtime ?? 1_773_338_700);
    header.fill(0x20, 148, 156);
    header[156] = type.charCodeAt(0);
    if (m.linkpath !== undefined) putString(header, 157, 100, m.linkpath);
    putString(header, 257, 6, 'ustar\0');
    putString(header, 263, 2, '00');
    let sum = 0;
    for (const byte of header) sum += byte;
    putString(header, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
    parts.push(header);
    if (size > 0) {
      const padded = new Uint8Array(Math.ceil(size / 512) * 512);
      padded.set(data);
      parts.push(padded);
    }
  }
  parts.push(new Uint8Array(1024));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Errors of the archive readers. Each names what went wrong in words an analyst can act on. */

/** Base of every error raised by src/core/archive: the archive (or one entry) could not be read. */
export class ArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveError';
  }
}

/** A tar stream that is truncated or whose header is damaged (bad checksum, bad number field). */
export class TarError extends ArchiveError {
  constructor(message: string) {
    super(message);
    this.name = 'TarError';
  }
}

/** A zip file or one zip entry that cannot be read (encrypted, unsupported method, bad CRC, damaged). */
export class ZipError extends ArchiveError {
  constructor(message: string) {
    super(message);
    this.name = 'ZipError';
  }
}

/** Compressed data that is damaged, truncated or in a format no decoder is available for. */
export class DecompressionError extends ArchiveError {
  constructor(message: string) {
    super(message);
    this.name = 'DecompressionError';
  }
}

/** Decompressed output passed its allowed size: a decompression bomb, stopped. */
export class DecompressionBombError extends ArchiveError {
  readonly limit: number;
  constructor(limit: number, what = 'decompressed data') {
    super(`${what} passed ${limit} bytes: looks like a decompression bomb; stopped`);
    this.name = 'DecompressionBombError';
    this.limit = limit;
  }
}

/** A walk limit (entries, total bytes, member size) was reached. */
export class ArchiveLimitError extends ArchiveError {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveLimitError';
  }
}

/** The message of any thrown value, for problem reports. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export { ByteReader, peekHead, collectBytes, concatBytes, bytesToStream, type Peeked } from './bytes';
export { crc32 } from './crc32';
export {
  bombLimit,
  decompress,
  detectCompression,
  limitOutput,
  DEFAULT_BOMB_FLOOR,
  DEFAULT_BOMB_RATIO,
  SNIFF_BYTES,
  type BombGuard,
  type ByteStream,
  type Compression,
  type Decompressors,
} from './decompress';
export {
  ArchiveError,
  ArchiveLimitError,
  DecompressionBombError,
  DecompressionError,
  TarError,
  ZipError,
  errorMessage,
} from './errors';
export { safeEntryPath, type SafePathOptions, type SafePathResult } from './paths';
export { readTar, tarChecksumOk, decodeName, type TarEntry, type TarEntryType, type TarOptions } from './tar';
export { bytesRandomAccess, listZipEntries, readZipEntry, type RandomAccess, type ZipEntry } from './zip';
export {
  walkArchive,
  DEFAULT_WALK_LIMITS,
  type ArchiveSource,
  type WalkEntry,
  type WalkFile,
  type WalkOptions,
  type WalkProblem,
} from './walk';
export { openEvidenceStream, type EvidenceStream, type EvidenceStreamEnd, type EvidenceStreamOptions, type Hasher } from './evidence-stream';

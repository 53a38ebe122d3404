export {
  collectEvidence, SYMLINK_NOT_FOLLOWED,
  type CollectedEvidence, type EvidenceEntry, type EvidenceFile, type EvidenceSkipped, type MissingInput,
} from './collect';
export {
  readEvidence, sniffArchive, isGzip, describeError, formatBytes,
  DEFAULT_MAX_OUTPUT, DEFAULT_MAX_RATIO, DEFAULT_MIN_OUTPUT_CAP,
  type Compression, type EvidenceReadResult, type EvidenceStream, type ReadEvidenceOptions,
} from './read';

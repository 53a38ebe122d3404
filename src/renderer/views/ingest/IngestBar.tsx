import type { IngestProgress } from '../../../workers/contract';
import { formatBytes, formatCount } from '../../app/format';

interface IngestBarProps {
  readonly progress: IngestProgress;
  readonly cancelling: boolean;
  readonly onCancel: () => void;
}

/** Bytes done of total, events per second, and a Cancel that stops the worker cleanly. */
export function IngestBar({ progress, cancelling, onCancel }: IngestBarProps) {
  const fraction = progress.bytesTotal > 0 ? progress.bytesDone / progress.bytesTotal : 0;
  return (
    <div className="ingest-bar" role="status" aria-live="polite" data-testid="ingest-bar">
      <progress max={1} value={fraction} aria-label="Ingest progress" />
      <span className="ingest-text">
        {formatBytes(progress.bytesDone)} of {formatBytes(progress.bytesTotal)} · file {Math.min(progress.filesDone + 1, progress.filesTotal)} of {progress.filesTotal} ·{' '}
        {formatCount(progress.events)} events · {formatCount(progress.eventsPerSecond)} events/s
      </span>
      <span className="ingest-path" title={progress.currentPath}>{progress.currentPath}</span>
      <button type="button" onClick={onCancel} disabled={cancelling} data-testid="ingest-cancel">
        {cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
    </div>
  );
}

import { splitBundlePath } from '../../../core/bundle/layout';
import type { BundleFacts } from '../../../core/bundle/recognize';
import type { EvidenceRecord } from '../../../store';
import { BundleList } from './BundleList';
import { formatBytes, formatCount, visibleText } from '../../app/format';

interface EvidenceListProps {
  readonly evidence: readonly EvidenceRecord[];
  readonly bundles: readonly BundleFacts[];
}

/** The ingest report: every evidence file with its format, line accounting and problems. */
export function EvidenceList({ evidence, bundles }: EvidenceListProps) {
  const logs = evidence.filter((e) => e.format !== 'metadata');
  const metadata = evidence.length - logs.length;
  return (
    <nav className="evidence" aria-label="Evidence">
      <h2>Evidence <span className="muted">{evidence.length} files</span></h2>
      <BundleList bundles={bundles} />
      {evidence.length === 0 && <p className="muted">Drop log files, a folder or a sos report here, or use Open.</p>}
      <ul data-testid="evidence-list">
        {logs.map((e) => (
          <li key={e.id} className={`evidence-item status-${e.status}`} data-testid="evidence-item" title={`${e.path}\nSHA-256 ${e.sha256}`}>
            <div className="evidence-path">{visibleText(splitBundlePath(e.path).inner)}</div>
            <div className="evidence-meta">
              <span className="badge">{e.format}</span>
              <span>{formatBytes(e.bytes)}</span>
              <span>{formatCount(e.lines)} lines</span>
              {e.unparsed > 0 && <span className="warn">{formatCount(e.unparsed)} unparsed</span>}
              {(e.duplicates ?? 0) > 0 && <span title="Lines already stored from another file (kern.log and syslog carry the same kernel lines); kept once.">{formatCount(e.duplicates ?? 0)} duplicates</span>}
              {e.status !== 'done' && <span className={`status ${e.status}`}>{e.status}</span>}
            </div>
            {e.errors.map((error) => (
              <div key={error} className="evidence-error">{visibleText(error)}</div>
            ))}
          </li>
        ))}
      </ul>
      {metadata > 0 && <p className="muted">{metadata} sos metadata files recorded (hashed, not parsed as logs).</p>}
    </nav>
  );
}

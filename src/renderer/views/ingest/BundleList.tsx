import type { BundleFacts } from '../../../core/bundle/recognize';
import { formatUtc, visibleText } from '../../app/format';

interface BundleListProps {
  readonly bundles: readonly BundleFacts[];
}

const INSTALL: Readonly<Record<BundleFacts['maasInstall'], string>> = { snap: 'MAAS snap', deb: 'MAAS deb', unknown: 'no MAAS install seen' };

/** What each dropped bundle is, and which log families it lacks. */
export function BundleList({ bundles }: BundleListProps) {
  if (bundles.length === 0) return null;
  return (
    <div className="bundles" data-testid="bundle-list">
      {bundles.map((b) => (
        <section key={b.root} className="bundle" data-testid="bundle">
          <div className="bundle-title">{visibleText(b.host ?? (b.root === '' ? 'Loose files' : b.root))}</div>
          <div className="bundle-meta">
            {b.kind === 'sos' ? `sos report ${b.sosVersion ?? '(version unknown)'}` : b.kind === 'folder' ? 'folder' : 'loose files'} · {INSTALL[b.maasInstall]}
            {b.maasVersion !== undefined && ` ${b.maasVersion}`}
            {b.collectedAt !== undefined && <> · collected {formatUtc(b.collectedAt).slice(0, 16)} UTC</>}
            {b.timeZone !== undefined && <> · zone {visibleText(b.timeZone)}</>}
          </div>
          {b.missing.map((m) => (
            <div key={m.family} className="bundle-gap" data-testid="bundle-gap">{m.message}</div>
          ))}
        </section>
      ))}
    </div>
  );
}

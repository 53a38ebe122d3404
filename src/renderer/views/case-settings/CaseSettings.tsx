import { useEffect, useRef, useState } from 'react';
import type { BundleFacts } from '../../../core/bundle/recognize';
import { visibleText } from '../../app/format';

interface CaseSettingsProps {
  readonly bundles: readonly BundleFacts[];
  /** Hosts of the timeline (loose files may name hosts no bundle does). */
  readonly hosts: readonly string[];
  readonly overrides: Readonly<Record<string, string>>;
  /** Sets (zone) or removes (undefined) a host's zone; resolves to a line for the analyst. */
  readonly onSetZone: (host: string, zone: string | undefined) => Promise<string>;
  readonly onClose: () => void;
}

/** Zones the runtime knows, for the input's suggestions. */
function knownZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? ['UTC'];
}

/**
 * Case settings: the zone of each host. A bundle's zone is inferred (etc/timezone, timedatectl);
 * the analyst may know better. Changing it re-times that host's events whose zone was inferred.
 */
export function CaseSettings({ bundles, hosts, overrides, onSetZone, onClose }: CaseSettingsProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string>();
  const [busy, setBusy] = useState(false);
  const zones = knownZones();
  const inferred = new Map(bundles.flatMap((b) => (b.host !== undefined ? [[b.host, b.timeZone] as const] : [])));
  const allHosts = [...new Set([...inferred.keys(), ...hosts, ...Object.keys(overrides)])].sort();

  useEffect(() => {
    const d = dialog.current;
    if (d !== null && !d.open) d.showModal();
  }, []);

  const apply = async (host: string, zone: string | undefined) => {
    setBusy(true);
    try {
      setStatus(await onSetZone(host, zone));
      setDrafts((d) => ({ ...d, [host]: '' }));
    } catch (error) {
      setStatus(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} className="case-settings" data-testid="case-settings" onClose={onClose} aria-labelledby="case-settings-title">
      <h2 id="case-settings-title">Case settings</h2>
      <p className="muted">Time zone of each host, for stamps that do not carry one (syslog, short journal, pre-3.5 regiond). Events are stored in UTC; a changed zone re-times that host&apos;s inferred stamps.</p>
      <datalist id="zone-names">{zones.map((z) => <option key={z} value={z} />)}</datalist>
      <table className="zone-table">
        <thead><tr><th>Host</th><th>Inferred</th><th>Override</th><th /></tr></thead>
        <tbody>
          {allHosts.map((host) => (
            <tr key={host} data-testid="zone-row" data-host={host}>
              <td>{visibleText(host)}</td>
              <td>{inferred.get(host) ?? 'UTC (none found)'}</td>
              <td>
                <input
                  list="zone-names"
                  aria-label={`Zone of ${host}`}
                  data-testid="zone-input"
                  placeholder={overrides[host] ?? 'e.g. Europe/Berlin'}
                  value={drafts[host] ?? ''}
                  onChange={(e) => setDrafts((d) => ({ ...d, [host]: e.target.value }))}
                />
                {overrides[host] !== undefined && <span className="badge" data-testid="zone-override">{overrides[host]}</span>}
              </td>
              <td>
                <button type="button" disabled={busy || (drafts[host] ?? '').trim() === ''} onClick={() => void apply(host, (drafts[host] ?? '').trim())} data-testid="zone-apply">Apply</button>
                {overrides[host] !== undefined && <button type="button" disabled={busy} onClick={() => void apply(host, undefined)} data-testid="zone-reset">Use inferred</button>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {allHosts.length === 0 && <p className="muted">No hosts in this case yet.</p>}
      {status !== undefined && <p role="status" data-testid="zone-status">{status}</p>}
      <div className="dialog-actions"><button type="button" onClick={() => dialog.current?.close()} data-testid="case-settings-close">Close</button></div>
    </dialog>
  );
}

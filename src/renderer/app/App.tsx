import { useCallback, useEffect, useRef, useState } from 'react';
import { currentCase, database, listEvidence, listFindings, updateCase, type CaseRecord, type EvidenceRecord, type FindingRecord } from '../../store';
import type { EventDetail, IngestProgress, IngestSource, TimelineInfo, TimelineRow } from '../../workers/contract';
import type { Host } from '../host/host';
import { EventDetailPane } from '../views/event-detail/EventDetailPane';
import { EvidenceList } from '../views/ingest/EvidenceList';
import { IngestBar } from '../views/ingest/IngestBar';
import { RulesView } from '../views/rules/RulesView';
import { FindingsView } from '../views/findings/FindingsView';
import { TimelineView } from '../views/timeline/TimelineView';
import { sourcesFromDrop } from './drop';
import { formatCount, formatUtc } from './format';
import { progressCallback, type Workers } from './workers';

/** While ingest runs, the timeline is re-ordered this often so events show as they arrive. */
const LIVE_REFRESH_MS = 1000;

interface AppProps {
  readonly host: Host;
  readonly workers: Workers;
  /** Load the bundled demo case when the case is empty. */
  readonly loadDemo: boolean;
}

export function App({ host, workers, loadDemo }: AppProps) {
  const [kase, setCase] = useState<CaseRecord>();
  const [evidence, setEvidence] = useState<EvidenceRecord[]>([]);
  const [info, setInfo] = useState<TimelineInfo>();
  const [generation, setGeneration] = useState(0);
  const [progress, setProgress] = useState<IngestProgress>();
  const [cancelling, setCancelling] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [selected, setSelected] = useState<EventDetail>();
  const [message, setMessage] = useState<string>();
  const [view, setView] = useState<'timeline' | 'findings' | 'rules'>('timeline');
  const [revealId, setRevealId] = useState<number>();
  const [findings, setFindings] = useState<FindingRecord[]>([]);
  const [focus, setFocus] = useState<{ position: number; key: number }>();
  const [highlighted, setHighlighted] = useState<ReadonlySet<number>>();
  const busy = useRef(false);
  const refreshRequest = useRef(0);

  const refresh = useCallback(async (caseId: string, incremental = false) => {
    // Live refreshes during ingest may finish after the final one: only the latest request counts.
    const request = ++refreshRequest.current;
    const order = incremental ? workers.query.refresh(caseId) : workers.query.open(caseId);
    const [nextInfo, nextEvidence] = await Promise.all([order, listEvidence(database(), caseId)]);
    if (request !== refreshRequest.current) return;
    const record = await database().cases.get(caseId);
    if (record !== undefined) setCase(record);
    setInfo(nextInfo);
    setEvidence(nextEvidence);
    setGeneration((g) => g + 1);
  }, [workers]);

  const ingest = useCallback(async (caseRecord: CaseRecord, sources: IngestSource[]) => {
    if (sources.length === 0) return;
    if (busy.current) {
      setMessage('An ingest is already running; wait for it or cancel it first.');
      return;
    }
    busy.current = true;
    setMessage(undefined);
    setCancelling(false);
    let lastRefresh = performance.now();
    try {
      const result = await workers.ingest.ingest(caseRecord.id, sources, progressCallback((p) => {
        setProgress(p);
        if (performance.now() - lastRefresh > LIVE_REFRESH_MS) {
          lastRefresh = performance.now();
          void refresh(caseRecord.id, true);
        }
      }));
      await refresh(caseRecord.id);
      // Detection reads the whole case in time order, so it runs once ingest is done.
      if (!result.cancelled) {
        await workers.detect.run(caseRecord.id);
        setFindings(await listFindings(database(), caseRecord.id));
      }
      const failed = result.files.filter((f) => f.status === 'failed').length;
      setMessage(
        `${result.cancelled ? 'Ingest cancelled' : 'Ingest finished'}: ${result.files.length} file(s), ${formatCount(result.events)} events in ${(result.elapsedMs / 1000).toFixed(1)} s` +
          (failed > 0 ? `; ${failed} file(s) could not be read (see Evidence)` : ''),
      );
    } catch (error) {
      setMessage(`Ingest failed: ${error instanceof Error ? error.message : String(error)}`);
      await refresh(caseRecord.id).catch(() => undefined);
    } finally {
      busy.current = false;
      setProgress(undefined);
    }
  }, [workers, refresh]);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const db = database();
      const record = await currentCase(db, loadDemo ? 'Demo case: maas-region-01' : 'Untitled case');
      if (cancelled) return;
      setCase(record);
      await refresh(record.id);
      setFindings(await listFindings(db, record.id));
      if (loadDemo && (await listEvidence(db, record.id)).length === 0) {
        try {
          const sources = await host.demoSources();
          await updateCase(db, record.id, { demo: true });
          await ingest(record, sources);
        } catch (error) {
          setMessage(error instanceof Error ? error.message : String(error));
        }
      }
    })();
    return () => { cancelled = true; };
  }, [host, loadDemo, refresh, ingest]);

  const open = async (kind: 'files' | 'folder') => {
    if (kase === undefined) return;
    await ingest(kase, await host.pickEvidence(kind));
  };

  const select = async (row: TimelineRow) => {
    setSelected(await workers.query.event(row.id));
  };

  /** From another view (a rule's matches): select the event and scroll the timeline to it. */
  const openEvent = async (id: number) => {
    setView('timeline');
    setSelected(await workers.query.event(id));
    setRevealId(id);
  };

  const openFinding = async (finding: FindingRecord) => {
    const first = finding.eventIds[0];
    if (first === undefined) return;
    setView('timeline');
    setHighlighted(new Set(finding.eventIds));
    setFocus({ position: await workers.query.positionOf(first), key: Date.now() });
    setSelected(await workers.query.event(first));
  };

  const onDrop = async (event: React.DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (kase === undefined) return;
    await ingest(kase, await sourcesFromDrop(event.dataTransfer));
  };

  return (
    <div
      className="app"
      onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; setDragging(true); }}
      onDragLeave={(e) => { if (e.currentTarget === e.target) setDragging(false); }}
      onDrop={(e) => void onDrop(e)}
      data-testid="app"
    >
      <header className="topbar">
        <div className="brand" aria-label="Loupe">
          <span className="brand-mark" aria-hidden="true">◎</span> Loupe
        </div>
        <div className="case-name" data-testid="case-name">{kase?.name ?? '…'}</div>
        <div className="case-stats" data-testid="case-stats">
          {info !== undefined && (
            <>
              {formatCount(info.total)} events · {info.hosts.length <= 3 ? info.hosts.join(', ') || 'no host' : `${info.hosts.length} hosts`} · {info.datasets.length} dataset(s)
              {info.total > 0 && <> · {formatUtc(info.tsMin)} → {formatUtc(info.tsMax)} UTC</>}
            </>
          )}
        </div>
        <div className="view-tabs" role="tablist">
          <button type="button" role="tab" aria-selected={view === 'timeline'} onClick={() => setView('timeline')} data-testid="tab-timeline">Timeline</button>
          <button type="button" role="tab" aria-selected={view === 'findings'} onClick={() => setView('findings')} data-testid="tab-findings">Findings ({findings.length})</button>
        </div>
        <div className="actions">
          <button type="button" aria-pressed={view === 'rules'} onClick={() => setView(view === 'rules' ? 'timeline' : 'rules')} data-testid="open-rules">{view === 'rules' ? 'Timeline' : 'Rules'}</button>
          <button type="button" onClick={() => void open('files')} data-testid="open-files">Open files…</button>
          <button type="button" onClick={() => void open('folder')} data-testid="open-folder">Open folder…</button>
        </div>
      </header>
      {progress !== undefined && (
        <IngestBar progress={progress} cancelling={cancelling} onCancel={() => { setCancelling(true); void workers.ingest.cancel(); }} />
      )}
      {message !== undefined && <div className="message" role="status" data-testid="message">{message}</div>}
      {view === 'rules' && (
        <RulesView host={host} caseId={kase?.id} events={info?.total ?? 0} generation={generation} selectedEventIds={selected !== undefined ? [selected.id] : []} onOpenEvent={(id) => void openEvent(id)} />
      )}
      <main className="workspace" hidden={view === 'rules'}>
        <EvidenceList evidence={evidence} bundles={kase?.bundles ?? []} />
        {view === 'findings' ? (
          <FindingsView findings={findings} onOpen={(f) => void openFinding(f)} />
        ) : info !== undefined && info.total > 0 ? (
          <TimelineView query={workers.query} info={info} generation={generation} selectedId={selected?.id} onSelect={(row) => void select(row)} revealId={revealId} focus={focus} {...(highlighted !== undefined ? { highlighted } : {})} />
        ) : (
          <section className="timeline empty-state">
            <div className="drop-hint">
              <p className="drop-title">Drop a MAAS log bundle here</p>
              <p className="muted">Log files (plain or .gz), folders, sos report trees. Nothing leaves this machine.</p>
            </div>
          </section>
        )}
        <EventDetailPane detail={selected} onClose={() => setSelected(undefined)} />
      </main>
      {dragging && <div className="drop-overlay" aria-hidden="true">Drop to add evidence to this case</div>}
    </div>
  );
}

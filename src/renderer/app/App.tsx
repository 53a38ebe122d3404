import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { currentCase, database, listEvidence, listFindings, updateCase, type CaseRecord, type EvidenceRecord, type FindingRecord } from '../../store';
import type { EventDetail, IngestProgress, IngestSource, TimelineInfo, TimelineRow } from '../../workers/contract';
import type { Host } from '../host/host';
import { AnnotationsView } from '../views/annotations/AnnotationsView';
import { CaseSettings } from '../views/case-settings/CaseSettings';
import { EventDetailPane } from '../views/event-detail/EventDetailPane';
import { EvidenceList } from '../views/ingest/EvidenceList';
import { FindingsView } from '../views/findings/FindingsView';
import { ReportView } from '../views/report/ReportView';
import { UsersView } from '../views/users/UsersView';
import { Facets } from '../views/timeline/Facets';
import { IngestBar } from '../views/ingest/IngestBar';
import { InvestigationView } from '../views/timeline/InvestigationView';
import { sourcesFromDrop } from './drop';
import { formatCount, formatUtc } from './format';
import { SettingsBar } from './SettingsBar';
import { loadSettings, storeSettings, type DisplaySettings } from './settings';
import { useInvestigation } from './use-investigation';
import { progressCallback, type Workers } from './workers';

/** The views of the tab bar; each is one folder under src/renderer/views/. */
const VIEWS = [
  ['timeline', 'Timeline'],
  ['findings', 'Findings'],
  ['rules', 'Rules'],
  ['annotations', 'Annotations'],
  ['users', 'Users'],
  ['report', 'Report'],
] as const;
type ViewId = (typeof VIEWS)[number][0];

// The rule editor (CodeMirror) is half of the app's code: loaded when first opened, so the timeline opens sooner.
const RulesView = lazy(() => import('../views/rules/RulesView').then((m) => ({ default: m.RulesView })));

/** While ingest runs, the timeline is re-ordered this often so events show as they arrive. */
const LIVE_REFRESH_MS = 1000;
/**
 * ...but no more often than every LIVE_REFRESH_COST times the last live refresh took: a refresh
 * re-orders the whole case so far (hundreds of ms at millions of events) on the core the ingest
 * shares with xz decoding and the store, so it keeps to about a tenth of that core.
 */
const LIVE_REFRESH_COST = 10;

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
  const [view, setView] = useState<ViewId>('timeline');
  const [findings, setFindings] = useState<FindingRecord[]>([]);
  const [settings, setSettings] = useState<DisplaySettings>(loadSettings);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const busy = useRef(false);
  const refreshRequest = useRef(0);
  const investigation = useInvestigation(workers.query, kase?.id, info, generation, selected, setSelected);
  const changeSettings = (next: DisplaySettings) => {
    storeSettings(next);
    setSettings(next);
  };
  useEffect(() => { storeSettings(settings); }, [settings]);

  const refresh = useCallback(async (caseId: string, incremental = false, opening?: Promise<TimelineInfo | undefined>) => {
    // Live refreshes during ingest may finish after the final one: only the latest request counts.
    const request = ++refreshRequest.current;
    const order = incremental
      ? workers.query.refresh(caseId)
      : opening !== undefined
        ? opening.then((early) => (early?.caseId === caseId ? early : workers.query.open(caseId)))
        : workers.query.open(caseId);
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
    let refreshInterval = LIVE_REFRESH_MS;
    let refreshing = false;
    try {
      const result = await workers.ingest.ingest(caseRecord.id, sources, progressCallback((p) => {
        setProgress(p);
        if (!refreshing && performance.now() - lastRefresh > refreshInterval) {
          const started = performance.now();
          lastRefresh = started;
          refreshing = true;
          void refresh(caseRecord.id, true).finally(() => {
            refreshing = false;
            refreshInterval = Math.max(LIVE_REFRESH_MS, LIVE_REFRESH_COST * (performance.now() - started));
          });
        }
      }));
      await refresh(caseRecord.id);
      // Detection reads the whole case in time order, so it runs once ingest is done.
      if (!result.cancelled) {
        await workers.detect.run(caseRecord.id);
        setFindings(await listFindings(database(), caseRecord.id));
        // The timeline reads findings (bands, severity marks) on a new generation.
        setGeneration((g) => g + 1);
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
      // The worker orders the newest case while this window reads which case that is.
      const opening = workers.query.openLatest();
      const record = await currentCase(db, loadDemo ? 'Demo case: maas-region-01' : 'Untitled case');
      if (cancelled) return;
      setCase(record);
      await refresh(record.id, false, opening);
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
  }, [host, workers, loadDemo, refresh, ingest]);

  const open = async (kind: 'files' | 'folder') => {
    if (kase === undefined) return;
    await ingest(kase, await host.pickEvidence(kind));
  };

  /** From another view (a finding, a rule's matches): show the event selected in the timeline. */
  const openEvent = async (id: number) => {
    setView('timeline');
    await investigation.jumpTo(id);
  };

  const select = async (row: TimelineRow) => {
    setSelected(await workers.query.event(row.id));
  };

  // Keys that work anywhere but in a text box: / filter, s star, t tag.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.ctrlKey || e.metaKey || e.altKey || (target !== null && (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable))) return;
      if (e.key === '/') {
        e.preventDefault();
        setView('timeline');
        investigation.focusFilter();
      } else if (e.key === 's' && selected !== undefined) {
        e.preventDefault();
        investigation.toggleStar(selected.id);
      } else if (e.key === 't' && selected !== undefined) {
        e.preventDefault();
        setView('timeline');
        investigation.focusTag();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selected, investigation]);

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
        <div className="case-stats" data-testid="case-stats" title={info !== undefined && info.total > 0 ? `${formatCount(info.total)} events, ${info.hosts.join(', ')}, ${formatUtc(info.tsMin)} → ${formatUtc(info.tsMax)} UTC` : undefined}>
          {info !== undefined && (
            <>
              {formatCount(info.total)} events · {info.hosts.length <= 3 ? info.hosts.join(', ') || 'no host' : `${info.hosts.length} hosts`} · {info.datasets.length} dataset(s)
              {info.total > 0 && <> · {formatUtc(info.tsMin)} → {formatUtc(info.tsMax)} UTC</>}
            </>
          )}
        </div>
        <SettingsBar settings={settings} evidenceZones={(kase?.bundles ?? []).flatMap((b) => (b.timeZone !== undefined ? [b.timeZone] : []))} onChange={changeSettings} />
        <div className="actions">
          <button type="button" onClick={() => void open('files')} data-testid="open-files">Open files…</button>
          <button type="button" onClick={() => void open('folder')} data-testid="open-folder">Open folder…</button>
          <button type="button" onClick={() => setSettingsOpen(true)} data-testid="open-case-settings">Case settings…</button>
        </div>
      </header>
      {progress !== undefined && (
        <IngestBar progress={progress} cancelling={cancelling} onCancel={() => { setCancelling(true); void workers.ingest.cancel(); }} />
      )}
      {message !== undefined && <div className="message" role="status" data-testid="message">{message}</div>}
      <nav className="tabs" role="tablist" aria-label="Views">
        {VIEWS.map(([id, label]) => (
          <button key={id} type="button" role="tab" aria-selected={view === id} className={`tab${view === id ? ' active' : ''}`} onClick={() => setView(id)} data-testid={id === 'rules' ? 'open-rules' : `tab-${id}`}>
            {label}
            {id === 'findings' && findings.length > 0 && <span className="tab-count">{findings.length}</span>}
            {id === 'annotations' && investigation.annotations.length > 0 && <span className="tab-count">{investigation.annotations.length}</span>}
          </button>
        ))}
      </nav>
      {view === 'rules' && (
        <Suspense fallback={<p className="muted">Loading the rule editor…</p>}>
          <RulesView host={host} caseId={kase?.id} events={info?.total ?? 0} generation={generation} selectedEventIds={selected !== undefined ? [selected.id] : []} onOpenEvent={(id) => void openEvent(id)} onFindingsChanged={() => { if (kase !== undefined) void listFindings(database(), kase.id).then(setFindings); }} />
        </Suspense>
      )}
      {view === 'report' && kase !== undefined && (
        <ReportView kase={kase} findings={findings} annotations={investigation.annotations} report={workers.report} host={host} generation={generation} />
      )}
      <main className="workspace" hidden={view === 'rules' || view === 'report'}>
        <div className="sidebar">
          {view === 'timeline' && info !== undefined && info.total > 0 && <Facets facets={investigation.facets} onPick={investigation.pickFacet} />}
          <EvidenceList evidence={evidence} bundles={kase?.bundles ?? []} />
        </div>
        {view === 'findings' ? (
          <FindingsView
            findings={findings}
            onOpen={(f) => { const first = f.eventIds[0]; if (first !== undefined) void openEvent(first); }}
            caseId={kase?.id}
            annotations={investigation.annotations}
            onAnnotated={() => void investigation.reloadAnnotations()}
          />
        ) : view === 'users' && kase !== undefined ? (
          <UsersView caseId={kase.id} report={workers.report} generation={generation} zone={settings.zone} onOpenEvent={(id) => void openEvent(id)} />
        ) : view === 'annotations' && kase !== undefined ? (
          <AnnotationsView
            caseId={kase.id}
            caseName={kase.name}
            query={workers.query}
            annotations={investigation.annotations}
            findings={findings}
            zone={settings.zone}
            onJump={(id) => void openEvent(id)}
            onImported={(text) => { setMessage(text); void investigation.reloadAnnotations(); }}
          />
        ) : info !== undefined && info.total > 0 ? (
          <InvestigationView investigation={investigation} info={info} settings={settings} selectedId={selected?.id} onSelect={(row) => void select(row)} onStackBy={(stackBy) => changeSettings({ ...settings, stackBy })} />
        ) : (
          <section className="timeline empty-state">
            <div className="drop-hint">
              <p className="drop-title">Drop a MAAS log bundle here</p>
              <p className="muted">Log files (plain or .gz), folders, sos reports and archives (.tar, .tar.gz, .tar.xz, .zip). Nothing leaves this machine.</p>
            </div>
          </section>
        )}
        <EventDetailPane
          detail={selected}
          onClose={() => setSelected(undefined)}
          zone={settings.zone}
          annotation={selected !== undefined ? investigation.annotationOf(selected.id) : undefined}
          onAnnotate={selected !== undefined ? (change) => investigation.annotateEvent(selected.id, change) : undefined}
          tagInputRef={investigation.tagInputRef}
          onPivot={(q, add) => { setView('timeline'); investigation.pivot(q, add); }}
          onAround={(minutes) => { if (selected !== undefined) { setView('timeline'); investigation.around(selected, minutes); } }}
        />
      </main>
      {settingsOpen && kase !== undefined && (
        <CaseSettings
          bundles={kase.bundles ?? []}
          hosts={info?.hosts ?? []}
          overrides={kase.zoneOverrides ?? {}}
          onSetZone={async (host, zone) => {
            const result = await workers.ingest.setHostZone(kase.id, host, zone);
            await refresh(kase.id);
            setSelected(undefined);
            const retimed = `${host}: ${result.zone ?? 'inferred zone'}; ${result.events} event(s) in ${result.files} file(s) re-timed`;
            if (result.events === 0) return retimed;
            // Re-timed events move in and out of correlation windows: the findings are detection's again.
            await workers.detect.run(kase.id);
            const findings = await listFindings(database(), kase.id);
            setFindings(findings);
            setGeneration((g) => g + 1);
            return `${retimed}; findings re-run: ${findings.length}`;
          }}
          onClose={() => setSettingsOpen(false)}
        />
      )}
      {dragging && <div className="drop-overlay" aria-hidden="true">Drop to add evidence to this case</div>}
    </div>
  );
}

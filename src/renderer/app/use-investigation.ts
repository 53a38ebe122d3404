import type { Remote } from 'comlink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { clause } from '../../core/query/ast';
import {
  annotate, database, deleteSavedSearch, listAnnotations, listSavedSearches, saveSearch,
  type AnnotationChange, type AnnotationRecord, type FindingRecord, type SavedSearchRecord,
} from '../../store';
import type { EventDetail, Facet, FilterSpec, QueryApi, TimelineInfo } from '../../workers/contract';
import { FACET_FIELDS } from '../views/timeline/Facets';
import type { FilterError } from '../views/timeline/FilterBar';
import type { Reveal } from '../views/timeline/TimelineView';

const LEVEL_RANK: Record<string, number> = { informational: 0, low: 1, medium: 2, high: 3, critical: 4 };
const FACET_LIMIT = 8;
/** Columns pivots use beyond the facets', read once the case is open so the first pivot is quick. */
const PIVOT_FIELDS = ['destination.ip', 'url.path', 'process.name'];

/** The state of the investigation view: filter, facets, findings, annotations, saved searches, jumps. */
export interface Investigation {
  readonly query: Remote<QueryApi>;
  /** True once the pivot columns are in the worker's cache (the benchmark waits for it). */
  readonly warm: boolean;
  /** True once the timeline drew its first rows: facets, histogram and prefetch wait for it. */
  readonly rowsShown: boolean;
  /** True once the rows of the current view are drawn: facets and bins of a new view wait for it. */
  readonly rowsCurrent: boolean;
  markRowsShown(generation: number): void;
  readonly spec: FilterSpec;
  readonly error: FilterError | undefined;
  readonly matched: number;
  readonly elapsedMs: number | undefined;
  /** Changes whenever the view's rows change. */
  readonly viewGeneration: number;
  /** Changes when the query (not the time range) or the data changed: what the histogram shows. */
  readonly histogramGeneration: number;
  readonly facets: readonly Facet[] | undefined;
  readonly findings: readonly FindingRecord[];
  readonly findingLevels: ReadonlyMap<number, string>;
  readonly annotations: readonly AnnotationRecord[];
  readonly annotationMap: ReadonlyMap<number, AnnotationRecord>;
  readonly saved: readonly SavedSearchRecord[];
  readonly reveal: Reveal | undefined;
  readonly filterInputRef: React.RefObject<HTMLInputElement | null>;
  readonly tagInputRef: React.RefObject<HTMLInputElement | null>;
  applyQuery(query: string): void;
  setRange(from: number, to: number): void;
  clearRange(): void;
  pivot(query: string, add: boolean): void;
  around(detail: EventDetail, minutes: number): void;
  pickFacet(field: string, value: string, negate: boolean): void;
  jumpTo(eventId: number): Promise<void>;
  toggleStar(eventId: number): void;
  annotateEvent(eventId: number, change: AnnotationChange): void;
  annotationOf(eventId: number): AnnotationRecord | undefined;
  focusFilter(): void;
  focusTag(): void;
  saveSearch(name: string, query: string): void;
  deleteSaved(id: number): void;
  reloadAnnotations(): Promise<void>;
}

export function useInvestigation(
  query: Remote<QueryApi>,
  caseId: string | undefined,
  info: TimelineInfo | undefined,
  generation: number,
  selected: EventDetail | undefined,
  setSelected: (detail: EventDetail | undefined) => void,
): Investigation {
  const [spec, setSpec] = useState<FilterSpec>({ query: '' });
  const [error, setError] = useState<FilterError>();
  const [matched, setMatched] = useState(0);
  const [elapsedMs, setElapsedMs] = useState<number>();
  const [filterSeq, setFilterSeq] = useState(0);
  const [querySeq, setQuerySeq] = useState(0);
  const [facets, setFacets] = useState<Facet[]>();
  const [findings, setFindings] = useState<FindingRecord[]>([]);
  const [annotations, setAnnotations] = useState<AnnotationRecord[]>([]);
  const [saved, setSaved] = useState<SavedSearchRecord[]>([]);
  const [reveal, setReveal] = useState<Reveal>();
  const revealSeq = useRef(0);
  const filterInputRef = useRef<HTMLInputElement>(null);
  const tagInputRef = useRef<HTMLInputElement>(null);
  const specRef = useRef(spec);
  specRef.current = spec;
  const selectedRef = useRef(selected);
  selectedRef.current = selected;

  useEffect(() => { if (info !== undefined) setMatched(info.matched); }, [info]);
  // The first rows come first; the scans for facets and bins start after them.
  const [rowsGeneration, setRowsGeneration] = useState<number>();
  const markRowsShown = useCallback((g: number) => setRowsGeneration(g), []);
  const rowsShown = rowsGeneration !== undefined;

  const reloadAnnotations = useCallback(async () => {
    if (caseId === undefined) return;
    setAnnotations(await listAnnotations(database(), caseId));
  }, [caseId]);

  useEffect(() => {
    if (caseId === undefined) return;
    void reloadAnnotations();
    void listSavedSearches(database(), caseId).then(setSaved);
  }, [caseId, reloadAnnotations]);

  // Findings are written by detection; read them again whenever the data changed.
  useEffect(() => {
    if (caseId === undefined) return;
    void database().findings.where('caseId').equals(caseId).toArray().then(setFindings);
  }, [caseId, generation]);

  const viewGeneration = generation + filterSeq;
  const histogramGeneration = generation + querySeq;
  // The rows of a new view come first; its facets and bins are scanned once they are drawn.
  const rowsCurrent = rowsShown && (rowsGeneration === viewGeneration || matched === 0);

  useEffect(() => {
    if (info === undefined || info.total === 0 || !rowsCurrent) return;
    let live = true;
    void query.facets(FACET_FIELDS.map(([f]) => f), FACET_LIMIT).then((f) => { if (live && f !== undefined) setFacets(f); });
    return () => { live = false; };
  }, [query, info, viewGeneration, rowsCurrent]);

  const [warm, setWarm] = useState(false);
  useEffect(() => {
    if (caseId === undefined || info === undefined || info.total === 0 || !rowsShown) return;
    let live = true;
    void query.prefetch(PIVOT_FIELDS).then(() => { if (live) setWarm(true); });
    return () => { live = false; };
  }, [query, caseId, info?.total, rowsShown]);

  const showPosition = useCallback(async (eventId: number | undefined) => {
    const position = eventId !== undefined ? await query.positionOf(eventId) : -1;
    setReveal({ position: Math.max(0, position), seq: ++revealSeq.current });
  }, [query]);

  const run = useCallback(async (next: FilterSpec, keepInView?: number) => {
    const outcome = await query.filter(next, keepInView ?? selectedRef.current?.id);
    if (!outcome.ok) {
      setError({ message: outcome.error, start: outcome.start, end: outcome.end });
      return;
    }
    setError(undefined);
    if (next.query !== specRef.current.query) setQuerySeq((n) => n + 1);
    specRef.current = next;
    setSpec(next);
    setMatched(outcome.matched);
    setElapsedMs(outcome.elapsedMs);
    setFilterSeq((n) => n + 1);
    // In the same render as the new view, so the table never asks for rows at the old place.
    setReveal({ position: Math.max(0, outcome.position), seq: ++revealSeq.current });
  }, [query]);

  const annotationMap = useMemo(() => new Map(annotations.flatMap((a) => (a.eventId !== undefined ? [[a.eventId, a] as const] : []))), [annotations]);
  const findingLevels = useMemo(() => {
    const levels = new Map<number, string>();
    for (const f of findings) {
      for (const id of f.eventIds) {
        const current = levels.get(id);
        if (current === undefined || (LEVEL_RANK[f.level] ?? 0) > (LEVEL_RANK[current] ?? 0)) levels.set(id, f.level);
      }
    }
    return levels;
  }, [findings]);

  const annotateEvent = useCallback((eventId: number, change: AnnotationChange) => {
    if (caseId === undefined) return;
    void annotate(database(), caseId, { eventId }, change).then(reloadAnnotations);
  }, [caseId, reloadAnnotations]);

  const withRange = (q: string): FilterSpec => ({ query: q, ...(specRef.current.from !== undefined ? { from: specRef.current.from } : {}), ...(specRef.current.to !== undefined ? { to: specRef.current.to } : {}) });
  const and = (q: string) => (specRef.current.query.trim() === '' ? q : `(${specRef.current.query}) AND ${q}`);

  return {
    query, warm, rowsShown, rowsCurrent, markRowsShown, spec, error, matched, elapsedMs, viewGeneration, histogramGeneration, facets, findings, findingLevels, annotations, annotationMap, saved, reveal,
    filterInputRef, tagInputRef,
    applyQuery: (q) => void run(withRange(q)),
    setRange: (from, to) => void run({ query: specRef.current.query, from, to }),
    clearRange: () => void run({ query: specRef.current.query }),
    pivot: (q, add) => void run(add ? withRange(and(q)) : { query: q }),
    around: (detail, minutes) => void run({ query: '', from: detail.timestamp - minutes * 60_000, to: detail.timestamp + minutes * 60_000 }, detail.id),
    pickFacet: (field, value, negate) => void run(withRange(and(negate ? `NOT ${clause(field, value)}` : clause(field, value)))),
    jumpTo: async (eventId) => {
      if ((await query.positionOf(eventId)) < 0) await query.filter({ query: '' }).then(() => { specRef.current = { query: '' }; setSpec({ query: '' }); setQuerySeq((n) => n + 1); setFilterSeq((n) => n + 1); });
      setSelected(await query.event(eventId));
      await showPosition(eventId);
    },
    toggleStar: (eventId) => annotateEvent(eventId, { starred: !(annotationMap.get(eventId)?.starred ?? false) }),
    annotateEvent,
    annotationOf: (eventId) => annotationMap.get(eventId),
    focusFilter: () => { filterInputRef.current?.focus(); filterInputRef.current?.select(); },
    focusTag: () => tagInputRef.current?.focus(),
    saveSearch: (name, q) => {
      if (caseId === undefined) return;
      void saveSearch(database(), caseId, name, q).then(() => listSavedSearches(database(), caseId)).then(setSaved);
    },
    deleteSaved: (id) => {
      if (caseId === undefined) return;
      void deleteSavedSearch(database(), id).then(() => listSavedSearches(database(), caseId)).then(setSaved);
    },
    reloadAnnotations,
  };
}

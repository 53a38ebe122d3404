import type { Remote } from 'comlink';
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { AnnotationRecord } from '../../../store';
import type { QueryApi, TimelineRow } from '../../../workers/contract';
import { colourOf, formatInZone, visibleText } from '../../app/format';

const ROW_HEIGHT = 24;
/**
 * Rows per request. A page of a dense view is one block; of a sparse one (a pivot) up to a block
 * per row, and a block's raw lines must be read for its summary: small pages keep the first
 * screen of a pivot to a few dozen block reads.
 */
const PAGE_SIZE = 60;
/**
 * Rows drawn beyond the viewport on each side. Every drawn row costs layout and paint in each
 * frame that changes it (a fast scroll replaces all of them every frame), so only a few: enough
 * to cover one frame of native scrolling before the rows follow.
 */
const OVERSCAN = 4;
/**
 * Pages asked for ahead of the visible ones in the direction of scrolling, and behind them. A fast
 * scroll moves about a page per frame; a page takes a few frames to come back from the worker.
 */
const READ_AHEAD = 8;
const READ_BEHIND = 2;
/**
 * Chromium caps an element's height near 33.5M px (about 1.4M rows of 24 px; tech-measurements.md
 * section 5). Past this height the scrollbar is scaled: its range maps onto all rows, and rows
 * are placed relative to the viewport, so 5M events scroll like 50k.
 */
const MAX_SCROLL_HEIGHT = 8_000_000;

/** Extra columns an analyst can show, beside time, host, dataset and summary. */
export const OPTIONAL_COLUMNS: readonly (readonly [field: string, label: string, width: string])[] = [
  ['source.ip', 'Source IP', '128px'],
  ['destination.ip', 'Dest IP', '120px'],
  ['destination.port', 'Port', '60px'],
  ['event.action', 'Action', '110px'],
  ['user.name', 'User', '100px'],
  ['http.response.status_code', 'Status', '60px'],
  ['url.path', 'URL path', '200px'],
  ['process.name', 'Process', '110px'],
  ['log.level', 'Level', '70px'],
];

export type ColourBy = 'dataset' | 'host' | 'none';

/** Scroll position to show: `seq` changes for each request, so asking for the same position twice works. */
export interface Reveal {
  readonly position: number;
  readonly seq: number;
}

interface TimelineViewProps {
  readonly query: Remote<QueryApi>;
  readonly total: number;
  /** Changes whenever the view was rebuilt (order, filter), so cached pages are dropped. */
  readonly generation: number;
  readonly selectedId: number | undefined;
  readonly onSelect: (row: TimelineRow) => void;
  readonly columns: readonly string[];
  readonly colourBy: ColourBy;
  readonly zone: string;
  readonly annotations: ReadonlyMap<number, AnnotationRecord>;
  /** Highest finding level per event id, for severity marks. */
  readonly findingLevels: ReadonlyMap<number, string>;
  readonly reveal: Reveal | undefined;
  /**
   * Called when the first visible row of a generation is drawn (the view then starts its slower
   * work: facets, histogram), with that generation.
   */
  readonly onRowsShown?: (generation: number) => void;
}

/** Rows are placed relative to a base that moves every ROWS_PER_BASE rows, so a row keeps its props while scrolling. */
const ROWS_PER_BASE = 1000;

/**
 * Every event of the view in time order, virtualized by hand: only the visible rows exist in the
 * DOM and only their pages are fetched from the query worker; the scrollbar scales past the
 * browser's height cap.
 */
export function TimelineView({ query, total, generation, selectedId, onSelect, columns, colourBy, zone, annotations, findingLevels, reveal, onRowsShown }: TimelineViewProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const pages = useRef(new Map<number, TimelineRow[]>());
  const loading = useRef(new Set<number>());
  const [loadedPages, setLoadedPages] = useState(0);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);

  const contentHeight = total * ROW_HEIGHT;
  const scrollHeight = Math.min(contentHeight, MAX_SCROLL_HEIGHT);
  const maxScroll = Math.max(0, scrollHeight - viewport);
  const maxVirtual = Math.max(0, contentHeight - viewport);
  const scale = maxScroll > 0 ? maxVirtual / maxScroll : 1;
  const virtualTop = Math.min(maxVirtual, scrollTop * scale);
  const first = Math.max(0, Math.floor(virtualTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(total - 1, Math.ceil((virtualTop + viewport) / ROW_HEIGHT) + OVERSCAN);

  const columnsKey = columns.join(',');
  // Pages of an older view are dropped in the render that first shows the new one: an effect
  // would run after paint, and for a frame the new count would stand above the old rows.
  const pagesKey = `${generation}|${columnsKey}`;
  const pagesFor = useRef(pagesKey);
  if (pagesFor.current !== pagesKey) {
    pagesFor.current = pagesKey;
    pages.current = new Map();
    loading.current = new Set();
  }

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el === null) return;
    const observer = new ResizeObserver(() => setViewport(el.clientHeight));
    observer.observe(el);
    setViewport(el.clientHeight);
    return () => observer.disconnect();
  }, []);

  /**
   * Asks for the pages from..to not yet asked for; consecutive ones in one call, so a read-ahead
   * is one message each way and one render when it arrives.
   */
  const requestPages = useCallback((from: number, to: number) => {
    const requested = generation;
    const into = pages.current;
    const pending = loading.current;
    let page = from;
    while (page <= to) {
      if (into.has(page) || pending.has(page)) {
        page++;
        continue;
      }
      const start = page;
      while (page <= to && !into.has(page) && !pending.has(page)) pending.add(page++);
      const end = page;
      void query.rows(start * PAGE_SIZE, (end - start) * PAGE_SIZE, columns).then((rows) => {
        for (let p = start; p < end; p++) pending.delete(p);
        // A newer view replaced these maps meanwhile: its own requests fill the new ones.
        if (requested !== generation || into !== pages.current) return;
        for (let p = start; p < end; p++) {
          const slice = rows.slice((p - start) * PAGE_SIZE, (p - start + 1) * PAGE_SIZE);
          if (slice.length > 0) into.set(p, slice);
        }
        setLoadedPages((n) => n + 1);
      }, () => {
        // The case changed under the request (ingest, cancel); the next generation asks again.
        for (let p = start; p < end; p++) pending.delete(p);
      });
    }
    // columnsKey stands for the columns (a new array each render).
  }, [query, generation, columnsKey]);

  const lastReveal = useRef<number>(-1);
  // Which way the view last moved, so the read-ahead goes that way.
  const lastFirst = useRef(0);
  const direction = useRef(1);
  if (first !== lastFirst.current) {
    direction.current = first > lastFirst.current ? 1 : -1;
    lastFirst.current = first;
  }

  useEffect(() => {
    if (total === 0) return;
    // A reveal still to apply moves the view first (its effect runs after this one): rows asked
    // for here would be those of the old place.
    if (reveal !== undefined && reveal.seq !== lastReveal.current && reveal.position >= 0 && reveal.position < total) return;
    // The visible pages first. The read-ahead waits for the first screen of a view (asked
    // together they would delay it); once rows are shown it is asked with the visible pages.
    const lastPage = Math.floor((total - 1) / PAGE_SIZE);
    const from = Math.floor(first / PAGE_SIZE);
    const to = Math.min(lastPage, Math.floor(last / PAGE_SIZE));
    requestPages(from, to);
    let visibleLoaded = true;
    for (let page = from; page <= to; page++) if (!pages.current.has(page)) visibleLoaded = false;
    if (!visibleLoaded && pages.current.size === 0) return;
    const ahead = direction.current > 0 ? [to + 1, Math.min(lastPage, to + READ_AHEAD)] : [Math.max(0, from - READ_AHEAD), from - 1];
    const behind = direction.current > 0 ? [Math.max(0, from - READ_BEHIND), from - 1] : [to + 1, Math.min(lastPage, to + READ_BEHIND)];
    requestPages(ahead[0]!, ahead[1]!);
    requestPages(behind[0]!, behind[1]!);
    // Pages far from the view are dropped, so a long scroll does not keep every row it passed.
    if (pages.current.size > 4 * (READ_AHEAD + READ_BEHIND + to - from + 1)) {
      for (const page of pages.current.keys()) if (page < from - 2 * READ_AHEAD || page > to + 2 * READ_AHEAD) pages.current.delete(page);
    }
  }, [first, last, total, requestPages, loadedPages, reveal]);

  /** Scrolls so that the row at `index` is inside the viewport. */
  const scrollToIndex = useCallback((index: number, align: 'auto' | 'center') => {
    const el = scrollRef.current;
    if (el === null) return;
    const top = index * ROW_HEIGHT;
    let target = virtualTop;
    if (align === 'center') target = top - viewport / 2 + ROW_HEIGHT / 2;
    else if (top < virtualTop) target = top;
    else if (top + ROW_HEIGHT > virtualTop + viewport) target = top + ROW_HEIGHT - viewport;
    target = Math.max(0, Math.min(maxVirtual, target));
    el.scrollTop = target / scale;
    setScrollTop(el.scrollTop);
  }, [virtualTop, viewport, maxVirtual, scale]);

  useEffect(() => {
    if (reveal === undefined || reveal.seq === lastReveal.current || reveal.position < 0 || reveal.position >= total) return;
    lastReveal.current = reveal.seq;
    scrollToIndex(reveal.position, 'center');
    // The page effect held back for this reveal: run it again even when the position did not change.
    setLoadedPages((n) => n + 1);
  }, [reveal, total, scrollToIndex]);

  const rowAt = (index: number): TimelineRow | undefined => pages.current.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  const selectRef = useRef(onSelect);
  selectRef.current = onSelect;
  const stableSelect = useCallback((row: TimelineRow) => selectRef.current(row), []);
  const rowsSeenFor = useRef(-1);
  const firstRow = rowAt(Math.min(total - 1, Math.floor(virtualTop / ROW_HEIGHT)));
  useEffect(() => {
    if (firstRow === undefined || rowsSeenFor.current === generation) return;
    rowsSeenFor.current = generation;
    onRowsShown?.(generation);
  }, [firstRow, generation, onRowsShown]);

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key !== 'j' && event.key !== 'k' && event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    let current = first + OVERSCAN - 1;
    if (selectedId !== undefined) {
      for (let i = first; i <= last; i++) if (rowAt(i)?.id === selectedId) current = i;
    }
    const next = Math.max(0, Math.min(total - 1, current + (event.key === 'j' || event.key === 'ArrowDown' ? 1 : -1)));
    scrollToIndex(next, 'auto');
    const row = rowAt(next);
    if (row !== undefined) onSelect(row);
  };

  const optional = columns.map((field) => OPTIONAL_COLUMNS.find(([f]) => f === field) ?? [field, field, '110px'] as const);
  const template = `22px 178px 118px 100px ${optional.map(([, , w]) => w).join(' ')} minmax(0, 1fr)`;
  const items: number[] = [];
  for (let i = first; i <= last; i++) items.push(i);
  const base = Math.floor(first / ROWS_PER_BASE) * ROWS_PER_BASE;

  return (
    <section className="timeline" aria-label="Timeline">
      <div className="timeline-header" role="row" style={{ gridTemplateColumns: template }}>
        <span className="col-mark" role="columnheader" aria-label="Marks" />
        <span className="col-time" role="columnheader">Time ({zone})</span>
        <span className="col-host" role="columnheader">Host</span>
        <span className="col-dataset" role="columnheader">Dataset</span>
        {optional.map(([field, label]) => <span key={field} role="columnheader" className="col-extra">{label}</span>)}
        <span className="col-summary" role="columnheader">Summary</span>
      </div>
      <div
        className="timeline-scroll"
        ref={scrollRef}
        tabIndex={0}
        onKeyDown={onKeyDown}
        // Drawn in the scroll event, so the frame that shows the new position shows its rows
        // (a render in a later task would draw the frame twice, once with the old rows).
        onScroll={(e) => { const top = e.currentTarget.scrollTop; flushSync(() => setScrollTop(top)); }}
        data-testid="timeline-scroll"
        role="grid"
        aria-rowcount={total}
      >
        <div style={{ height: scrollHeight, position: 'relative', overflow: 'hidden' }}>
          <div style={{ position: 'absolute', left: 0, right: 0, top: 0, transform: `translateY(${scrollTop + base * ROW_HEIGHT - virtualTop}px)` }}>
            {items.map((index) => {
              const row = rowAt(index);
              const colourKey = colourBy === 'host' ? row?.host : colourBy === 'dataset' ? row?.dataset : undefined;
              return (
                <Row
                  // Keyed by index: an element stays with its event while the view scrolls (keyed by
                  // place in the window, a row clicked as it scrolled in showed another event).
                  key={index}
                  index={index}
                  offset={(index - base) * ROW_HEIGHT}
                  row={row}
                  selected={row !== undefined && row.id === selectedId}
                  note={row !== undefined ? annotations.get(row.id) : undefined}
                  level={row !== undefined ? findingLevels.get(row.id) : undefined}
                  colour={colourKey !== undefined && colourKey !== '' ? colourOf(colourKey) : undefined}
                  template={template}
                  columnsKey={columnsKey}
                  zone={zone}
                  onSelect={stableSelect}
                />
              );
            })}
          </div>
        </div>
      </div>
    </section>
  );
}

interface RowProps {
  readonly index: number;
  /** Position inside the moving base (stable while scrolling, so the row is not drawn again). */
  readonly offset: number;
  readonly row: TimelineRow | undefined;
  readonly selected: boolean;
  readonly note: AnnotationRecord | undefined;
  readonly level: string | undefined;
  readonly colour: string | undefined;
  readonly template: string;
  /** The extra columns, joined: the row's values follow them. */
  readonly columnsKey: string;
  readonly zone: string;
  readonly onSelect: (row: TimelineRow) => void;
}

const Row = memo(function Row({ index, offset, row, selected, note, level, colour, template, columnsKey, zone, onSelect }: RowProps) {
  const columns = columnsKey === '' ? [] : columnsKey.split(',');
  return (
    <div
      role="row"
      aria-rowindex={index + 1}
      aria-selected={selected}
      data-testid="timeline-row"
      data-event-id={row?.id}
      data-starred={note?.starred === true ? 'true' : undefined}
      data-finding-event={level !== undefined ? 'true' : undefined}
      className={`timeline-row${selected ? ' selected' : ''}${row?.unparsed === true ? ' unparsed' : ''}${index % 2 === 1 ? ' odd' : ''}${level !== undefined ? ` finding-${level}` : ''}`}
      style={{ transform: `translateY(${offset}px)`, height: ROW_HEIGHT, gridTemplateColumns: template, boxShadow: colour !== undefined ? `inset 3px 0 0 ${colour}` : undefined }}
      onClick={() => row !== undefined && row.id >= 0 && onSelect(row)}
    >
      {row === undefined ? (
        <span className="col-loading">…</span>
      ) : (
        <>
          {/* Most rows have no mark: their cell is left out (the time cell is placed in column 2). */}
          {(note !== undefined || level !== undefined) && (
            <span className="col-mark" title={[note?.starred === true ? 'starred' : '', ...(note?.tags ?? []), level !== undefined ? `finding: ${level}` : ''].filter((t) => t !== '').join(', ')}>
              {note?.starred === true ? <span className="mark-star" data-testid="row-star">★</span> : note !== undefined ? <span className="mark-note">●</span> : null}
              {level !== undefined && <span className={`mark-level level-${level}`} aria-label={`finding ${level}`} />}
            </span>
          )}
          <span className="col-time">{formatInZone(row.timestamp, zone)}</span>
          <span className="col-host" title={row.host}>{visibleText(row.host)}</span>
          <span className={`col-dataset dataset dataset-${row.dataset.replace(/[^a-z0-9]/gi, '-')}`}>{row.dataset}</span>
          {columns.map((field, k) => <span key={field} className="col-extra">{visibleText(row.values?.[k] ?? '')}</span>)}
          <span className="col-summary">
            {note !== undefined && note.tags.length > 0 && <span className="row-tags">{note.tags.map((t) => <span key={t} className={`tag-chip small tag-${t.replace(/[^a-z0-9-]/gi, '-')}`}>{visibleText(t)}</span>)}</span>}
            {visibleText(row.summary)}
          </span>
        </>
      )}
    </div>
  );
});

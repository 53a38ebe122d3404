import { useVirtualizer } from '@tanstack/react-virtual';
import type { Remote } from 'comlink';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { QueryApi, TimelineInfo, TimelineRow } from '../../../workers/contract';
import { formatUtc, visibleText } from '../../app/format';

const ROW_HEIGHT = 24;
const PAGE_SIZE = 200;

interface TimelineViewProps {
  readonly query: Remote<QueryApi>;
  readonly info: TimelineInfo;
  /** Changes whenever the order was rebuilt, so cached pages are dropped. */
  readonly generation: number;
  readonly selectedId: number | undefined;
  /** An event to scroll into view (opened from another view). */
  readonly revealId?: number | undefined;
  readonly onSelect: (row: TimelineRow) => void;
  /** Scroll this position into view (a finding's first event); `key` changes on each request. */
  readonly focus?: { readonly position: number; readonly key: number };
  /** Events of the open finding, marked in the list. */
  readonly highlighted?: ReadonlySet<number>;
}

/**
 * Every event of the case in UTC order, virtualized: only the visible rows exist in the DOM and
 * only their pages are fetched from the query worker.
 */
export function TimelineView({ query, info, generation, selectedId, revealId, onSelect, focus, highlighted }: TimelineViewProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const pages = useRef(new Map<number, TimelineRow[]>());
  const loading = useRef(new Set<number>());
  const [, setLoadedPages] = useState(0);

  useEffect(() => {
    pages.current.clear();
    loading.current.clear();
    setLoadedPages((n) => n + 1);
  }, [generation]);

  const virtualizer = useVirtualizer({
    count: info.total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 30,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  const requestPage = useCallback((page: number) => {
    if (pages.current.has(page) || loading.current.has(page)) return;
    loading.current.add(page);
    const requested = generation;
    void query.rows(page * PAGE_SIZE, PAGE_SIZE).then((rows) => {
      loading.current.delete(page);
      if (requested !== generation) return;
      pages.current.set(page, rows);
      setLoadedPages((n) => n + 1);
    }, () => {
      // The case changed under the request (ingest, cancel); the next generation asks again.
      loading.current.delete(page);
    });
  }, [query, generation]);

  useEffect(() => {
    if (info.total === 0) return;
    for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) requestPage(page);
  }, [first, last, info.total, requestPage]);

  useEffect(() => {
    if (revealId === undefined) return;
    let stale = false;
    void query.positionOf(revealId).then((position) => {
      if (!stale && position >= 0) virtualizer.scrollToIndex(position, { align: 'center' });
    });
    return () => { stale = true; };
    // The virtualizer object is stable; only a new event to reveal scrolls.
  }, [revealId, query]);

  useEffect(() => {
    if (focus !== undefined && focus.position >= 0) virtualizer.scrollToIndex(focus.position, { align: 'center' });
  }, [focus, virtualizer]);

  const rowAt = (index: number): TimelineRow | undefined => pages.current.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key !== 'j' && event.key !== 'k' && event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const current = selectedId === undefined ? -1 : items.find((i) => rowAt(i.index)?.id === selectedId)?.index ?? first - 1;
    const next = Math.max(0, Math.min(info.total - 1, current + (event.key === 'j' || event.key === 'ArrowDown' ? 1 : -1)));
    virtualizer.scrollToIndex(next, { align: 'auto' });
    const row = rowAt(next);
    if (row !== undefined) onSelect(row);
  };

  return (
    <section className="timeline" aria-label="Timeline">
      <div className="timeline-header" role="row">
        <span className="col-time" role="columnheader">Time (UTC)</span>
        <span className="col-host" role="columnheader">Host</span>
        <span className="col-dataset" role="columnheader">Dataset</span>
        <span className="col-summary" role="columnheader">Summary</span>
      </div>
      <div className="timeline-scroll" ref={scrollRef} tabIndex={0} onKeyDown={onKeyDown} data-testid="timeline-scroll" role="grid" aria-rowcount={info.total}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = rowAt(item.index);
            const selected = row !== undefined && row.id === selectedId;
            const marked = row !== undefined && highlighted?.has(row.id) === true;
            return (
              <div
                key={item.key}
                role="row"
                aria-rowindex={item.index + 1}
                aria-selected={selected}
                data-testid="timeline-row"
                data-event-id={row?.id}
                data-finding-event={marked ? 'true' : undefined}
                className={`timeline-row${selected ? ' selected' : ''}${marked ? ' finding-event' : ''}${row?.unparsed === true ? ' unparsed' : ''}${item.index % 2 === 1 ? ' odd' : ''}`}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                onClick={() => row !== undefined && row.id >= 0 && onSelect(row)}
              >
                {row === undefined ? (
                  <span className="col-loading">…</span>
                ) : (
                  <>
                    <span className="col-time">{formatUtc(row.timestamp)}</span>
                    <span className="col-host" title={row.host}>{visibleText(row.host)}</span>
                    <span className={`col-dataset dataset dataset-${row.dataset.replace(/[^a-z0-9]/gi, '-')}`}>{row.dataset}</span>
                    <span className="col-summary">{visibleText(row.summary)}</span>
                  </>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}

import type { Remote } from 'comlink';
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { FindingRecord } from '../../../store';
import type { Histogram as HistogramData, QueryApi } from '../../../workers/contract';
import { colourOf, formatCount, visibleText } from '../../app/format';

const HEIGHT = 118;
const MAX_BINS = 160;
const LEVEL_COLOURS: Record<string, string> = {
  critical: 'rgba(240, 60, 60, 0.28)',
  high: 'rgba(240, 113, 107, 0.22)',
  medium: 'rgba(229, 165, 75, 0.22)',
  low: 'rgba(78, 161, 255, 0.16)',
};

interface HistogramProps {
  /** False until the timeline has drawn its first rows (they come first). */
  readonly enabled: boolean;
  readonly query: Remote<QueryApi>;
  /** Changes when the query (or the data) changed: bins are asked for again. */
  readonly generation: number;
  readonly tsMin: number;
  readonly tsMax: number;
  readonly stackBy: string;
  readonly zone: string;
  readonly selection: { readonly from: number; readonly to: number } | undefined;
  readonly findings: readonly FindingRecord[];
  readonly onSelect: (from: number, to: number) => void;
}

/**
 * Event counts over time, stacked by dataset or host (bins come from the query worker). Drag to
 * select a time range (it filters the table), wheel to zoom, double-click to zoom out; findings
 * are drawn as bands behind the bars.
 */
export function Histogram({ enabled, query, generation, tsMin, tsMax, stackBy, zone, selection, findings, onSelect }: HistogramProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const [view, setView] = useState({ from: tsMin, to: tsMax });
  const [data, setData] = useState<HistogramData>();
  // What the draw hooks read: refs, so the plot is not rebuilt for each change.
  const bands = useRef({ findings, selection });
  bands.current = { findings, selection };
  const selectRef = useRef(onSelect);
  selectRef.current = onSelect;
  const viewRef = useRef(view);
  viewRef.current = view;

  useEffect(() => { setView({ from: tsMin, to: tsMax }); }, [tsMin, tsMax]);

  // What the bins shown were asked for: waiting for a view's rows (enabled false, then true) must not ask again.
  const fetched = useRef('');
  useEffect(() => {
    let live = true;
    if (!enabled || !Number.isFinite(view.from) || !Number.isFinite(view.to)) return;
    const key = `${generation}|${view.from}|${view.to}|${stackBy}`;
    if (key === fetched.current) return;
    void query.histogram({ from: view.from, to: view.to, maxBins: MAX_BINS, stackBy, maxSeries: 7 }).then((h) => {
      if (!live || h === undefined) return;
      fetched.current = key;
      setData(h);
    });
    return () => { live = false; };
  }, [enabled, query, generation, view, stackBy]);

  useEffect(() => {
    const el = host.current;
    if (el === null || data === undefined) return;
    const xs = Array.from({ length: data.bins }, (_, i) => data.from + i * data.binMs);
    // Stacked: each series is drawn as the running sum, tallest first so the lower ones show on top.
    const sums: number[][] = [];
    let running = new Array<number>(data.bins).fill(0);
    for (const s of data.series) {
      running = running.map((v, i) => v + s.counts[i]!);
      sums.push(running);
    }
    const order = data.series.map((_, i) => i).reverse();
    const bars = uPlot.paths.bars!({ size: [1, Infinity], gap: 1, align: 1 });
    const css = getComputedStyle(document.documentElement);
    const muted = css.getPropertyValue('--text-muted').trim() || '#888';
    const grid = css.getPropertyValue('--border').trim() || '#333';
    const options: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: HEIGHT,
      ms: 1,
      tzDate: (ts) => uPlot.tzDate(new Date(ts), zone === 'UTC' ? 'Etc/UTC' : zone),
      legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
      scales: { x: { time: true, range: () => [viewRef.current.from, viewRef.current.to + 1] }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.05] } },
      axes: [
        { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, font: '11px sans-serif' },
        { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { show: false }, size: 44, font: '11px sans-serif', values: (_u, vals) => vals.map((v) => (v >= 1000 ? `${(v / 1000).toFixed(v >= 10_000 ? 0 : 1)}k` : String(v))) },
      ],
      series: [{}, ...order.map((i) => ({ label: data.series[i]!.name, fill: colourOf(data.series[i]!.name), stroke: colourOf(data.series[i]!.name), width: 0, paths: bars, points: { show: false } }))],
      hooks: {
        drawClear: [
          (u) => {
            const ctx = u.ctx;
            const { top, height } = u.bbox;
            const { left, width } = u.bbox;
            const band = (from: number, to: number, fill: string, strip = false) => {
              const x0 = Math.max(left, u.valToPos(from, 'x', true));
              const x1 = Math.min(left + width, Math.max(x0 + 2 * devicePixelRatio, u.valToPos(to, 'x', true)));
              ctx.fillStyle = fill;
              // A finding spread over much of the view (slow brute force) would veil the bars: a strip on top instead.
              if (strip && x1 - x0 > width / 4) ctx.fillRect(x0, top, x1 - x0, 5 * devicePixelRatio);
              else ctx.fillRect(x0, top, x1 - x0, height);
            };
            let drawn = 0;
            for (const f of bands.current.findings) {
              if (f.last < viewRef.current.from || f.first > viewRef.current.to) continue;
              band(f.first, f.last, LEVEL_COLOURS[f.level] ?? LEVEL_COLOURS['low']!, true);
              drawn++;
            }
            // What the canvas shows, for tests and assistive reading.
            u.root.dataset['bands'] = String(drawn);
            const sel = bands.current.selection;
            if (sel !== undefined) band(sel.from, sel.to, 'rgba(78, 161, 255, 0.18)');
          },
        ],
        setSelect: [
          (u) => {
            if (u.select.width < 3) return;
            const from = u.posToVal(u.select.left, 'x');
            const to = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            selectRef.current(Math.floor(from), Math.ceil(to));
          },
        ],
      },
    };
    const made = new uPlot(options, [xs, ...order.map((i) => sums[i]!)], el);
    plot.current = made;
    // Wheel zooms around the pointer; double-click shows the whole case again.
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const { from, to } = viewRef.current;
      const at = made.posToVal(e.offsetX, 'x');
      const factor = e.deltaY < 0 ? 0.75 : 1 / 0.75;
      const span = Math.max(1000, (to - from) * factor);
      const left = at - (at - from) * factor;
      const nextFrom = Math.max(tsMin - (tsMax - tsMin), left);
      setView({ from: Math.floor(nextFrom), to: Math.ceil(nextFrom + span) });
    };
    const onDouble = () => setView({ from: tsMin, to: tsMax });
    made.over.addEventListener('wheel', onWheel, { passive: false });
    made.over.addEventListener('dblclick', onDouble);
    const resize = new ResizeObserver(() => made.setSize({ width: Math.max(200, el.clientWidth), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      made.destroy();
      plot.current = undefined;
    };
  }, [data, zone, tsMin, tsMax]);

  // Bands changed without new bins: redraw only.
  useEffect(() => { plot.current?.redraw(false, false); }, [findings, selection]);

  const total = data?.series.reduce((sum, s) => sum + s.counts.reduce((a, n) => a + n, 0), 0) ?? 0;
  return (
    <div className="histogram" data-testid="histogram">
      <div className="histogram-plot" ref={host} data-testid="histogram-plot" />
      <div className="histogram-legend">
        {data?.series.map((s) => (
          <span key={s.name} className="legend-item"><span className="legend-swatch" style={{ background: colourOf(s.name) }} />{visibleText(s.name)}</span>
        ))}
        <span className="muted legend-note" data-testid="histogram-total">
          {formatCount(total)} events · bins of {describeMs(data?.binMs ?? 0)} · drag to select, wheel to zoom, double-click to reset
        </span>
      </div>
    </div>
  );
}

function describeMs(ms: number): string {
  if (ms >= 86_400_000) return `${ms / 86_400_000} d`;
  if (ms >= 3_600_000) return `${ms / 3_600_000} h`;
  if (ms >= 60_000) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

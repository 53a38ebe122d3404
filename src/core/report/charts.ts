import { formatBinWidth, type Histogram } from './histogram';
import type { Severity } from './inputs';
import type { TimelineBand } from './model';

/**
 * The report's charts as SVG text, drawn by our code (pdfmake embeds them as vectors). Only our
 * own strings go in (numbers, times, labels like "F2"); escapeXml guards them anyway.
 */

export const SEVERITY_COLORS: Readonly<Record<Severity, string>> = {
  critical: '#7f1d1d',
  high: '#c2410c',
  medium: '#b7791f',
  low: '#2b6cb0',
  informational: '#4a5568',
};

export const CHART_FONT = 'Roboto';
const INK = '#1a202c';
const MUTED = '#718096';
const GRID = '#e2e8f0';
const BAR = '#2c5282';

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** A tick label: HH:MM, with the date when the chart spans days. */
function tickLabel(ms: number, withDate: boolean, withSeconds: boolean): string {
  const d = new Date(ms);
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}${withSeconds ? `:${pad2(d.getUTCSeconds())}` : ''}`;
  return withDate ? `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${time}` : time;
}

const TICK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400].map((s) => s * 1000);

/** A number rounded up to 1, 2 or 5 times a power of ten: the y axis maximum. */
function niceCeil(n: number): number {
  if (n <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  const f = n / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}

export interface ChartOptions {
  readonly width: number;
  readonly height: number;
  readonly bands?: readonly TimelineBand[];
  readonly barColor?: string;
}

const n1 = (v: number): string => (Math.round(v * 10) / 10).toString();

/** Bars of a histogram with a time axis (UTC), a count axis and optional finding bands. */
export function histogramSvg(h: Histogram, options: ChartOptions): string {
  const { width, height } = options;
  const bands = options.bands ?? [];
  const left = 34;
  const right = 6;
  const top = bands.length > 0 ? 6 + Math.min(bands.length, 8) * 9 : 8;
  const bottom = 18;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const span = Math.max(1, h.to - h.from);
  const x = (t: number): number => left + ((t - h.from) / span) * plotW;
  const max = niceCeil(Math.max(1, ...h.counts));
  const y = (v: number): number => top + plotH - (v / max) * plotH;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`);
  // Horizontal grid at 0, half, max.
  for (const v of [0, max / 2, max]) {
    parts.push(`<line x1="${left}" y1="${n1(y(v))}" x2="${width - right}" y2="${n1(y(v))}" stroke="${GRID}" stroke-width="0.6"/>`);
    parts.push(`<text x="${left - 4}" y="${n1(y(v) + 2.5)}" font-family="${CHART_FONT}" font-size="6.5" fill="${MUTED}" text-anchor="end">${escapeXml(Number.isInteger(v) ? String(v) : v.toFixed(1))}</text>`);
  }
  // Finding bands behind the bars, one lane each for the label.
  bands.slice(0, 8).forEach((band, i) => {
    const color = SEVERITY_COLORS[band.severity];
    const x0 = Math.max(left, x(band.first));
    const x1 = Math.min(width - right, Math.max(x0 + 1.5, x(band.last)));
    parts.push(`<rect x="${n1(x0)}" y="${top}" width="${n1(x1 - x0)}" height="${n1(plotH)}" fill="${color}" fill-opacity="0.10"/>`);
    const laneY = 4 + i * 9;
    parts.push(`<rect x="${n1(x0)}" y="${laneY}" width="${n1(x1 - x0)}" height="5" fill="${color}"/>`);
    const labelX = x1 + 3 > width - 30 ? x0 - 3 : x1 + 3;
    const anchor = x1 + 3 > width - 30 ? 'end' : 'start';
    parts.push(`<text x="${n1(labelX)}" y="${laneY + 4.8}" font-family="${CHART_FONT}" font-size="6.5" fill="${INK}" text-anchor="${anchor}">${escapeXml(band.label)}</text>`);
  });
  // Bars.
  const barW = (h.binMs / span) * plotW;
  const gap = barW > 3 ? 0.6 : 0;
  h.counts.forEach((count, i) => {
    if (count === 0) return;
    const bx = x(h.from + i * h.binMs);
    const by = y(count);
    parts.push(`<rect x="${n1(bx + gap / 2)}" y="${n1(by)}" width="${n1(Math.max(0.4, barW - gap))}" height="${n1(top + plotH - by)}" fill="${options.barColor ?? BAR}"/>`);
  });
  // Time axis.
  parts.push(`<line x1="${left}" y1="${n1(top + plotH)}" x2="${width - right}" y2="${n1(top + plotH)}" stroke="${INK}" stroke-width="0.6"/>`);
  const step = TICK_STEPS.find((s) => span / s <= 7) ?? Math.ceil(span / 7 / 86_400_000) * 86_400_000;
  const startDay = new Date(h.from).toISOString().slice(0, 10);
  const endDay = new Date(h.to).toISOString().slice(0, 10);
  const withDate = startDay !== endDay && step >= 3_600_000 * 6;
  let firstTick = true;
  for (let t = Math.ceil(h.from / step) * step; t <= h.to; t += step) {
    const tx = x(t);
    parts.push(`<line x1="${n1(tx)}" y1="${n1(top + plotH)}" x2="${n1(tx)}" y2="${n1(top + plotH + 3)}" stroke="${INK}" stroke-width="0.6"/>`);
    const label = tickLabel(t, withDate || (firstTick && startDay !== endDay), step < 60_000);
    parts.push(`<text x="${n1(tx)}" y="${n1(top + plotH + 11)}" font-family="${CHART_FONT}" font-size="6.5" fill="${INK}" text-anchor="middle">${escapeXml(label)}</text>`);
    firstTick = false;
  }
  parts.push(`<text x="${width - right}" y="${height - 1}" font-family="${CHART_FONT}" font-size="6" fill="${MUTED}" text-anchor="end">${escapeXml(`UTC, ${formatBinWidth(h.binMs)} per bar`)}</text>`);
  parts.push('</svg>');
  return parts.join('');
}

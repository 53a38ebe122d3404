import { formatBytes } from '../node/evidence/index';
import type { Analysis } from './analyze';
import { renderFindings } from './findings';

/**
 * The readable summary of `loupe analyze` (without --json). File names and errors come from the
 * evidence and are hostile: control characters are shown escaped, so a crafted name cannot move
 * the cursor or retitle the analyst's terminal.
 */

export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function table(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => {
      const width = widths[i] ?? 0;
      if (i === cells.length - 1) return cell;
      return rightAligned.has(i) ? cell.padStart(width) : cell.padEnd(width);
    }).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

export interface SummaryContext {
  readonly version: string;
  readonly seconds: number;
  readonly tz?: string;
  readonly ndjsonPath?: string;
}

export function renderSummary(analysis: Analysis, context: SummaryContext): string {
  const { document } = analysis;
  const out: string[] = [];
  const files = document.evidence.length;
  const logs = document.evidence.filter((e) => e.format !== 'metadata').length;
  out.push(`Loupe ${context.version}: ${files} file${files === 1 ? '' : 's'} (${logs} log, ${files - logs} metadata), ${formatBytes(analysis.bytesRead)} read, ${document.events} events, in ${context.seconds.toFixed(2)} s`);
  out.push('');

  out.push('Evidence');
  const rows = document.evidence.map((e) => [
    printable(e.path), e.format, String(e.lines), String(e.parsed), String(e.continued), String(e.unparsed), printable(e.host ?? '-'),
  ]);
  const lines = table(['PATH', 'FORMAT', 'LINES', 'PARSED', 'CONT', 'UNPARSED', 'HOST'], rows, new Set([2, 3, 4, 5]));
  out.push(`  ${lines[0] ?? ''}`);
  document.evidence.forEach((e, i) => {
    out.push(`  ${lines[i + 1] ?? ''}`);
    for (const error of e.errors) out.push(`      ! ${printable(error)}`);
  });
  out.push('');

  out.push('Datasets');
  const datasets = Object.entries(document.datasets);
  if (datasets.length === 0) out.push('  (no events)');
  else for (const line of table(['DATASET', 'EVENTS'], datasets.map(([d, n]) => [printable(d), String(n)]), new Set([1]))) out.push(`  ${line}`);
  out.push('');

  out.push('Hosts');
  out.push(`  ${document.hosts.length === 0 ? '(none named)' : document.hosts.map(printable).join(', ')}`);
  out.push('');

  out.push('Time range (UTC)');
  if (Number.isFinite(analysis.tsMin) && Number.isFinite(analysis.tsMax)) out.push(`  ${iso(analysis.tsMin)} .. ${iso(analysis.tsMax)}`);
  else out.push('  (no timestamps)');
  if (context.tz !== undefined) out.push(`  --tz ${context.tz} applied to every zone-less stamp (over the zone each bundle names)`);
  out.push('');

  out.push('Findings');
  if (analysis.detected) out.push(...renderFindings(document.findings));
  else out.push('  not run (add --findings to run the built-in Sigma rules, --rules <folder> for more)');
  if (context.ndjsonPath !== undefined) {
    out.push('');
    out.push(`Events written to ${printable(context.ndjsonPath)}`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * Log text as the report prints it: always as text, with what would fool a reader made visible.
 * C0/C1 control characters (terminal escapes) and bidi overrides (which reorder a line on screen)
 * become `[U+XXXX]`; tabs become spaces; line breaks stay line breaks.
 */

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

export function visibleText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').replace(INVISIBLE, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
}

/** At most `max` characters, cut at a character boundary, with how much was left out. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  // Do not split a surrogate pair.
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)} … [${text.length - end} more characters]`;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** `2026-03-12 09:12:44.120` (UTC). */
export function utcStamp(ms: number, withMillis = true): string {
  if (!Number.isFinite(ms)) return 'unknown';
  const d = new Date(ms);
  const base = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  return withMillis ? `${base}.${String(d.getUTCMilliseconds()).padStart(3, '0')}` : base;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

const NUMBER = new Intl.NumberFormat('en-US');
export function formatCount(n: number): string {
  return NUMBER.format(n);
}

/** "3 h 12 min", "45 s": a span for prose. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60 > 0 ? `${s % 60} s` : ''}`.trim();
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h${m % 60 > 0 ? ` ${m % 60} min` : ''}`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/**
 * Scripts Roboto (the report's font) has no glyphs for: CJK, kana, Hangul, full-width forms,
 * Hebrew through Thai, and everything beyond the BMP (emoji, historic scripts). pdfkit would draw
 * them as empty boxes that no reader can search or copy; the report names their code points instead.
 */
const UNCOVERED = /[\u0590-\u0dff\u0e80-\u1dbf\u2e80-\u9fff\ua000-\ua4cf\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]|[\ud800-\udbff][\udc00-\udfff]/g;

/** Text as the PDF prints it: visibleText, and characters the font cannot draw as `[U+XXXX]`. */
export function pdfText(text: string): string {
  return visibleText(text).replace(UNCOVERED, (c) => `[U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}]`);
}

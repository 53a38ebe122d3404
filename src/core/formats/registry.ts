import type { LogFormat, SniffInput } from './format';
import { journalExportFormat } from './journal-export';
import { journalJsonFormat } from './journal-json';
import { maasAuditFormat } from './maas-audit';
import { maasServiceFormat } from './maas-service';
import { routerFirewallFormat } from './router-firewall';
import { squidAccessFormat } from './squid-access';
import { syslogFormat } from './syslog';
import { webAccessFormat } from './web-access';
import { webErrorFormat } from './web-error';

/** Every known format. A new format is one file in this folder plus one line here. */
export const FORMATS: readonly LogFormat[] = [syslogFormat, webAccessFormat, maasServiceFormat, maasAuditFormat, squidAccessFormat, webErrorFormat, routerFirewallFormat, journalJsonFormat, journalExportFormat];

const byId = new Map<string, LogFormat>();
for (const format of FORMATS) {
  if (byId.has(format.id)) throw new Error(`duplicate log format id: ${format.id}`);
  byId.set(format.id, format);
}

export function formatById(id: string): LogFormat | undefined {
  return byId.get(id);
}

/** Below this confidence a file is reported as of unknown format (its lines are kept unparsed). */
export const MIN_SNIFF_CONFIDENCE = 0.3;

export interface SniffResult {
  readonly format: LogFormat | undefined;
  readonly confidence: number;
}

/** Picks the format that best explains the first lines of a file. */
export function sniffFormat(input: SniffInput): SniffResult {
  let best: LogFormat | undefined;
  let bestScore = 0;
  for (const format of FORMATS) {
    const score = format.sniff(input);
    if (score > bestScore) {
      best = format;
      bestScore = score;
    }
  }
  return bestScore >= MIN_SNIFF_CONFIDENCE ? { format: best, confidence: bestScore } : { format: undefined, confidence: bestScore };
}

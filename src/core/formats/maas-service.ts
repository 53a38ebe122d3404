import { hasAt } from '../text/has-at';
import type { InferredTimePart, ParsedFields } from '../model/event';
import { CONTINUATION, type LineResult, type LogFormat, type ParseContext, unparsed } from './format';
import { setUrlFields } from './web-access';

/**
 * regiond.log and rackd.log of MAAS before 3.5 (snap: /var/snap/maas/common/log/, deb:
 * /var/log/maas/): `2020-03-31 21:17:56 regiond: [info] message`. The format replaces each newline
 * of a message with newline + TAB, so lines starting with a TAB continue the event before (tracebacks).
 * regiond's HTTP access lines (`IP METHOD URI PROTO --> STATUS REASON (referrer: R; agent: A)`)
 * become web events; a refused UI login becomes an authentication failure.
 * Source: log-formats.md section 3 (provisioningserver/logger/_common.py, utils/twisted.py).
 */

const LINE = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) (\S+?): \[([a-z-]+)\] ?(.*)$/;
const HTTP = /^(\S+) (\S+) (\S+) (\S+) --> (\d{3}|\?\?\?)(?: ([A-Z_]+))? \(referrer: (.*?); agent: (.*)\)$/;
const LOGIN_PATH = '/MAAS/accounts/login/';
/** Shared and frozen: the block encoder finds a list it has seen by its identity. */
const WEB: readonly string[] = Object.freeze(['web']);
const AUTHENTICATION_WEB: readonly string[] = Object.freeze(['authentication', 'web']);
const ZONE_INFERRED: readonly InferredTimePart[] = Object.freeze(['zone']);

/** MAAS renames Python's WARNING to `warn`; ECS keeps the name as written. */
export function maasDataset(path: string, logger: string): string {
  if (/rackd\.log/.test(path)) return 'maas.rackd';
  if (/regiond\.log/.test(path)) return 'maas.regiond';
  return logger.startsWith('provisioningserver') || logger === 'rackd' ? 'maas.rackd' : 'maas.regiond';
}

/** Fields of a regiond HTTP access message, or undefined when the message is not one. */
export function parseRegiondHttp(message: string): ParsedFields | undefined {
  // Most regiond lines are not requests: the arrow is looked for before the expression runs.
  if (!message.includes(' --> ')) return undefined;
  const m = HTTP.exec(message);
  return m === null ? undefined : requestFields(m, 1, undefined, undefined, undefined, undefined);
}

/**
 * The fields of a request whose eight parts (HTTP's groups) start at group `at` of `m`, with the
 * logger line's own fields: one literal of every field a request can have (ParsedFields).
 */
function requestFields(m: RegExpExecArray, at: number, logger: string | undefined, level: string | undefined, processName: string | undefined, message: string | undefined): ParsedFields {
  const origin = m[at]!;
  const method = m[at + 1]!;
  const uri = m[at + 2]!;
  const proto = m[at + 3]!;
  const status = m[at + 4]!;
  const referrer = m[at + 6]!;
  const agent = m[at + 7]!;
  const fields: ParsedFields = {
    'event.category': WEB,
    'event.action': undefined,
    'event.outcome': undefined,
    'source.ip': origin !== '-' ? origin : undefined,
    'http.request.method': method,
    'url.original': undefined,
    'url.path': undefined,
    'url.query': undefined,
    'url.fragment': undefined,
    'http.version': hasAt(proto, 'HTTP/', 0) ? proto.slice(5) : undefined,
    // Three digits or ???.
    'http.response.status_code': status !== '???' ? status.charCodeAt(0) * 100 + status.charCodeAt(1) * 10 + status.charCodeAt(2) - 5328 : undefined,
    'http.response.status_reason': m[at + 5],
    'http.request.referrer': referrer !== '-' && referrer !== '' ? referrer : undefined,
    'user_agent.original': agent !== '-' && agent !== '' ? agent : undefined,
    'log.logger': logger,
    'log.level': level,
    'process.name': processName,
    'message': message,
    // Set by the ingest pipeline (FileIngestor.eventOf), and by the syslog envelope of a journal
    // entry (maas-journal.ts reads requests too): here so that their stores find them in place.
    'event.dataset': undefined,
    'host.name': undefined,
    'process.pid': undefined,
    'loupe.time.inferred': undefined,
  };
  setUrlFields(fields, uri);
  // log-formats.md: a refused UI login answers 400 (bad credentials) or 204 (empty form).
  if (method === 'POST' && fields['url.path'] === LOGIN_PATH) {
    fields['event.category'] = AUTHENTICATION_WEB;
    fields['event.action'] = 'maas-ui-login';
    if (status === '400' || status === '204') fields['event.outcome'] = 'failure';
    else if (status === '200' || status === '302') fields['event.outcome'] = 'success';
  }
  return fields;
}

/**
 * LINE, with the request of an HTTP access message in the same match (groups 4-11: HTTP's, tried
 * first; the message is group 3 either way). One match a line where two ran: the message's own
 * match found what LINE's `(.*)$` then HTTP on that message find. The stamp is checked here, its
 * digits read from the line (groups of their own would cost a string each).
 */
const WHOLE_LINE = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (\S+?): \[([a-z-]+)\] ?((\S+) (\S+) (\S+) (\S+) --> (\d{3}|\?\?\?)(?: ([A-Z_]+))? \(referrer: (.*?); agent: (.*)\)|.*)$/y;

function digits(line: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) n = n * 10 + line.charCodeAt(i) - 48;
  return n;
}

/** One parser per file: the file's dataset from its path, and the last day's start (a log stays on a day for many lines). */
class MaasServiceParser {
  private readonly pathDataset: string | undefined;
  private lastDay = -1;
  private lastDayStart = 0;

  constructor(private readonly path: string) {
    this.pathDataset = /rackd\.log/.test(path) ? 'maas.rackd' : /regiond\.log/.test(path) ? 'maas.regiond' : undefined;
  }

  parseLine(line: string): LineResult {
    const first = line.charCodeAt(0);
    // TAB continuation (the logger's own), or the spaces of a copy that lost its tabs.
    if (first === 9 || (first === 32 && line.trim() !== '')) return CONTINUATION;
    WHOLE_LINE.lastIndex = 0;
    const m = WHOLE_LINE.exec(line);
    if (m === null) return unparsed('not "YYYY-MM-DD HH:MM:SS name: [level] message"');
    const logger = m[1]!;
    const level = m[2]!;
    const message = m[3]!;
    const day = digits(line, 0, 4) * 10000 + digits(line, 5, 2) * 100 + digits(line, 8, 2);
    if (day !== this.lastDay) {
      // Date.UTC as for the whole stamp: out-of-range months and days roll over the same way.
      this.lastDayStart = Date.UTC(Math.floor(day / 10000), (Math.floor(day / 100) % 100) - 1, day % 100);
      this.lastDay = day;
    }
    const timestamp = this.lastDayStart + digits(line, 11, 2) * 3_600_000 + digits(line, 14, 2) * 60_000 + digits(line, 17, 2) * 1000;
    const dataset = this.pathDataset ?? maasDataset(this.path, logger);
    // Group 4 is set only when the request alternative matched.
    const processName = dataset === 'maas.rackd' ? 'rackd' : 'regiond';
    const fields: ParsedFields = m[4] !== undefined ? requestFields(m, 4, logger, level, processName, message) : {
      'log.logger': logger,
      'log.level': level,
      'process.name': processName,
      'message': message,
      'event.dataset': undefined,
      'host.name': undefined,
      'loupe.time.inferred': undefined,
    };
    // No zone in the line: MAAS writes local time, UTC on the documented snap sample.
    return { kind: 'event', timestamp, dataset, fields, inferred: ZONE_INFERRED };
  }
}

export function parseMaasServiceLine(line: string, path: string): LineResult {
  return new MaasServiceParser(path).parseLine(line);
}

export const maasServiceFormat: LogFormat = {
  id: 'maas-service',
  title: 'MAAS regiond / rackd log (before 3.5)',
  family: 'maas',
  description: 'regiond.log and rackd.log with timestamps, tab-continued tracebacks, and regiond HTTP access lines.',
  sniff({ path, lines }) {
    if (lines.length === 0) return 0;
    let hits = 0;
    for (const line of lines) if (LINE.test(line) || line.startsWith('\t')) hits++;
    const ratio = hits / lines.length;
    // Wins over syslog for its own files: the stamp shape differs, and the name is MAAS's.
    return ratio === 0 ? 0 : Math.min(1, ratio * 0.9 + (/(regiond|rackd)\.log/.test(path) ? 0.1 : 0));
  },
  createParser(context: ParseContext) {
    const parser = new MaasServiceParser(context.path);
    return { parseLine: (line) => parser.parseLine(line) };
  },
  samples: [
    {
      line: '2020-03-31 21:18:08 regiond: [info] 10.132.172.1 POST /MAAS/accounts/login/ HTTP/1.1 --> 400 BAD_REQUEST (referrer: http://10.132.172.231:5240/MAAS/r/; agent: Mozilla/5.0)',
      dataset: 'maas.regiond',
      timestamp: '2020-03-31T21:18:08.000Z',
      fields: {
        'source.ip': '10.132.172.1',
        'http.request.method': 'POST',
        'url.path': '/MAAS/accounts/login/',
        'http.response.status_code': 400,
        'http.response.status_reason': 'BAD_REQUEST',
        'event.outcome': 'failure',
        'log.level': 'info',
      },
    },
    {
      line: '2022-02-15 15:33:39 provisioningserver.rpc.clusterservice: [critical] Failed to contact region. (While requesting RPC info at http://10.246.72.3:5240/MAAS).',
      dataset: 'maas.rackd',
      timestamp: '2022-02-15T15:33:39.000Z',
      fields: {
        'log.logger': 'provisioningserver.rpc.clusterservice',
        'log.level': 'critical',
        'process.name': 'rackd',
        message: 'Failed to contact region. (While requesting RPC info at http://10.246.72.3:5240/MAAS).',
      },
    },
    {
      line: '2022-09-29 20:01:09 maasserver.rpc.leases: [info] Lease update: commit for 10.103.114.192 on 0:16:3e:a2:73:5c at 2022-09-29 20:01:09 (lease time: 600s) (hostname: fun-zebra)',
      dataset: 'maas.regiond',
      timestamp: '2022-09-29T20:01:09.000Z',
      fields: { 'log.logger': 'maasserver.rpc.leases', 'log.level': 'info', 'process.name': 'regiond' },
    },
  ],
};

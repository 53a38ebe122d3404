import { hasAt } from '../text/has-at';
import type { ParsedFields } from '../model/event';
import type { FormatSample } from './format';
import { parseRegiondHttp } from './maas-service';
import { maasLogMessageFields } from './maas-log';
import { parseSquidAccess } from './squid-access';
import type { SyslogMessageParser } from './syslog-messages';
import { parseAccessLine } from './web-access';

/**
 * MAAS 3.5+ services logging through the journal (snap: pebble runs each as `systemd-cat -t
 * <identifier>`; deb: systemd units, regiond's identifier is `regiond`). The message is the old
 * regiond.log line without its time: `name: [level] message`, HTTP access lines included. maas-log
 * carries maas.log's `maas.node: [info] ...`, maas-proxy squid access lines, maas-http nginx lines.
 * The journal prints each stdout line as its own entry and turns a traceback's TAB into 8 spaces:
 * such entries are marked `loupe.continuation: true` (a message parser cannot join them to the entry
 * before; the ingest may, later). chronyd (the NTP server MAAS runs, `-t chronyd` under pebble) is
 * also every Ubuntu host's: its entries get the neutral dataset `chrony`, not a `maas.` one.
 * Source: log-formats.md sections 2 and 3; the seed's journalctl table.
 */

/** Journal identifier (SYSLOG_IDENTIFIER) -> dataset. A Map: tags such as `constructor` must not hit Object.prototype. */
const DATASETS: ReadonlyMap<string, string> = new Map([
  ['maas-regiond', 'maas.regiond'],
  ['regiond', 'maas.regiond'],
  ['maas-rackd', 'maas.rackd'],
  ['rackd', 'maas.rackd'],
  ['maas-apiserver', 'maas.apiserver'],
  ['maas-log', 'maas.log'],
  ['maas-proxy', 'maas.proxy'],
  ['maas-http', 'maas.http'],
  ['maas-temporal', 'maas.temporal'],
  ['maas-temporal-worker', 'maas.temporal'],
  ['maas-agent', 'maas.agent'],
  ['chronyd', 'chrony'],
]);

/** The field that marks a journal entry continuing the one before (a traceback line). */
export const CONTINUATION_FIELD = 'loupe.continuation';

const NAMED = /^(\S+?): \[([a-z-]+|[A-Z]+)\] ?([^]*)$/;

/** What readNamed read. */
let namedName = '';
let namedLevel = '';
let namedText = '';

/**
 * NAMED by char codes: true (namedName, namedLevel, namedText set) or false where NAMED matches or
 * not, undefined when the text before the first space is not plain ASCII (NAMED decides then).
 * `\S+?` cannot reach past the first white space and `: [` holds a space, so the name is all
 * that comes before the first white space, which must be that space, after a `:`.
 */
function readNamed(message: string): boolean | undefined {
  const n = message.length;
  let w = 0;
  for (; w < n; w++) {
    const c = message.charCodeAt(w);
    if (c === 32) break;
    if (c >= 9 && c <= 13) return false;
    if (c >= 128) return undefined;
  }
  if (w < 2 || message.charCodeAt(w - 1) !== 58 /* : */ || message.charCodeAt(w + 1) !== 91 /* [ */) return false;
  const levelStart = w + 2;
  let j = levelStart;
  for (let c = message.charCodeAt(j); (c >= 97 && c <= 122) || c === 45; c = message.charCodeAt(++j));
  if (j === levelStart || message.charCodeAt(j) !== 93 /* ] */) {
    j = levelStart;
    for (let c = message.charCodeAt(j); c >= 65 && c <= 90; c = message.charCodeAt(++j));
    if (j === levelStart || message.charCodeAt(j) !== 93) return false;
  }
  namedName = message.slice(0, w - 1);
  namedLevel = message.slice(levelStart, j);
  namedText = message.slice(message.charCodeAt(j + 1) === 32 ? j + 2 : j + 1);
  return true;
}

export function parseMaasJournalMessage(program: string, message: string): { dataset: string; fields: ParsedFields } | undefined {
  const dataset = DATASETS.get(program);
  if (dataset === undefined) return undefined;
  if (message.charCodeAt(0) === 9 || hasAt(message, '        ', 0)) return { dataset, fields: { [CONTINUATION_FIELD]: true } };
  if (dataset === 'chrony') return { dataset, fields: {} };
  if (dataset === 'maas.proxy') {
    const squid = parseSquidAccess(message);
    if (squid !== undefined) return { dataset, fields: squid.fields };
  }
  if (dataset === 'maas.http') {
    const access = parseAccessLine(message, dataset);
    if (access.kind === 'event') return { dataset, fields: access.fields };
  }
  let name: string;
  let level: string;
  let text: string;
  const named = readNamed(message);
  if (named === undefined) {
    const m = NAMED.exec(message);
    if (m === null) return { dataset, fields: {} };
    [, name, level, text] = m as unknown as [string, string, string, string];
  } else {
    if (!named) return { dataset, fields: {} };
    name = namedName;
    level = namedLevel;
    text = namedText;
  }
  if (dataset === 'maas.log') return { dataset, fields: maasLogMessageFields(name, level, text) };
  // A literal of the fields set here and by the syslog envelope and the ingest pipeline (ParsedFields).
  const fields: ParsedFields = parseRegiondHttp(text) ?? {
    'log.logger': undefined,
    'log.level': undefined,
    'message': undefined,
    'host.name': undefined,
    'process.name': undefined,
    'process.pid': undefined,
    'event.dataset': undefined,
    'loupe.time.inferred': undefined,
  };
  fields['log.logger'] = name;
  fields['log.level'] = level;
  fields['message'] = text;
  return { dataset, fields };
}

export const maasJournalMessages: SyslogMessageParser = {
  id: 'maas-journal',
  accepts: (program) => DATASETS.has(program),
  parse: (envelope) => parseMaasJournalMessage(envelope.program, envelope.message),
};

/** Whole journal lines (read by the syslog format) with the fields they must give. */
export const MAAS_JOURNAL_SAMPLES: readonly FormatSample[] = [
  {
    line: "Jul 07 17:03:16 sv2-apcinfra1-1-prod maas-regiond[5660]: maasserver.rpc.regionservice: [info] Rack controller authenticated from '::ffff:10.192.0.12:56812'.",
    dataset: 'maas.regiond',
    fields: {
      'host.name': 'sv2-apcinfra1-1-prod',
      'process.name': 'maas-regiond',
      'process.pid': 5660,
      'log.logger': 'maasserver.rpc.regionservice',
      'log.level': 'info',
      message: "Rack controller authenticated from '::ffff:10.192.0.12:56812'.",
    },
  },
  {
    line: 'Aug 31 16:06:20 maas regiond[2322597]:         Traceback (most recent call last):',
    dataset: 'maas.regiond',
    fields: { 'process.name': 'regiond', 'process.pid': 2322597, [CONTINUATION_FIELD]: true, message: '        Traceback (most recent call last):' },
  },
  {
    line: 'May 17 10:05:03 maas maas-regiond[88]: regiond: [info] 10.0.0.9 POST /MAAS/accounts/login/ HTTP/1.1 --> 204 NO_CONTENT (referrer: -; agent: curl/8.5)',
    dataset: 'maas.regiond',
    fields: {
      'source.ip': '10.0.0.9',
      'http.request.method': 'POST',
      'url.path': '/MAAS/accounts/login/',
      'http.response.status_code': 204,
      'http.response.status_reason': 'NO_CONTENT',
      'user_agent.original': 'curl/8.5',
      'event.category': ['authentication', 'web'],
      'event.action': 'maas-ui-login',
      'event.outcome': 'failure',
    },
  },
  {
    line: 'May 17 10:05:04 maas maas-log[90]: maas.node: [info] h1: allocated to user bob',
    dataset: 'maas.log',
    fields: { 'log.logger': 'maas.node', 'maas.node.hostname': 'h1', 'user.name': 'bob', 'event.action': 'node-allocated' },
  },
];
